"""Leaving the queue with a reply typed and not published asks first (with script); a decision
without script comes back at the next card, a Tab or so from its buttons."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.test_moderation import QUEUE, card, logged_in
from tests.e2e.test_queue_fixes import mod  # noqa: F401 (a fixture)
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_leaving_with_a_typed_reply_asks_first(browser, live_server, mod):  # noqa: F811
    first, second = CommentFactory(state="pending"), CommentFactory(state="pending")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    asked = []

    def answer(dialog, leave):
        asked.append(dialog.type)
        dialog.accept() if leave else dialog.dismiss()

    row = card(page, first)
    row.get_by_text("Reply", exact=True).click()
    box = row.get_by_label(re.compile("Reply as"))
    box.fill("Half a reply")
    box.press("End")  # a user gesture: the browser asks only after one
    page.once("dialog", lambda d: answer(d, leave=False))
    page.locator('.queue-tabs a[data-state="published"]').click(no_wait_after=True)
    expect(box).to_have_value("Half a reply")  # stayed
    assert asked == ["beforeunload"]
    assert page.url.endswith(QUEUE)

    # Sending the page's own form (a bulk action) keeps the text: no question.
    page.locator(f'input.action-select[value="{second.pk}"]').check()
    page.locator("select[name=action]").select_option("approve")
    page.locator("button[name=index]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved")
    box = card(page, first).get_by_label(re.compile("Reply as"))
    expect(box).to_have_value("Half a reply")  # given back by the server
    assert asked == ["beforeunload"]

    # Published: the box is empty, leaving asks nothing.
    card(page, first).get_by_role("button", name="Publish reply").click()
    expect(card(page, first)).to_contain_text("Reply published.")
    page.locator('.queue-tabs a[data-state="published"]').click()
    expect(page).to_have_url(re.compile(r"state=published"))
    assert asked == ["beforeunload"]
    assert errors == []


def test_without_script_a_decision_comes_back_at_the_next_card(browser, live_server, mod):  # noqa: F811
    article = ArticleFactory()
    for _ in range(4):
        CommentFactory(article=article, state="pending", ip_address="192.0.2.1")
    page, _errors = logged_in(browser, live_server, mod, java_script_enabled=False)
    page.goto(live_server.url + QUEUE)
    order = [int(pk) for pk in page.locator("#result_list .qc").evaluate_all(
        "cards => cards.map(c => c.dataset.pk)")]  # fmt: skip
    decided, following = order[1], order[2]
    card(page, Comment(pk=decided)).get_by_role("button", name="Approve").click()
    expect(page).to_have_url(re.compile(rf"{QUEUE}#qc-{following}-landing$"))
    # The decision and its Undo, where the decided card was, just above the next one.
    landing = page.locator(f"#qc-{following}-landing")
    expect(landing).to_have_text("1 comment approved. Undo")
    expect(landing).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == f"qc-{following}-landing"
    assert page.evaluate("document.querySelectorAll('.messagelist').length") == 1
    landed = card(page, Comment(pk=following))
    expect(landed).to_be_in_viewport()

    # From there the keyboard goes on: Undo, that card's links (email, "All from this email",
    # IP, the article), then its Approve; from the top of the page it was some 27 Tabs.
    page.keyboard.press("Tab")
    expect(landing.get_by_role("link", name="Undo")).to_be_focused()
    presses = 1
    approve = landed.get_by_role("button", name="Approve")
    while presses < 12:
        page.keyboard.press("Tab")
        presses += 1
        assert page.evaluate("document.activeElement.closest('.qc')?.id") == f"qc-{following}"
        if approve.evaluate("b => b === document.activeElement"):
            break
    assert presses == 6
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{QUEUE}#qc-{order[3]}-landing$"))
    assert Comment.objects.filter(state="published").count() == 2
