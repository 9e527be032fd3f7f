"""An editor deleting an article with comments is told why, and erases only on purpose."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture
def article(transactional_db):
    article = ArticleFactory(title="Nerve pain after shingles")
    parent = CommentFactory(article=article)
    CommentFactory(article=article, parent=parent)
    return article


@pytest.fixture
def editor(page, live_server, transactional_db):
    UserFactory(username="editor", is_staff=True, is_superuser=True, password="pw-for-tests-1")
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Log in").click()
    return page


@pytest.mark.parametrize("width", [375, 1280])
def test_delete_page_explains_and_erases_only_when_ticked(
    editor, live_server, article, console_errors, width
):
    page = editor
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/delete/")
    expect(page.locator("#content")).to_contain_text("cannot be deleted on its own")
    expect(page.locator("#content")).to_contain_text("2 comments by readers")
    expect(page.get_by_role("button", name="Unpublish it")).to_be_visible()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()

    # Not ticked: the browser keeps the form; nothing is deleted.
    page.get_by_role("button", name="Delete the article and erase them").click()
    assert Article.objects.filter(pk=article.pk).exists()

    page.get_by_label("Erase all of the above with the article").check()
    page.get_by_role("button", name="Delete the article and erase them").click()
    expect(page.locator(".messagelist")).to_contain_text("deleted successfully")
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Comment.objects.exists()
    assert console_errors == []
