"""axe-core finds no WCAG 2.2 A/AA violation on the pages readers use."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from articles.models import Article
from tests.factories import CommentFactory

# serialized_rollback: data migrations (the Moderators group) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def article(transactional_db):
    call_command("load_seed")
    article = Article.objects.get()
    parent = CommentFactory(article=article, user_url="https://maria.example")
    CommentFactory(article=article, parent=parent)
    return article


def assert_no_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("width", [375, 1280])
def test_home_page(page, live_server, article, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/")
    assert_no_violations(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_article_page(page, live_server, article, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + article.get_absolute_url())
    assert_no_violations(page)


def test_article_page_with_form_errors(page, live_server, article):
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("textbox", name="Comment", exact=True).fill(
        "A comment without a name or email."
    )
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Post Comment").click()
    assert page.locator(".problem").is_visible()
    assert page.locator("label .error").count() >= 2
    assert_no_violations(page)
