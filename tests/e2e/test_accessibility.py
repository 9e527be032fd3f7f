"""axe-core finds no WCAG 2.2 A/AA violation on the pages readers use, in light and dark."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

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


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=nerve",
        "/search/?q=xylophone",
        "/topics/",
        "/topics/peripheral-neuropathy/",
        "/people/editorial-team/",
        "/privacy/",
        "/no-such-page/",
    ],
)
@pytest.mark.parametrize(("scheme", "width"), [("light", 375), ("dark", 1280)])
def test_reader_pages(page, live_server, article, path, scheme, width):
    """Search (with results and without), the topics, a topic, a person, a site page and
    the 404 page: each screen once narrow in light and once wide in dark, whose colours are
    a palette of their own."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    assert_no_violations(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_held_comment_and_its_edit_page(page, live_server, article, scheme):
    """The commenter's own held comment (its note, Edit and Delete) among the others, then
    its edit page."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("textbox", name="Name").fill("Sam")
    page.get_by_role("textbox", name="Email").fill("sam@example.org")
    page.get_by_role("textbox", name="Comment", exact=True).fill("My feet burn at night.")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".awaiting")).to_be_visible()
    assert_no_violations(page)
    # Named for the comment by words the page does not show, the word shown first.
    page.get_by_role("link", name=re.compile(r"^Edit your comment of \d\d:\d\d UTC$")).click()
    expect(page.get_by_role("button", name="Save changes")).to_be_visible()
    assert_no_violations(page)


def _broken(*args, **kwargs):
    raise RuntimeError("a bug")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_error_pages(page, live_server, article, monkeypatch, scheme):
    """The 403 and the 500 page: the 500 page, in the browser's own colours, had a link that
    failed contrast in dark."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.goto(live_server.url + "/markdownx/uploaded/").status == 403  # staff only
    assert_no_violations(page)
    monkeypatch.setattr("articles.views.ArticleListView.get_queryset", _broken)
    assert page.goto(live_server.url + "/").status == 500
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()
    assert_no_violations(page)
