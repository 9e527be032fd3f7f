"""The queue in a real browser, where the audit found work lost or keys dead: a reply typed
before a decision, keys after ticking a row with the mouse, Esc in a reply box, the colour of
a spam card's text, and moderating on the article page. No console error (CSP) anywhere."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.test_moderation import QUEUE, card, logged_in
from tests.factories import ArticleFactory, CommentFactory, UserFactory

# serialized_rollback: data migrations (the Moderators group) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def mod(transactional_db):
    user = UserFactory(username="mod", is_staff=True, email="mod@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def reply_typed(browser, live_server, mod, comment, text):
    """The queue, with ``text`` typed in the comment's reply box: (page, console errors, card)."""
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    row = card(page, comment)
    row.get_by_text("Reply", exact=True).click()
    row.get_by_label(re.compile("Reply as")).fill(text)
    return page, errors, row


def site_replies(parent):
    return list(Comment.objects.filter(parent_id=parent.pk, from_site=True))


def test_approve_with_a_typed_reply_publishes_the_reply_too(browser, live_server, mod):
    """The reply box says publishing approves; pressing Approve instead did approve, and
    threw the reply away."""
    parent = CommentFactory(state="pending", comment="Does heat help?")
    page, errors, row = reply_typed(browser, live_server, mod, parent, "Some readers find it does.")
    row.get_by_role("button", name="Approve").click()
    expect(card(page, parent)).to_contain_text("Reply published.")
    expect(card(page, parent)).to_have_attribute("data-state", "published")
    tabs = page.locator(".queue-tabs")
    expect(tabs.locator('a[data-state="pending"]')).to_contain_text("Pending (0)")
    expect(tabs.locator('a[data-state="published"]')).to_contain_text("Published (2)")
    [reply] = site_replies(parent)
    assert reply.comment == "Some readers find it does."
    assert errors == []


def test_spam_with_a_typed_reply_asks_before_discarding_it(browser, live_server, mod):
    parent = CommentFactory(state="pending")
    page, errors, row = reply_typed(browser, live_server, mod, parent, "Words I meant to send")
    box = row.get_by_label(re.compile("Reply as"))
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, accept=False))
    row.get_by_role("button", name="Spam").click()
    expect(box).to_be_focused()  # "no": back in the reply, nothing changed
    expect(box).to_have_value("Words I meant to send")
    assert asked == ["Your reply is not published. Discard it and mark the comment as spam?"]
    parent.refresh_from_db()
    assert parent.state == "pending"

    page.once("dialog", lambda d: answer(d, accept=True))
    row.get_by_role("button", name="Spam").click()
    expect(card(page, parent)).to_have_attribute("data-state", "spam")
    assert site_replies(parent) == []
    assert errors == []


def test_keys_still_work_after_ticking_a_row_with_the_mouse(browser, live_server, mod):
    article = ArticleFactory()
    for _ in range(3):
        CommentFactory(article=article, state="pending")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    pks = [int(pk) for pk in page.locator("#result_list .qc").evaluate_all(
        "cards => cards.map(c => c.dataset.pk)")]  # fmt: skip
    first = page.locator(f"#qc-{pks[0]}")
    box = first.locator("xpath=ancestor::tr//input[@type='checkbox']")
    box.click()  # the mouse: focus stays on the checkbox
    expect(box).to_be_checked()
    expect(box).to_be_focused()
    page.keyboard.press("j")  # from the ticked row to the next
    expect(page.locator(f"#qc-{pks[1]}")).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator(f"#qc-{pks[1]}")).to_have_attribute("data-state", "published")
    # A text field still keeps its keys: the search box.
    page.locator("#searchbar").fill("")
    page.locator("#searchbar").press("a")
    expect(page.locator("#searchbar")).to_have_value("a")
    assert Comment.objects.filter(state="published").count() == 1
    assert errors == []


def test_escape_closes_a_reply_box_opened_with_r(browser, live_server, mod):
    comment = CommentFactory(state="pending")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    row = card(page, comment)
    reply = row.locator("details.qc-reply")
    page.keyboard.press("j")
    page.keyboard.press("r")
    expect(row.locator("textarea")).to_be_focused()
    page.keyboard.press("Escape")
    expect(reply).not_to_have_attribute("open", "")
    expect(row).to_be_focused()  # the keys are the card's again

    page.keyboard.press("r")
    page.keyboard.type("half a thought")
    page.once("dialog", lambda d: d.accept())  # "Discard your reply?"
    page.keyboard.press("Escape")
    expect(reply).not_to_have_attribute("open", "")
    expect(row).to_be_focused()
    expect(row.locator("textarea")).to_have_value("")
    page.keyboard.press("a")  # approves, with no reply left to publish
    expect(row).to_have_attribute("data-state", "published")
    assert site_replies(comment) == []
    assert errors == []


def test_a_spam_card_reads_in_the_normal_text_colour(browser, live_server, mod):
    """The card's state class was the Spam button's: every word of a spam card in dark red."""
    spam = CommentFactory(state="spam", comment="Cheap pills")
    held = CommentFactory(state="pending", comment="Ordinary words")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE + "?state=all")
    colour = "el => getComputedStyle(el).color"
    spam_text = card(page, spam).locator(".qc-text").evaluate(colour)
    held_text = card(page, held).locator(".qc-text").evaluate(colour)
    assert spam_text == held_text
    # The Spam button keeps its own colour.
    button = card(page, held).get_by_role("button", name="Spam").evaluate(colour)
    assert button == "rgb(138, 26, 18)"
    assert spam_text != button
    assert errors == []


def test_approve_on_the_comment_page_publishes_the_typed_reply(browser, live_server, mod):
    parent = CommentFactory(state="pending")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(f"{live_server.url}{QUEUE}{parent.pk}/change/")
    page.get_by_label(re.compile("Reply as")).fill("Thank you for telling us.")
    page.locator(".comment-decisions").get_by_role("button", name="Approve").click()
    messages = page.locator(".messagelist")
    expect(messages).to_contain_text("Your reply is published.")
    expect(messages).to_contain_text("1 comment approved.")
    expect(page).to_have_url(re.compile(rf"/{parent.pk}/change/$"))
    [reply] = site_replies(parent)
    assert reply.comment == "Thank you for telling us."
    assert errors == []


def test_spam_on_the_article_page_says_so_with_undo(browser, live_server, mod):
    article = ArticleFactory()
    held = CommentFactory(article=article, state="pending", comment="Cheap pills here")
    url = live_server.url + article.get_absolute_url()
    page, errors = logged_in(browser, live_server, mod, viewport={"width": 375, "height": 800})
    page.goto(url)
    page.locator(f"#c{held.pk}").get_by_role("button", name="Spam").click()
    expect(page).to_have_url(re.compile(r"#moderated$"))  # the comment is gone; its message
    message = page.locator("#moderated")
    expect(message).to_contain_text("1 comment marked as spam.")
    expect(message).to_be_in_viewport()
    expect(page.locator(f"#c{held.pk}")).to_have_count(0)
    message.get_by_role("link", name="Undo").click()
    page.get_by_role("button", name="Undo").click()  # no script here: Undo asks once
    expect(page).to_have_url(re.compile(rf"#c{held.pk}$"))
    expect(page.locator("#moderated")).to_contain_text("1 comment put back.")
    expect(page.locator(f"#c{held.pk} .moderate-here")).to_be_visible()
    held.refresh_from_db()
    assert held.state == "pending"
    assert errors == []


def test_deciding_the_last_waiting_card_of_a_page_leads_to_the_next_ones(browser, live_server, mod):
    """The decided cards stay on the page (for Undo) but leave the queue: after the last one
    the focus stayed on it, j went nowhere, and the list's page links now skipped comments or
    led to an error. The page says it is done, and Enter goes to the next waiting ones."""
    article = ArticleFactory()
    held = [CommentFactory(article=article, state="pending") for _ in range(22)]
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE + "?p=2")  # the 2 oldest of 22: 20 a page
    expect(page.locator("#result_list .qc")).to_have_count(2)
    cards = page.locator("#result_list .qc")
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(cards.first).to_have_attribute("data-state", "published")
    expect(page.locator("#qc-page-done")).to_have_count(0)  # one still waiting here
    page.keyboard.press("a")
    done = page.locator("#qc-page-done")
    expect(done).to_contain_text("Every comment on this page is decided.")
    link = done.get_by_role("link", name="Next waiting comments")
    expect(link).to_be_focused()
    # Undo puts a comment back in the queue: the page is no longer done, until it is again.
    page.locator("#result_list .qc a.undo-link").last.click()
    expect(done).to_have_count(0)
    page.keyboard.press("a")
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"state=pending"))
    expect(page.locator('#result_list .qc[data-state="pending"]')).to_have_count(20)
    assert Comment.objects.filter(pk__in=[c.pk for c in held], state="pending").count() == 20
    assert errors == []


def test_next_waiting_comments_is_reached_with_tab_after_mouse_decisions(browser, live_server, mod):
    """Decided with the mouse, the page said "Next waiting comments", but its link was out of
    the Tab order (tabindex -1): a keyboard user tabbing on from the last card skipped it."""
    article = ArticleFactory()
    held = [CommentFactory(article=article, state="pending") for _ in range(22)]
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE + "?p=2")  # the 2 oldest of 22
    cards = page.locator("#result_list .qc")
    expect(cards).to_have_count(2)
    for i in range(2):
        cards.nth(i).get_by_role("button", name="Approve").click()
        expect(cards.nth(i)).to_have_attribute("data-state", "published")
    link = page.locator("#qc-page-done").get_by_role("link", name="Next waiting comments")
    expect(link).to_be_visible()
    last = page.locator("#result_list tr").last  # a decided card: a line with Undo
    last.locator("a[href]:visible, button:visible, input:visible, summary:visible").last.focus()
    page.keyboard.press("Tab")
    expect(link).to_be_focused()
    assert Comment.objects.filter(pk__in=[c.pk for c in held], state="pending").count() == 20
    assert errors == []


def test_the_lists_own_counts_follow_each_decision_and_undo(browser, live_server, mod):
    """The tabs followed each decision but "3 results" by the search box and "3 comments"
    under the list did not: beside "Pending (1)" they said 3."""
    article = ArticleFactory()
    held = [CommentFactory(article=article, state="pending") for _ in range(3)]
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    found = page.locator("#changelist-search .quiet")
    under = page.locator("#changelist .paginator")
    expect(found).to_contain_text("3 results")
    for comment in held[:2]:
        card(page, comment).get_by_role("button", name="Approve").click()
        expect(card(page, comment)).to_have_attribute("data-state", "published")
    expect(page.locator('.queue-tabs a[data-state="pending"]')).to_contain_text("Pending (1)")
    expect(found).to_contain_text("1 result (")
    expect(under).to_contain_text("1 comment")
    expect(under).not_to_contain_text("1 comments")
    card(page, held[0]).get_by_role("link", name="Undo").click()
    expect(card(page, held[0])).to_have_attribute("data-state", "pending")
    expect(found).to_contain_text("2 results")
    expect(under).to_contain_text("2 comments")
    # On the All tab a decided comment stays listed: its counts stay too.
    page.goto(live_server.url + QUEUE + "?state=all")
    expect(under).to_contain_text("3 comments")
    card(page, held[0]).get_by_role("button", name="Spam").click()
    expect(card(page, held[0])).to_have_attribute("data-state", "spam")
    expect(under).to_contain_text("3 comments")
    assert errors == []


def test_a_key_decision_skips_cards_already_decided_with_the_mouse(browser, live_server, mod):
    """After a key decision the focus went to the next card on the page even if the mouse had
    decided it already: a second key then acted on a decided comment. It goes to the next card
    still waiting, and once none is, to the page's "Next waiting comments"."""
    article = ArticleFactory()
    for _ in range(3):
        CommentFactory(article=article, state="pending")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    order = page.locator("#result_list .qc")
    expect(order).to_have_count(3)
    ids = [order.nth(i).get_attribute("id") for i in range(3)]
    top, middle, bottom = (page.locator(f"#{pk}") for pk in ids)
    middle.get_by_role("button", name="Spam").click()
    expect(middle).to_have_attribute("data-state", "spam")
    page.keyboard.press("k")  # from the card just decided, up to the first
    expect(top).to_be_focused()
    page.keyboard.press("a")
    expect(top).to_have_attribute("data-state", "published")
    expect(bottom).to_be_focused()  # not the spam card between them
    bottom.get_by_role("button", name="Remove").click()
    expect(bottom).to_have_attribute("data-state", "removed")
    # Undo the first, decide it again by key: none waits after it, nor above, nor anywhere.
    top.get_by_role("link", name="Undo").click()
    expect(top).to_have_attribute("data-state", "pending")
    page.keyboard.press("a")
    expect(top).to_have_attribute("data-state", "published")
    expect(page.locator("#qc-page-done :focus")).to_have_text(
        "No comments are waiting for moderation."
    )
    states = dict(Comment.objects.values_list("pk", "state"))
    assert sorted(states.values()) == ["published", "removed", "spam"]
    assert errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_opening_the_reply_box_moves_no_button(browser, live_server, mod, width):
    """The open reply box took a line of its own with its Reply button, below Open: the
    buttons moved under the pointer. The row stays as it was; the box opens below it."""
    held = CommentFactory(state="pending")
    # Tall enough for the open box: Reply puts the cursor in it, which scrolls a box below the
    # window's foot into view, and every button with it.
    viewport = {"width": width, "height": 1400}
    page, errors = logged_in(browser, live_server, mod, viewport=viewport)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    buttons = [
        row.get_by_role("button", name="Approve"),
        row.get_by_role("button", name="Spam"),
        row.get_by_text("Reply", exact=True),
        row.get_by_role("link", name="Open"),
    ]
    before = [b.bounding_box() for b in buttons]
    buttons[2].click()
    box = row.get_by_label(re.compile("Reply as"))
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    assert [b.bounding_box() for b in buttons] == before
    # The box and its Publish button are below the row, within the card.
    assert box.bounding_box()["y"] >= max(b["y"] + b["height"] for b in before)
    assert row.get_by_role("button", name="Publish reply").is_visible()
    buttons[2].click()
    expect(box).to_be_hidden()
    assert [b.bounding_box() for b in buttons] == before
    assert errors == []


def disclosure(page, selector):
    """What the browser tells a screen reader about a summary: (name, expanded). Playwright's
    own role queries give a summary no role; Chromium's accessibility tree does."""
    session = page.context.new_cdp_session(page)
    found = session.send(
        "Runtime.evaluate", {"expression": f"document.querySelector({selector!r})"}
    )
    node = session.send("DOM.describeNode", {"objectId": found["result"]["objectId"]})
    tree = session.send(
        "Accessibility.getPartialAXTree",
        {"backendNodeId": node["node"]["backendNodeId"], "fetchRelatives": False},
    )
    ax = tree["nodes"][0]
    props = {p["name"]: p["value"].get("value") for p in ax.get("properties", [])}
    session.detach()
    return ax["role"]["value"], ax["name"]["value"], props.get("expanded")


def test_a_long_comments_toggle_says_show_less_under_the_open_text(browser, live_server, mod):
    """Opened, a long comment kept "Show more" at the top of its text, and nothing near the
    buttons closed it again. The toggle says what it will do and sits under the text."""
    long = "\n\n".join(
        f"Paragraph {n}. " + "Some words about my nerve pain. " * 4 for n in range(6)
    )
    held = CommentFactory(state="pending", comment=long)
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    summary = f"#qc-{held.pk} .qc-more > summary"
    toggle = page.locator(summary)
    expect(toggle).to_have_text("Show more", use_inner_text=True)
    assert disclosure(page, summary) == ("DisclosureTriangle", "Show more", False)
    expect(row.locator(".qc-preview p")).to_have_count(3)  # the paragraphs stay apart
    toggle.click()
    expect(toggle).to_have_text("Show less", use_inner_text=True)
    assert disclosure(page, summary) == ("DisclosureTriangle", "Show less", True)
    text = row.locator(".qc-full").bounding_box()
    under = toggle.bounding_box()
    approve = row.get_by_role("button", name="Approve").bounding_box()
    assert text["y"] + text["height"] <= under["y"] < approve["y"]  # under the text
    assert approve["y"] - (under["y"] + under["height"]) < 40  # by the buttons
    toggle.click()
    expect(toggle).to_have_text("Show more", use_inner_text=True)
    expect(row.locator(".qc-preview")).to_be_visible()
    assert errors == []


def test_on_a_phone_a_long_comments_toggle_is_a_finger_sized_target(browser, live_server, mod):
    """ "Show more" was 32 px tall on a phone, the card's buttons 44: it is 44 too, its words
    midway between the text and the buttons, over neither, open or closed."""
    held = CommentFactory(state="pending", comment="Some words about my nerve pain. " * 40)
    page, errors = logged_in(browser, live_server, mod, viewport={"width": 375, "height": 800})
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    toggle = row.locator(".qc-more > summary")
    for text in (".qc-preview", ".qc-full"):
        above = row.locator(text).bounding_box()
        target = toggle.bounding_box()
        words = row.locator(".qc-more > summary > :visible").bounding_box()
        approve = row.get_by_role("button", name="Approve").bounding_box()
        assert target["height"] >= 44
        assert above["y"] + above["height"] <= target["y"]
        assert target["y"] + target["height"] <= approve["y"]
        gap_above = words["y"] - (above["y"] + above["height"])
        gap_below = approve["y"] - (words["y"] + words["height"])
        assert abs(gap_above - gap_below) <= 8, (gap_above, gap_below)
        toggle.click()
    assert errors == []


def test_the_bulk_selection_counts_follow_cards_leaving_pending(browser, live_server, mod):
    """ "Select all 22 comments" and "0 of 20 selected" kept counting the rows as the page
    loaded after cards had been decided and left Pending. A decided card's tick box is off
    (a bulk action would decide it again) until Undo brings it back."""
    article = ArticleFactory()
    held = [CommentFactory(article=article, state="pending") for _ in range(22)]
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    counter = page.locator(".actions .action-counter")
    expect(counter).to_have_text("0 of 20 selected")
    rows = page.locator("#result_list .qc")
    first, second = rows.nth(0), rows.nth(1)
    first.get_by_role("button", name="Approve").click()
    expect(first).to_have_attribute("data-state", "published")
    second.get_by_role("button", name="Spam").click()
    expect(second).to_have_attribute("data-state", "spam")
    expect(counter).to_have_text("0 of 18 selected")
    boxes = page.locator("#result_list input.action-select")
    expect(boxes.nth(0)).to_be_disabled()
    expect(boxes.nth(2)).to_be_enabled()
    page.locator("#action-toggle").click()
    expect(counter).to_have_text("18 of 18 selected")
    expect(boxes.nth(0)).not_to_be_checked()
    select_all = page.locator(".actions .question a")
    expect(select_all).to_have_text("Select all 20 comments")
    first.get_by_role("link", name="Undo").click()
    expect(first).to_have_attribute("data-state", "pending")
    expect(boxes.nth(0)).to_be_enabled()
    expect(counter).to_have_text("18 of 19 selected")
    expect(select_all).to_have_text("Select all 21 comments")
    boxes.nth(0).check()
    expect(counter).to_have_text("19 of 19 selected")
    select_all.click()
    expect(page.locator(".actions .all")).to_have_text("All 21 selected")
    states = dict(Comment.objects.filter(pk__in=[c.pk for c in held]).values_list("pk", "state"))
    assert sorted(states.values()).count("pending") == 21
    assert errors == []


def tab_names(page, start, count):
    """What Tab reaches after ``start``, by its text (a box by its label)."""
    start.focus()
    names = []
    for _ in range(count):
        page.keyboard.press("Tab")
        names.append(
            page.evaluate(
                "(e => e.labels && e.labels.length ? e.labels[0].textContent"
                " : e.textContent)(document.activeElement).trim()"
            )
        )
    return names


def test_tab_goes_reply_open_then_the_open_reply_box(browser, live_server, mod):
    """The reply box is drawn below the row of buttons, Open in the row beside Reply; Tab went
    from Reply into the box and "Publish reply", and only then back up to Open."""
    held = CommentFactory(state="pending", comment="Is this normal?")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    reply = row.get_by_text("Reply", exact=True)
    reply.click()
    names = tab_names(page, reply, 3)
    assert names[0] == "Open" and names[1].startswith("Reply as") and names[2] == "Publish reply"
    summary = f"#qc-{held.pk} .qc-reply > summary"
    assert disclosure(page, summary) == ("DisclosureTriangle", "Reply", True)
    # Drawn in that order: Open beside Reply, the box below them both.
    reply_box, open_box = reply.bounding_box(), row.get_by_role("link", name="Open").bounding_box()
    box = row.get_by_label(re.compile("Reply as")).bounding_box()
    assert open_box["y"] == reply_box["y"] and open_box["x"] > reply_box["x"]
    assert box["y"] > open_box["y"] + open_box["height"]
    reply.click()
    assert disclosure(page, summary) == ("DisclosureTriangle", "Reply", False)
    expect(row.get_by_label(re.compile("Reply as"))).to_be_hidden()
    assert tab_names(page, reply, 1) == ["Open"]
    assert errors == []


def test_without_javascript_the_reply_box_still_opens_and_publishes(browser, live_server, mod):
    held = CommentFactory(state="pending", comment="Is this normal?")
    page, errors = logged_in(browser, live_server, mod, java_script_enabled=False)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    box = row.get_by_label(re.compile("Reply as"))
    expect(box).to_be_hidden()
    row.get_by_text("Reply", exact=True).click()
    box.fill("It can be; ask your GP.")
    row.get_by_role("button", name="Publish reply").click()
    expect(page.locator(".messagelist")).to_be_visible()
    [reply] = site_replies(held)
    assert reply.comment == "It can be; ask your GP."
    assert errors == []


def test_a_long_comments_links_come_before_its_show_less_when_tabbing(browser, live_server, mod):
    """ "Show less" is drawn under the open text, but the links in the text came after it."""
    long = (
        "\n\n".join(f"Paragraph {n}. " + "Some words about my nerve pain. " * 4 for n in range(6))
        + "\n\nMore at https://www.nhs.uk/conditions/peripheral-neuropathy/ for everyone."
    )
    held = CommentFactory(state="pending", comment=long)
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    toggle = row.locator(".qc-more > summary")
    toggle.click()
    link = row.get_by_role("link", name="https://www.nhs.uk/conditions/peripheral-neuropathy/")
    expect(link).to_be_visible()
    assert link.bounding_box()["y"] < toggle.bounding_box()["y"]
    page.keyboard.press("Shift+Tab")
    expect(link).to_be_focused()
    page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    page.keyboard.press("Tab")
    expect(row.get_by_role("button", name="Approve")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # closed again: the link is hidden, Tab skips it
    expect(link).to_be_hidden()
    expect(row.locator(".qc-preview")).to_be_visible()
    assert errors == []


def test_a_phone_can_select_every_card_on_the_page_for_a_bulk_action(browser, live_server, mod):
    """At 375 px the list's header row was hidden, and with it "select all on this page" and
    so Django's "Select all n": a phone could only tick cards one by one. It is above the
    cards, named in sight, a 44 px target, and counts as the script counts."""
    article = ArticleFactory()
    held = [CommentFactory(article=article, state="pending") for _ in range(22)]
    page, errors = logged_in(
        browser, live_server, mod, viewport={"width": 375, "height": 800}, has_touch=True
    )
    page.goto(live_server.url + QUEUE)
    select_page = page.get_by_label("Select all on this page")
    expect(select_page).to_be_visible()
    target = page.locator(".qc-select-page").bounding_box()
    assert target["height"] >= 44 and target["width"] >= 44
    assert target["y"] < page.locator("#result_list .qc").first.bounding_box()["y"]
    counter = page.locator(".actions .action-counter")
    first = page.locator("#result_list .qc").first
    first.get_by_role("button", name="Approve").tap()
    expect(first).to_have_attribute("data-state", "published")
    page.get_by_text("Select all on this page").tap()
    expect(select_page).to_be_checked()
    expect(counter).to_have_text("19 of 19 selected")
    select_all = page.locator(".actions .question a")
    expect(select_all).to_have_text("Select all 21 comments")
    select_all.tap()
    expect(page.locator(".actions .all")).to_have_text("All 21 selected")
    page.locator(".actions select[name=action]").select_option("mark_spam")
    page.locator(".actions button[name=index]").tap()
    expect(page.locator(".messagelist")).to_contain_text("21")
    states = [c.state for c in Comment.objects.filter(pk__in=[c.pk for c in held])]
    assert sorted(states) == ["published"] + ["spam"] * 21
    assert errors == []


def test_the_select_all_box_is_the_size_of_the_rows_boxes_on_a_wide_screen(
    browser, live_server, mod
):
    """At 1280 px the header's "select all on this page" box was Django's 13 px square above
    the cards' 22 px ones: a small target, and out of line with the boxes it ticks."""
    CommentFactory.create_batch(2, state="pending")
    page, errors = logged_in(browser, live_server, mod, viewport={"width": 1280, "height": 800})
    page.goto(live_server.url + QUEUE)
    header = page.locator("#action-toggle").bounding_box()
    row = page.locator("#result_list td.action-checkbox input").first.bounding_box()
    assert (round(header["width"]), round(header["height"])) == (22, 22)
    assert (round(row["width"]), round(row["height"])) == (22, 22)
    assert abs((header["x"] + header["width"] / 2) - (row["x"] + row["width"] / 2)) <= 2
    assert errors == []


def test_undo_after_a_tap_decision_on_a_phone_is_a_target_to_tap(browser, live_server, mod):
    """Clearing a queue at 375 px by tapping, the Undo shown after each decision (what a
    mis-tap needs at once) was a 41 by 16 px word."""
    held = [CommentFactory(state="pending") for _ in range(3)]
    page, errors = logged_in(
        browser, live_server, mod, viewport={"width": 375, "height": 740}, has_touch=True
    )
    page.goto(live_server.url + QUEUE)
    row = card(page, held[1])
    row.get_by_role("button", name="Spam").tap()
    expect(row).to_have_attribute("data-state", "spam")
    undo = row.get_by_role("link", name="Undo")
    box = undo.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    undo.tap()
    expect(row).to_have_attribute("data-state", "pending")
    held[1].refresh_from_db()
    assert held[1].state == "pending"
    assert errors == []


def phone_queue(browser, live_server, mod, count=15):
    """The Pending tab at 375 by 740 px, touch: (page, errors, held comments in page order)."""
    CommentFactory.create_batch(count, state="pending")
    page, errors = logged_in(
        browser, live_server, mod, viewport={"width": 375, "height": 740}, has_touch=True
    )
    page.goto(live_server.url + QUEUE)
    pks = page.locator("#result_list .qc").evaluate_all("cards => cards.map(c => c.dataset.pk)")
    return page, errors, [Comment.objects.get(pk=pk) for pk in pks]


def test_a_tapped_decision_brings_the_next_card_up_under_the_finger(browser, live_server, mod):
    """Tapping through a 15-comment queue at 375 px, a decided card stayed whole (for its Undo)
    and the next card's Approve was 720-1070 px down a 740 px screen: a scroll per decision. It
    is now a one-line notice, WordPress's "Comment approved. Undo", with Undo a 44 px target."""
    page, errors, held = phone_queue(browser, live_server, mod)
    first, second = card(page, held[0]), card(page, held[1])
    first.get_by_role("button", name="Approve").tap()
    expect(first).to_have_attribute("data-state", "published")
    expect(first).to_have_class(re.compile(r"\bqc-gone\b"))
    assert first.bounding_box()["height"] <= 60, first.bounding_box()
    expect(first).to_contain_text(held[0].user_name)
    expect(first).to_contain_text("Approved.")
    undo = first.get_by_role("link", name="Undo")
    box = undo.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    expect(first.get_by_role("button")).to_have_count(0)  # nothing hidden is left to act on
    approve = second.get_by_role("button", name="Approve").bounding_box()
    assert approve["y"] >= 0 and approve["y"] + approve["height"] <= 740, approve
    # Undo puts the whole card back, still in the queue.
    undo.tap()
    expect(first).to_have_attribute("data-state", "pending")
    expect(first).not_to_have_class(re.compile(r"\bqc-gone\b"))
    expect(first.get_by_role("button", name="Approve")).to_be_visible()
    assert errors == []


def test_a_second_tap_on_approve_undoes_nothing(browser, live_server, mod):
    """After Approve, Unapprove and Undo came where Approve had been: a double tap, or an
    impatient second tap, undid the decision at once. A second tap in the same place just after
    a decision does nothing, whatever has come there (the next card, after the collapse). A
    finger lands anywhere on the 44 px button: its middle and each inner corner, a card each."""
    page, errors, held = phone_queue(browser, live_server, mod)
    spots = [(0.5, 0.5), (0.1, 0.15), (0.9, 0.15), (0.1, 0.85), (0.9, 0.85)]
    for comment, (fx, fy) in zip(held, spots, strict=False):
        row = card(page, comment)
        approve = row.get_by_role("button", name="Approve")
        approve.scroll_into_view_if_needed()
        box = approve.bounding_box()
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        page.touchscreen.tap(x, y)
        expect(row).to_have_attribute("data-state", "published")
        page.touchscreen.tap(x, y)  # the impatient second tap, where Approve was
        page.wait_for_timeout(800)
        assert page.url.endswith(QUEUE), page.url  # no link followed either
        expect(row).to_have_attribute("data-state", "published")
    approved = {c.pk for c in held[: len(spots)]}
    assert {c.pk: c.state for c in Comment.objects.all()} == {
        c.pk: "published" if c.pk in approved else "pending" for c in held
    }
    # A moment later, a tap acts again (the guard is short).
    row.get_by_role("link", name="Undo").tap()
    expect(row).to_have_attribute("data-state", "pending")
    assert errors == []


def test_on_the_all_tab_a_decided_card_stays_whole(browser, live_server, mod):
    """All lists every state, so a decided card is still in it: it stays whole, its new
    buttons (Unapprove...) at hand; only a tab the card has left collapses it."""
    page, errors, held = phone_queue(browser, live_server, mod, count=2)
    page.goto(live_server.url + QUEUE + "?state=all")
    row = card(page, held[0])
    row.get_by_role("button", name="Approve").tap()
    expect(row).to_have_attribute("data-state", "published")
    expect(row).not_to_have_class(re.compile(r"\bqc-gone\b"))
    expect(row.get_by_role("button", name="Unapprove")).to_be_visible()
    assert errors == []


def test_clicking_reply_puts_the_cursor_in_its_box_and_no_letter_decides(browser, live_server, mod):
    """Reply clicked with the mouse left the focus on Reply: a reply typed at once went to
    the shortcuts, whose a, s and d approved, marked spam and removed comments."""
    held = CommentFactory(state="pending", comment="Does heat help?")
    other = CommentFactory(state="pending", comment="Ice helped me.")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    row.get_by_text("Reply", exact=True).click()
    box = row.get_by_label(re.compile("Reply as"))
    expect(box).to_be_focused()
    page.keyboard.type("Yes, and do ask your physio.")
    expect(box).to_have_value("Yes, and do ask your physio.")

    # With the focus back on the open Reply, letters are still no decisions.
    row.locator("details.qc-reply > summary").focus()
    for key in "asdux":
        page.keyboard.press(key)
    page.wait_for_timeout(500)  # a decision sent by a key would have landed by now
    expect(row).to_have_attribute("data-state", "pending")
    expect(card(page, other)).to_have_attribute("data-state", "pending")
    assert set(Comment.objects.values_list("state", flat=True)) == {"pending"}
    assert site_replies(held) == []
    assert errors == []


def test_an_empty_reply_refused_keeps_the_focus_in_its_box(browser, live_server, mod):
    held = CommentFactory(state="pending")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    row.get_by_text("Reply", exact=True).click()
    row.get_by_role("button", name="Publish reply").click()
    expect(row.locator(".qc-error")).to_contain_text("Write the reply first")
    expect(row.get_by_label(re.compile("Reply as"))).to_be_focused()
    assert site_replies(held) == []
    assert [e for e in errors if "400" not in e] == []


def test_a_decision_on_a_comment_a_colleague_decided_since_is_refused_in_place(
    browser, live_server, mod
):
    """A colleague removed it while this queue was open; Approve published it, and the card
    said only "Approved. Undo". The card now says what happened, shows the comment as it is,
    and the same button pressed again overrules knowingly."""
    held = CommentFactory(state="pending", comment="Is it normal to feel tingling?")
    page, errors = logged_in(browser, live_server, mod)
    page.goto(live_server.url + QUEUE)
    sam = UserFactory(username="sam", is_staff=True)
    Comment.objects.get(pk=held.pk).moderate(Comment.State.REMOVED, sam)
    card(page, held).get_by_role("button", name="Approve").click()
    row = card(page, held)
    expect(row.locator(".qc-notice")).to_have_text(
        "Since you opened the page, this comment was removed by sam. Nothing was changed: "
        "press “Approve” again to go ahead."
    )
    expect(row).to_have_attribute("data-state", "removed")
    expect(row.get_by_role("button", name="Approve")).to_be_focused()
    held.refresh_from_db()
    assert held.state == Comment.State.REMOVED
    tabs = page.locator(".queue-tabs")
    expect(tabs.locator('a[data-state="pending"]')).to_contain_text("Pending (0)")
    expect(tabs.locator('a[data-state="removed"]')).to_contain_text("Removed (1)")

    page.keyboard.press("Enter")  # Approve, again: now it decides
    expect(card(page, held)).to_have_attribute("data-state", "published")
    held.refresh_from_db()
    assert (held.state, held.moderated_by) == (Comment.State.PUBLISHED, mod)
    assert errors == []


def test_an_undo_that_finds_a_newer_decision_says_so_on_its_card_without_a_reload(
    browser, live_server, mod
):
    """It reloaded the page for the message: the browser asked to leave over a reply typed in
    another card ("Leave" lost it), and the other cards' Undo lines were gone."""
    decided = CommentFactory(state="pending", comment="Approved, then removed by sam")
    other = CommentFactory(state="pending", comment="Still waiting")
    page, errors, _row = reply_typed(browser, live_server, mod, other, "Half a reply")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    card(page, decided).get_by_role("button", name="Approve").click()
    expect(card(page, decided)).to_have_attribute("data-state", "published")
    sam = UserFactory(username="sam", is_staff=True)
    Comment.objects.get(pk=decided.pk).moderate(Comment.State.REMOVED, sam)
    card(page, decided).get_by_role("link", name="Undo").click()
    expect(card(page, decided).locator(".qc-notice")).to_have_text(
        "Not put back: it was removed since by sam."
    )
    expect(card(page, decided)).to_have_attribute("data-state", "removed")
    expect(card(page, other).get_by_label(re.compile("Reply as"))).to_have_value("Half a reply")
    assert dialogs == []
    assert errors == []


def test_a_bulk_decision_over_a_typed_reply_asks_first(browser, live_server, mod):
    """A row's Spam asks before discarding a reply typed under it; the bulk action did not,
    and the reply came back only quoted in a message."""
    parent = CommentFactory(state="pending")
    page, errors, row = reply_typed(browser, live_server, mod, parent, "Words I meant to send")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.locator(f"#result_list tr:has(#qc-{parent.pk}) input.action-select").check()
    page.locator("select[name=action]").select_option("mark_spam")
    page.once("dialog", lambda d: answer(d, accept=False))
    page.get_by_role("button", name="Go").click()
    expect(row.get_by_label(re.compile("Reply as"))).to_be_focused()
    assert asked == ["Your reply is not published. Discard it and mark selected comments as spam?"]
    parent.refresh_from_db()
    assert parent.state == "pending"
    page.once("dialog", lambda d: answer(d, accept=True))
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("marked as spam")
    parent.refresh_from_db()
    assert parent.state == "spam"
    assert errors == []
