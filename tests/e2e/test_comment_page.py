"""A comment's page in the admin, opened on a phone from an email: the comment and its
decisions together near the top, Enter still saves, "Publish with a note" works without
script, and the worried-writer buttons show where the keyboard is in the dark theme."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, CommentReport
from tests.e2e.test_admin_fixes_comments import log_in_moderator
from tests.factories import CommentFactory

# serialized_rollback: data migrations (the Moderators group) survive flushes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 375, "height": 740}


def medical_claim():
    return CommentFactory(
        state="pending",
        user_name="Dave",
        reason="medical",
        reason_detail="stop taking your pregabalin",
        comment="Stop taking your pregabalin and try magnesium instead, it cured me.",
    )


def test_on_a_phone_the_decisions_are_under_the_comment_near_the_top(browser, live_server):
    """They were 2,900 px down, under Django's red Delete; now they follow the comment's
    text, within the second screen of a 375 px phone."""
    comment = medical_claim()
    page = browser.new_context(viewport=PHONE).new_page()
    log_in_moderator(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/{comment.pk}/change/")
    text = page.locator("#id_comment").bounding_box()
    approve = page.locator(".comment-decisions").get_by_role("button", name="Approve")
    box = approve.bounding_box()
    assert box["y"] < 2 * PHONE["height"]
    assert 0 < box["y"] - (text["y"] + text["height"]) < 200  # the comment, then its decisions
    assert box["width"] >= 44 and box["height"] >= 44


def test_enter_in_the_name_field_saves_without_deciding(browser, live_server):
    comment = medical_claim()
    page = browser.new_context(viewport=PHONE).new_page()
    log_in_moderator(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/{comment.pk}/change/")
    page.locator("#id_user_name").fill("Dave B")
    with page.expect_navigation():
        page.locator("#id_user_name").press("Enter")
    comment.refresh_from_db()
    assert (comment.user_name, comment.state) == ("Dave B", "pending")


def test_publish_with_a_note_works_without_script(browser, live_server):
    comment = medical_claim()
    page = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()
    log_in_moderator(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/{comment.pk}/change/")
    page.get_by_label("Note from the site").fill("Please ask your doctor first.")
    page.get_by_role("button", name="Publish with this note").click()
    page.wait_for_url(f"**/admin/comments/comment/{comment.pk}/change/")
    comment.refresh_from_db()
    assert (comment.state, comment.site_note) == (
        Comment.State.PUBLISHED,
        "Please ask your doctor first.",
    )


CONTRAST = """element => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  let parent = element.parentElement, bg = "rgb(255, 255, 255)";
  for (; parent; parent = parent.parentElement) {
    const colour = getComputedStyle(parent).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)") { bg = colour; break; }
  }
  const style = getComputedStyle(element);
  const [a, b] = [lum(rgb(style.outlineColor)), lum(rgb(bg))];
  return {
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
  };
}"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_worry_buttons_focus_ring_stands_out(browser, live_server, scheme):
    """Their ring was the browser's own thin one, all but invisible on the dark theme: a
    3 px ring at 3:1 or more against the background around it (WCAG 2.2, 1.4.11)."""
    comment = CommentFactory(state="published")
    CommentReport.objects.create(comment=comment, reason="worried", reporter_key_hash="k")
    page = browser.new_context(color_scheme=scheme).new_page()
    log_in_moderator(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/{comment.pk}/change/")
    for button in ["Mark the worry as handled", "Insert the crisis resources"]:
        locator = page.get_by_role("button", name=button)
        locator.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus from the keyboard: :focus-visible
        ring = locator.evaluate(CONTRAST)
        assert ring["style"] == "solid" and ring["width"] >= 2, (button, ring)
        assert ring["ratio"] >= 3, (button, ring)


def test_a_saved_objects_name_in_the_message_reads_as_a_sentence_on_a_phone(browser, live_server):
    """After a save, Django's "The comment “…” was changed successfully" at 375 px drew the
    linked name as a 44 px block (the Undo's tap-target rule), with wide gaps and tall lines.
    The name is a link in the line now; a decision's Undo is still a 44 px target."""
    comment = medical_claim()
    page = browser.new_context(viewport=PHONE).new_page()
    log_in_moderator(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/{comment.pk}/change/")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    name = page.locator(".messagelist a").first
    line = page.locator(".messagelist li").first
    assert name.evaluate("a => getComputedStyle(a).display") == "inline"
    assert name.evaluate("a => getComputedStyle(a).minHeight") in ("auto", "0px")
    assert line.bounding_box()["height"] < 90  # three lines of text; it was 104 px
    with page.expect_navigation():
        page.locator(".comment-decisions").get_by_role("button", name="Spam").click()
    undo = page.locator(".messagelist").get_by_role("link", name="Undo").bounding_box()
    assert undo["height"] >= 44 and undo["width"] >= 44


def test_the_note_from_the_site_is_counted_on_the_comments_page_and_in_the_queue(
    browser, live_server
):
    """The note's box has no maxlength (it cut a pasted note without a word): its count says
    how many characters are left, then how many too many, as the summary's does, on the
    comment's page and on the queue's "Publish with a note" page."""
    comment = medical_claim()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_moderator(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/{comment.pk}/change/")
    box = page.get_by_label("Note from the site")
    count = page.locator("#id_site_note_count")
    expect(count).to_have_text("You have 229 characters left.")  # the 71 of the default note
    box.fill("Please ask your doctor first. " * 11)  # 329 characters without the last space
    expect(count).to_have_text("You have 29 characters too many.")
    expect(count).to_have_class(re.compile(r"\berror\b"))

    page.goto(f"{live_server.url}/admin/comments/comment/")
    page.locator(f"input[name=_selected_action][value='{comment.pk}']").check()
    page.locator("select[name=action]").select_option("publish_with_note")
    page.get_by_role("button", name="Go").click()
    box = page.get_by_label("Note from the site")
    expect(page.locator("#id_site_note_count")).to_have_text("You have 229 characters left.")
    box.fill("Ask your doctor.")
    expect(page.locator("#id_site_note_count")).to_have_text("You have 284 characters left.")


def test_undo_on_a_comments_page_says_it_put_the_comment_back(browser, live_server):
    """With script, Undo from the message on a comment's own page reloaded it saying nothing
    (the answer was a queue card this page has none of); without script it said so."""
    comment = medical_claim()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in_moderator(page, live_server)
    page.goto(f"{live_server.url}/admin/comments/comment/{comment.pk}/change/")
    page.get_by_role("button", name="Publish with this note").click()
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("1 comment published with the note from the site.")
    messages.get_by_role("link", name="Undo").click()
    expect(messages).to_contain_text("1 comment put back.")
    comment.refresh_from_db()
    assert (comment.state, comment.site_note) == ("pending", "")
