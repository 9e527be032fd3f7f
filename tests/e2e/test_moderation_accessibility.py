"""axe-core finds no WCAG 2.2 A/AA violation on the moderators' screens: the queue, a comment's
page and the email link's confirmation page, on a phone and on a desktop."""

import pytest
from django.core import mail

from comments.notifications import notify_moderators
from tests.e2e.test_accessibility import assert_no_violations
from tests.e2e.test_moderation import logged_in, moderator  # noqa: F401 (a fixture)
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def comments(transactional_db):
    article = ArticleFactory(title="Sleep and nerve pain: what helps when nights are worst")
    parent = CommentFactory(article=article, state="published", user_url="https://maria.example")
    held = CommentFactory(
        article=article, parent=parent, state="pending", reason="links", reason_detail="2 links"
    )
    CommentFactory(article=article, state="pending", comment=" ".join(["Long words"] * 200))
    return held


@pytest.mark.parametrize("width", [375, 1280])
def test_the_queue(browser, live_server, moderator, comments, width):  # noqa: F811
    page, errors = logged_in(browser, live_server, moderator)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/admin/comments/comment/")
    assert_no_violations(page)
    page.keyboard.press("?")
    assert_no_violations(page)  # with the list of keys open
    page.screenshot(path=f"test-results/shots/queue-keys-{width}.png", full_page=True)
    assert errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_comment_page(browser, live_server, moderator, comments, width):  # noqa: F811
    page, errors = logged_in(browser, live_server, moderator)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + f"/admin/comments/comment/{comments.pk}/change/")
    assert errors == []  # before axe: its own probes trip the CSP on this page
    assert_no_violations(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_confirmation_page(browser, live_server, moderator, comments, width):  # noqa: F811
    notify_moderators.call(comments.pk)
    link = next(line for line in mail.outbox[-1].body.splitlines() if line.startswith("Spam: "))
    path = "/admin/" + link.split("/admin/", 1)[1]
    page, errors = logged_in(browser, live_server, moderator)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + path)
    assert_no_violations(page)
    page.screenshot(path=f"test-results/shots/confirm-{width}.png", full_page=True)
    assert errors == []
