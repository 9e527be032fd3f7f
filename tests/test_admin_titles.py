"""The admin's lists are titled by what they list."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/admin/articles/article/", "Articles"),
        ("/admin/articles/publisherpage/", "Pages"),
        ("/admin/comments/commentreport/", "Reports"),
        ("/admin/comments/comment/", "Comments"),
        ("/admin/auth/user/", "Users"),
    ],
)
def test_lists_are_titled_by_what_they_list(admin_client, url, title):
    """As the sidebar names them (and WordPress titles its screens), not "Select article to
    change"."""
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    assert page.select_one("#content h1").get_text() == title
    assert page.title.get_text() == f"{title} | nervepain admin"


def test_the_admin_is_titled_by_the_site_name_as_it_is_now(admin_client, settings):
    """Read when a page is drawn, not once when the URLs were first loaded (a test that
    renamed the site then left 'Nerve health admin' in every later test's titles)."""
    for name in ("Nerve health", "nervepain"):
        settings.SITE_NAME = name
        page = BeautifulSoup(admin_client.get("/admin/").content, "html.parser")
        assert page.title.get_text().endswith(f"| {name} admin")
        assert page.select_one("#site-name").get_text().strip() == f"{name} administration"
