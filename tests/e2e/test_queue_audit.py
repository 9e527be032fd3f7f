"""Clearing the queue in a real browser, where a moderator lost work or could not read: without
script, a reply typed under one card and a decision on another (a row's or a bulk one); with
script, a bulk action with a reply typed; the dark theme, in the queue and on the article."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.test_accessibility import assert_no_violations
from tests.e2e.test_moderation import QUEUE, card, logged_in
from tests.factories import ArticleFactory, CommentFactory, UserFactory

# serialized_rollback: data migrations (the Moderators group) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def mod(transactional_db):
    user = UserFactory(username="mod", is_staff=True, email="mod@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def two(transactional_db):
    article = ArticleFactory()
    first = CommentFactory(article=article, state="pending", user_name="Ann")
    second = CommentFactory(article=article, state="pending", user_name="Bob")
    return first, second


def type_reply(page, comment, text):
    row = card(page, comment)
    row.get_by_text("Reply", exact=True).click()
    row.get_by_label(re.compile("Reply as")).fill(text)
    return row.get_by_label(re.compile("Reply as"))


def test_without_script_a_decision_keeps_the_reply_typed_under_another_card(
    browser, live_server, mod, two
):
    first, second = two
    page, errors = logged_in(browser, live_server, mod, java_script_enabled=False)
    page.goto(live_server.url + QUEUE)
    type_reply(page, second, "Bob, ask your GP about this.")
    card(page, first).get_by_role("button", name="Spam").click()
    box = card(page, second).get_by_label(re.compile("Reply as"))
    expect(box).to_be_visible()  # its box open again
    expect(box).to_have_value("Bob, ask your GP about this.")
    expect(page.locator(".messagelist")).to_contain_text(
        "Your reply to Bob is not published: it is still in its box below."
    )
    first.refresh_from_db()
    assert first.state == Comment.State.SPAM
    assert not Comment.objects.filter(parent_id=second.pk, from_site=True).exists()
    assert errors == []


@pytest.mark.parametrize("script", [False, True])
def test_a_bulk_action_keeps_the_reply_typed_in_a_card(browser, live_server, mod, two, script):
    """Without script the reply was dropped in silence; with it, Django warned that running an
    action loses "unsaved changes"; now the action runs and the reply comes back."""
    first, second = two
    page, errors = logged_in(browser, live_server, mod, java_script_enabled=script)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + QUEUE)
    type_reply(page, second, "Bob, ask your GP about this.")
    first_row = page.locator("#result_list tbody tr", has=card(page, first))
    first_row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option("mark_spam")
    page.get_by_role("button", name="Go").first.click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment marked as spam.")
    expect(card(page, second).get_by_label(re.compile("Reply as"))).to_have_value(
        "Bob, ask your GP about this."
    )
    assert asked == []
    first.refresh_from_db()
    assert first.state == Comment.State.SPAM
    assert errors == []


@pytest.fixture
def held_for_words(transactional_db):
    """Held comments whose matched words the queue marks, and one held for links."""
    article = ArticleFactory(title="Sleep and nerve pain")
    CommentFactory(
        article=article,
        state="pending",
        reason="crisis",
        reason_detail="giving up",
        urgent=True,
        comment="Some nights I am giving up on all of it.",
    )
    CommentFactory(
        article=article,
        state="pending",
        reason="medical",
        reason_detail="stop taking",
        comment="Just stop taking your pregabalin.",
    )
    CommentFactory(article=article, state="pending", reason="links")
    return article


@pytest.mark.parametrize("width", [375, 1280])
def test_the_queue_in_the_dark_theme(browser, live_server, mod, held_for_words, width):
    """The words a comment was held for were white on the highlight's pale yellow, and the
    Spam and Remove buttons dark red on near black."""
    page, errors = logged_in(
        browser, live_server, mod, color_scheme="dark", viewport={"width": width, "height": 800}
    )
    page.goto(live_server.url + QUEUE)
    expect(page.locator(".qc-highlighted mark").first).to_have_text("giving up")
    assert_no_violations(page)
    assert errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_held_comments_on_the_article_in_the_dark_theme(
    browser, live_server, mod, held_for_words, width
):
    """A held comment's name and text were the dark theme's light text on a pale yellow."""
    page, errors = logged_in(
        browser, live_server, mod, color_scheme="dark", viewport={"width": width, "height": 800}
    )
    page.goto(live_server.url + held_for_words.get_absolute_url())
    expect(page.locator(".moderate-here").first).to_be_visible()
    assert_no_violations(page)
    assert errors == []
