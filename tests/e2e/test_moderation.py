"""Moderating in a real browser: the keyboard, the mouse on a phone, replies, undo, the email's
links, the article page, and what a reader sees meanwhile. No console error (CSP) anywhere."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from comments.models import Comment
from comments.notifications import notify_moderators
from tests.factories import ArticleFactory, CommentFactory, UserFactory

# serialized_rollback: data migrations (the Moderators group) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

QUEUE = "/admin/comments/comment/"


@pytest.fixture
def moderator(transactional_db):
    user = UserFactory(username="mod", is_staff=True, email="mod@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def logged_in(browser, live_server, user, **options):
    """A browser context holding the user's session (as after the admin's login form)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, errors


def card(page, comment):
    return page.locator(f"#qc-{comment.pk}")


def test_clearing_a_ten_comment_queue_with_the_keyboard_only(browser, live_server, moderator):
    article = ArticleFactory()
    held = [CommentFactory(article=article, state="pending") for _ in range(10)]
    page, errors = logged_in(browser, live_server, moderator)
    page.goto(live_server.url + QUEUE)
    in_order = [int(pk) for pk in page.locator("#result_list .qc").evaluate_all(
        "cards => cards.map(c => c.dataset.pk)")]  # fmt: skip
    assert sorted(in_order) == sorted(c.pk for c in held)

    page.keyboard.press("?")  # the list of keys
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Approve")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    keys = 0
    page.keyboard.press("j")  # select the first comment
    keys += 1
    for n, pk in enumerate(in_order):
        focused = page.evaluate("document.activeElement.id")
        assert focused == f"qc-{pk}"  # focus is visible on the row the key acts on
        page.keyboard.press("a")
        keys += 1
        expect(page.locator(f"#qc-{pk}")).to_have_attribute("data-state", "published")
        if n + 1 < len(in_order):  # after a decision, focus moves to the next row
            expect(page.locator(f"#qc-{in_order[n + 1]}")).to_be_focused()
    assert keys == 11
    assert Comment.objects.filter(state="published", moderated_by=moderator).count() == 10
    # After the last one, the page says the queue is empty, where the focus went.
    expect(page.locator("#qc-page-done :focus")).to_have_text(
        "No comments are waiting for moderation."
    )
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    assert errors == []


def test_x_selects_and_keys_typed_into_a_reply_do_not_moderate(browser, live_server, moderator):
    comment = CommentFactory(state="pending")
    page, errors = logged_in(browser, live_server, moderator)
    page.goto(live_server.url + QUEUE)
    page.keyboard.press("j")
    page.keyboard.press("x")  # select it for a bulk action
    expect(
        card(page, comment).locator("xpath=ancestor::tr//input[@type='checkbox']")
    ).to_be_checked()
    expect(page.locator(".action-counter")).to_contain_text("1 of 1 selected")
    page.keyboard.press("r")
    box = card(page, comment).locator("textarea")
    expect(box).to_be_focused()
    page.keyboard.type("a sad story")
    expect(box).to_have_value("a sad story")
    comment.refresh_from_db()
    assert comment.state == "pending"
    page.keyboard.press("Escape")
    assert errors == []


def test_row_actions_with_the_mouse_on_a_phone(browser, live_server, moderator):
    first, second, third = (CommentFactory(state="pending") for _ in range(3))
    page, errors = logged_in(
        browser, live_server, moderator, viewport={"width": 375, "height": 800}
    )
    page.goto(live_server.url + QUEUE)
    page.evaluate("window.notReloaded = true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing clipped
    approve = card(page, first).get_by_role("button", name="Approve")
    box = approve.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb-sized target
    approve.click()
    expect(card(page, first)).to_have_attribute("data-state", "published")
    card(page, second).get_by_role("button", name="Spam").click()
    expect(card(page, second)).to_have_attribute("data-state", "spam")
    card(page, third).get_by_role("button", name="Remove").click()
    expect(card(page, third)).to_have_attribute("data-state", "removed")
    # A decided card is a line with Undo in its place (its buttons gone with it).
    expect(card(page, third).get_by_role("button", name="Restore")).to_be_hidden()
    card(page, third).get_by_role("link", name="Undo").click()
    expect(card(page, third)).to_have_attribute("data-state", "pending")
    assert page.evaluate("window.notReloaded") is True  # no page reload
    expect(page.locator('.queue-tabs a[data-state="pending"]')).to_contain_text("Pending (1)")
    expect(page.locator("#nav-sidebar .nav-badge")).to_contain_text("1")
    # Every tab follows its comments, as WordPress's status links do: no reload to trust them.
    tabs = page.locator(".queue-tabs")
    expect(tabs.locator('a[data-state="published"]')).to_contain_text("Published (1)")
    expect(tabs.locator('a[data-state="spam"]')).to_contain_text("Spam (1)")
    expect(tabs.locator('a[data-state="removed"]')).to_contain_text("Removed (0)")
    expect(tabs.locator('a[data-state="all"]')).to_contain_text("All (3)")
    assert [c.state for c in Comment.objects.order_by("pk")] == ["published", "spam", "pending"]
    page.screenshot(path="test-results/shots/e2e-queue-after-actions-375.png", full_page=True)
    assert errors == []


def test_a_reply_from_the_queue_approves_and_shows_the_site_name(browser, live_server, moderator):
    parent = CommentFactory(state="pending", comment="Does ice help?")
    page, errors = logged_in(browser, live_server, moderator)
    page.goto(live_server.url + QUEUE)
    row = card(page, parent)
    row.get_by_text("Reply", exact=True).click()
    row.get_by_label(re.compile("Reply as")).fill("Many readers find it does; ask your physio.")
    row.get_by_role("button", name="Publish reply").click()
    expect(card(page, parent)).to_contain_text("Reply published.")
    expect(card(page, parent)).to_have_attribute("data-state", "published")
    tabs = page.locator(".queue-tabs")  # the parent approved, and the reply published
    expect(tabs.locator('a[data-state="pending"]')).to_contain_text("Pending (0)")
    expect(tabs.locator('a[data-state="published"]')).to_contain_text("Published (2)")
    expect(tabs.locator('a[data-state="all"]')).to_contain_text("All (2)")
    reply = Comment.objects.get(parent_id=parent.pk, from_site=True)
    assert reply.user_name == settings.COMMENTS_SITE_REPLY_NAME
    reader = browser.new_page()
    reader.goto(live_server.url + parent.content_object.get_absolute_url())
    expect(reader.locator(f"#c{reply.pk}")).to_contain_text("Many readers find it does")
    expect(reader.locator(f"#c{reply.pk} .comment-meta")).to_contain_text(
        settings.COMMENTS_SITE_REPLY_NAME
    )
    assert errors == []


def test_undo_a_row_action_and_a_bulk_action(browser, live_server, moderator):
    one, two, three = (CommentFactory(state="pending") for _ in range(3))
    page, errors = logged_in(browser, live_server, moderator)
    page.goto(live_server.url + QUEUE)
    card(page, one).get_by_role("button", name="Spam").click()
    expect(card(page, one)).to_contain_text("Marked as spam.")
    spam_tab = page.locator('.queue-tabs a[data-state="spam"]')
    expect(spam_tab).to_contain_text("Spam (1)")
    card(page, one).get_by_role("link", name="Undo").click()
    expect(card(page, one)).to_have_attribute("data-state", "pending")
    expect(spam_tab).to_contain_text("Spam (0)")
    one.refresh_from_db()
    assert one.state == "pending"

    for comment in (two, three):
        card(page, comment).locator("xpath=ancestor::tr//input[@type='checkbox']").check()
    page.locator("select[name=action]").select_option("remove")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("2 comments removed.")
    page.locator(".messagelist").get_by_role("link", name="Undo").click()
    expect(page.locator(".messagelist")).to_contain_text("2 comments put back.")
    assert set(Comment.objects.values_list("state", flat=True)) == {"pending"}
    assert errors == []


def test_approve_from_the_email_link_after_logging_in(browser, live_server, moderator):
    comment = CommentFactory(state="pending", comment="Held for the email test.")
    notify_moderators.call(comment.pk)
    body = mail.outbox[-1].body
    link = re.search(r"^Approve: (\S+)$", body, re.M).group(1)
    path = link.removeprefix(settings.SITE_URL.rstrip("/"))
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + path)
    page.get_by_label("Username").fill("mod")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".decision-confirm")).to_contain_text("Held for the email test.")
    comment.refresh_from_db()
    assert comment.state == "pending"  # opening the link changed nothing
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    comment.refresh_from_db()
    assert comment.state == "published"
    assert comment.moderated_by == moderator
    assert errors == []


def test_moderating_in_context_while_a_reader_sees_each_approval_at_once(
    browser, live_server, moderator
):
    article = ArticleFactory()
    CommentFactory(article=article, state="published", comment="Already public.")
    held = [
        CommentFactory(article=article, state="pending", comment=f"Held number {n}.")
        for n in range(3)
    ]
    url = live_server.url + article.get_absolute_url()
    reader = browser.new_context().new_page()
    reader.goto(url)  # cached for readers from now on
    expect(reader.get_by_text("Already public.")).to_be_visible()
    expect(reader.get_by_text("Held number")).to_have_count(0)

    page, errors = logged_in(browser, live_server, moderator)
    page.goto(url)
    for comment in held:
        item = page.locator(f"#c{comment.pk}")
        expect(item).to_have_class(re.compile("pending"))
        expect(item.locator(".moderate-note")).to_contain_text("Pending")
        item.get_by_role("button", name="Approve").click()
        expect(page).to_have_url(re.compile(rf"#c{comment.pk}$"))
        expect(page.locator(f"#c{comment.pk}")).not_to_have_class(re.compile("pending"))
        reader.reload()
        expect(reader.get_by_text(comment.comment)).to_be_visible()
    expect(reader.locator(".moderate-here")).to_have_count(0)
    assert errors == []


def test_without_javascript_the_buttons_are_forms_that_come_back_to_the_queue(
    browser, live_server, moderator
):
    comments = [CommentFactory(state="pending") for _ in range(3)]
    page, errors = logged_in(browser, live_server, moderator, java_script_enabled=False)
    url = live_server.url + QUEUE + "?state=pending"
    page.goto(url)
    card(page, comments[1]).get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    # The same place in the queue, at the next card (tests/e2e/test_queue_landing.py).
    assert page.url == f"{url}#qc-{comments[0].pk}-landing"
    expect(page.locator('.queue-tabs a[data-state="pending"]')).to_contain_text("Pending (2)")
    page.locator(".messagelist").get_by_role("link", name="Undo").click()
    page.get_by_role("button", name="Undo").click()  # without script, Undo asks first
    expect(page.locator(".messagelist")).to_contain_text("1 comment put back.")
    comments[1].refresh_from_db()
    assert comments[1].state == "pending"
    assert errors == []


@pytest.mark.parametrize(
    "path", ["medicalclaimpattern", "spamsignature", "commentversion", "commentreport"]
)
def test_the_moderators_lists_fit_a_wide_screen_with_their_long_values(
    browser, live_server, admin_user, path
):
    """Beside the filters at 1,280 px, every column is in view. A regular expression (the
    shipped medical claim patterns) or a text fingerprint (192 hex digits) has no place to
    break, and a comment's column (a foreign key) or a long heading never wraps: they took
    the width (the patterns' column 736 px, the spam list 2,131 px in all), and the kind,
    category, date or earlier text were out of view."""
    from comments.models import CommentReport, CommentVersion, SpamSignature

    spam = CommentFactory(article=ArticleFactory(), state="spam")
    SpamSignature.objects.create(comment=spam, kind="text", value="0123abcd" * 24)
    comment = CommentFactory(comment="My nerve pain eased after a week of gentle glides. " * 3)
    CommentVersion.objects.create(
        comment=comment, text=comment.comment, state="published", change="edited"
    )
    CommentReport.objects.create(comment=comment, reason="medical", text="Is this safe? " * 5)
    wide = {"width": 1280, "height": 900}
    page, errors = logged_in(browser, live_server, admin_user, viewport=wide)
    page.goto(f"{live_server.url}/admin/comments/{path}/")
    assert page.locator("#result_list tbody tr").count() > 0
    table = page.locator("#result_list").bounding_box()
    results = page.locator(".results").bounding_box()
    assert table["x"] + table["width"] <= results["x"] + results["width"] + 1, (table, results)
    assert errors == []


def test_replying_to_a_worried_readers_comment_with_the_crisis_resources_keyboard_only(
    browser, live_server, moderator
):
    """From the "a reader is worried" email to a reply under the comment on a phone, without
    retyping the helplines: the article's Moderate, then Tab from the reply box to "Insert
    the crisis resources", Enter, and Save."""
    from comments.models import CrisisSupport

    comment = CommentFactory(article=ArticleFactory(), comment="I can't do this any more.")
    page, errors = logged_in(
        browser, live_server, moderator, viewport={"width": 375, "height": 800}
    )
    page.goto(f"{live_server.url}{comment.get_absolute_url()}")
    page.locator(f"#c{comment.pk} .moderate-link").click()
    # The button is the page's script's (deferred): on a loaded machine Tab went on before it.
    expect(page.get_by_role("button", name="Insert the crisis resources")).to_be_attached()
    box = page.locator("#id_reply")
    box.focus()
    page.keyboard.type("We read what you wrote.")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Insert the crisis resources")
    page.keyboard.press("Enter")
    expected = "We read what you wrote.\n\n" + CrisisSupport.current().as_reply()
    expect(box).to_have_value(expected)
    expect(box).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # again: the resources stay there once
    expect(box).to_have_value(expected)
    page.locator(".submit-row input[name=_save]").click()  # not the hidden one Enter takes
    reply = Comment.objects.get(parent_id=comment.pk, from_site=True)
    assert reply.comment.splitlines() == expected.splitlines()  # the browser sends CRLF
    assert errors == []
