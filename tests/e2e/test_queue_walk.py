"""The queue walked as a moderator does, keys only, mouse, phone, script off: a folded card's
keys, find-in-page in a long comment's hidden part, the Undo target without script."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from comments.models import Comment
from tests.e2e.test_moderation import QUEUE, card, logged_in
from tests.factories import CommentFactory, UserFactory

# serialized_rollback: data migrations (the Moderators group) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOLDED = re.compile(r"\bqc-gone\b")


@pytest.fixture
def mod(transactional_db):
    user = UserFactory(username="mod", is_staff=True, email="mod@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def queue_in_order(browser, live_server, mod, count=3, **options):
    """The Pending tab: (page, errors, held comments in page order)."""
    CommentFactory.create_batch(count, state="pending")
    page, errors = logged_in(browser, live_server, mod, **options)
    page.goto(live_server.url + QUEUE)
    pks = page.locator("#result_list .qc").evaluate_all("cards => cards.map(c => c.dataset.pk)")
    return page, errors, [Comment.objects.get(pk=pk) for pk in pks]


def fold_by_deciding(page, first, key):
    """j to the first card and a decision key on it: decided off its tab, the card folds."""
    page.keyboard.press("j")
    page.keyboard.press(key)
    expect(first).to_have_class(FOLDED)


@pytest.mark.parametrize("key", ["u", "z"])
def test_u_or_z_on_a_folded_card_undoes_its_decision(browser, live_server, mod, key):
    """Back on a card folded by a key decision (k), u did nothing: its Unapprove was hidden,
    and its Undo was reached only by Tab. On a folded card u and z (WordPress's undo) are
    its Undo; the whole card comes back, selected, for the next key."""
    page, errors, held = queue_in_order(browser, live_server, mod)
    first = card(page, held[0])
    fold_by_deciding(page, first, "s")
    expect(card(page, held[1])).to_be_focused()
    page.keyboard.press("k")
    expect(first).to_be_focused()
    page.keyboard.press(key)
    expect(first).to_have_attribute("data-state", "pending")
    expect(first).not_to_have_class(FOLDED)
    expect(first).to_be_focused()
    held[0].refresh_from_db()
    assert held[0].state == "pending"
    page.keyboard.press("a")  # the keys go on with the card back
    expect(first).to_have_attribute("data-state", "published")
    assert errors == []


def test_other_keys_on_a_folded_card_decide_nothing(browser, live_server, mod):
    """A folded card shows only its Undo: a, s, d, r and x act on nothing hidden, and j moves
    on from it as from any card."""
    page, errors, held = queue_in_order(browser, live_server, mod)
    first = card(page, held[0])
    fold_by_deciding(page, first, "a")
    page.keyboard.press("k")
    for key in "sdrxa":
        page.keyboard.press(key)
    page.wait_for_timeout(500)
    held[0].refresh_from_db()
    assert held[0].state == "published"
    expect(first).to_have_class(FOLDED)
    expect(first.locator("details.qc-reply[open]")).to_have_count(0)  # r opened a hidden box
    page.keyboard.press("j")
    expect(card(page, held[1])).to_be_focused()
    assert errors == []


def test_u_pressed_twice_on_a_folded_card_undoes_once(browser, live_server, mod):
    """A second u while the first Undo is on its way does not post it again (the second
    answer, nothing left to undo, reloaded the page)."""
    page, errors, held = queue_in_order(browser, live_server, mod)
    first = card(page, held[0])
    fold_by_deciding(page, first, "d")
    page.keyboard.press("k")
    undos = []
    page.on("request", lambda r: undos.append(r.url) if "/undo/" in r.url else None)
    page.keyboard.press("u")
    page.keyboard.press("u")
    expect(first).to_have_attribute("data-state", "pending")
    page.wait_for_timeout(500)
    assert len(undos) == 1, undos
    assert errors == []


def long_comment(**kwargs):
    """A held comment whose last paragraph, with a word found nowhere else, is past its
    preview."""
    text = (
        "\n\n".join(f"Paragraph {n}. " + "Some words about my nerve pain. " * 4 for n in range(6))
        + "\n\nOnly here: gabapentinoid tapering. More at https://www.nhs.uk/conditions/ for all."
    )
    return CommentFactory(state="pending", comment=text, **kwargs)


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_find_in_page_reveals_the_rest_of_a_collapsed_long_comment(
    browser, live_server, mod, script
):
    """Chrome's find-in-page (and a link to a text fragment, #:~:text=) found nothing in the
    collapsed rest of a long comment: it was display: none, kept out of the Tab order. Now it is
    hidden until found: found, it opens, "Show less" under it, the preview gone; and without
    script its toggle no longer says "Show more" under the whole text."""
    held = long_comment()
    page, errors = logged_in(browser, live_server, mod, java_script_enabled=script)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    found = row.locator(".qc-full").get_by_text("gabapentinoid tapering")
    expect(found).to_be_hidden()
    page.goto(live_server.url + QUEUE + "#:~:text=gabapentinoid%20tapering")
    expect(found).to_be_visible()
    expect(row.locator(".qc-preview")).to_be_hidden()
    # The toggle follows, without script too: it said "Show more" under the whole text.
    toggle = row.locator(".qc-more > summary")
    expect(toggle).to_have_text("Show less", use_inner_text=True)
    toggle.click()
    expect(found).to_be_hidden()
    expect(row.locator(".qc-preview")).to_be_visible()
    expect(toggle).to_have_text("Show more", use_inner_text=True)
    toggle.click()
    expect(found).to_be_visible()
    expect(toggle).to_have_text("Show less", use_inner_text=True)
    assert errors == []


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_a_collapsed_long_comments_links_stay_out_of_the_tab_order(
    browser, live_server, mod, script
):
    """Hidden until found, the rest of the text is still skipped by Tab until it is shown, and
    Show more / Show less still work, with or without script."""
    held = long_comment()
    page, errors = logged_in(browser, live_server, mod, java_script_enabled=script)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    toggle = row.locator(".qc-more > summary")
    link = row.locator(".qc-full a")
    toggle.focus()
    page.keyboard.press("Shift+Tab")
    expect(link).not_to_be_focused()
    expect(toggle).not_to_be_focused()
    toggle.click()
    expect(link).to_be_visible()
    expect(row.locator(".qc-preview")).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Shift+Tab")
    expect(link).to_be_focused()
    toggle.click()
    expect(link).to_be_hidden()
    expect(row.locator(".qc-preview")).to_be_visible()
    assert errors == []


def test_show_more_without_script_works_where_until_found_is_plain_hidden(
    browser, live_server, mod
):
    """A browser that does not know hidden="until-found" (Firefox before 139, Safari) reads it
    as plain hidden, display: none, which the open toggle did not undo: without script, "Show
    more" showed nothing. Played here by making the attribute plain hidden."""
    held = long_comment()
    page, errors = logged_in(browser, live_server, mod, java_script_enabled=False)
    page.goto(live_server.url + QUEUE)
    row = card(page, held)
    row.locator(".qc-full").evaluate("full => full.setAttribute('hidden', '')")
    found = row.locator(".qc-full").get_by_text("gabapentinoid tapering")
    expect(found).to_be_hidden()
    row.locator(".qc-more > summary").click()
    expect(found).to_be_visible()
    expect(row.locator(".qc-preview")).to_be_hidden()
    assert errors == []


@pytest.mark.parametrize(("width", "least"), [(375, 44), (1280, 24)])
def test_undo_in_the_message_without_script_is_a_target_to_tap(
    browser, live_server, mod, width, least
):
    """Without script a decision comes back with "1 comment marked as spam. Undo" above the
    next card: on a phone that Undo was a 34 by 15 px word, the one thing a mis-tap needs. It is
    a 44 px target there (24 px on a wide screen), as the folded card's Undo is; so is the
    message's "Open your reply"."""
    page, errors, held = queue_in_order(
        browser,
        live_server,
        mod,
        viewport={"width": width, "height": 740},
        java_script_enabled=False,
    )
    card(page, held[0]).get_by_role("button", name="Spam").click()
    undo = page.locator(".messagelist").get_by_role("link", name="Undo")
    box = undo.bounding_box()
    assert box["height"] >= least and box["width"] >= least, box
    undo.click()
    page.get_by_role("button", name="Undo").click()
    held[0].refresh_from_db()
    assert held[0].state == "pending"
    row = card(page, held[1])
    row.get_by_text("Reply", exact=True).click()
    row.get_by_label(re.compile("Reply as")).fill("Thank you; ask your GP.")
    row.get_by_role("button", name="Publish reply").click()
    box = page.locator(".messagelist").get_by_role("link", name="Open your reply").bounding_box()
    assert box["height"] >= least, box
    assert errors == []


def test_a_card_put_back_by_undo_is_waiting_again(browser, live_server, mod):
    """Undo put the whole card back in Pending, but faded like a decided one (opacity 0.75,
    its Approve's white text too); and on All a key decision then skipped it as decided. It is
    drawn, and moved to, as any card waiting."""
    page, errors, held = queue_in_order(browser, live_server, mod)
    first = card(page, held[0])
    fold_by_deciding(page, first, "s")
    page.keyboard.press("k")
    page.keyboard.press("u")
    expect(first).to_have_attribute("data-state", "pending")
    expect(first).to_have_css("opacity", "1")
    # On All: decide A, undo it, decide C: the key moves on to A, waiting again, not B.
    page.goto(live_server.url + QUEUE + "?state=all")
    a, b, c = (card(page, comment) for comment in held)
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(a).to_have_attribute("data-state", "published")
    expect(b).to_be_focused()
    a.get_by_role("link", name="Undo").focus()
    page.keyboard.press("Enter")
    expect(a).to_have_attribute("data-state", "pending")
    expect(a).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(c).to_be_focused()
    page.keyboard.press("a")
    expect(c).to_have_attribute("data-state", "published")
    expect(a).to_be_focused()
    assert errors == []


def test_the_keys_dialog_on_a_phone_closes_with_a_tap_and_lines_up(browser, live_server, mod):
    """At 375 px the keys dialog's Close was a 50 by 21 px button, under the 24 px minimum for
    a finger, and the longer meanings (u, z) pushed their key column narrower, out of line."""
    page, errors, _held = queue_in_order(
        browser, live_server, mod, count=1, viewport={"width": 375, "height": 740}, has_touch=True
    )
    page.get_by_role("button", name=re.compile("Keyboard shortcuts")).tap()
    dialog = page.locator("#queue-keys")
    expect(dialog).to_be_visible()
    starts = {round(dd.bounding_box()["x"]) for dd in dialog.locator("dd").all()}
    assert len(starts) == 1, starts
    close = dialog.get_by_role("button", name="Close")
    box = close.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    close.tap()
    expect(dialog).to_be_hidden()
    assert errors == []


def test_a_link_in_any_other_admin_message_runs_on_in_its_sentence(browser, live_server):
    """The queue's Undo target is the queue's: on a phone every admin message with a link took
    it, and "The article “<title>” was changed successfully." broke into three blocks, the
    title a box of its own between "The article “" and "” was changed"."""
    from tests.factories import ArticleFactory

    article = ArticleFactory(title="Why does nerve pain get worse after physical therapy")
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    page, errors = logged_in(browser, live_server, admin, viewport={"width": 375, "height": 740})
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.locator('button[name="_save"]').click()
    message = page.locator(".messagelist li", has_text="was changed successfully")
    expect(message).to_be_visible()
    tops = message.evaluate(
        """li => {
          const before = document.createRange();
          before.selectNodeContents(li.firstChild);  // "The article “"
          return [before.getClientRects()[0].top, li.querySelector("a").getClientRects()[0].top];
        }"""
    )
    assert abs(tops[0] - tops[1]) < 4, tops  # the title starts on the sentence's first line
    assert errors == []


@pytest.mark.parametrize(("width", "least"), [(375, 44), (1280, 24)])
def test_the_keyboard_shortcuts_button_is_a_target_to_tap(browser, live_server, mod, width, least):
    """On a phone the queue's "Keyboard shortcuts" button was 36 px tall, under the 44 px of
    the tabs and the cards' buttons beside it."""
    page, errors, _ = queue_in_order(
        browser, live_server, mod, count=1, viewport={"width": width, "height": 740}
    )
    box = page.get_by_role("button", name="Keyboard shortcuts").bounding_box()
    assert box["height"] >= least, box
    assert errors == []


def test_a_card_stays_selected_while_its_reply_box_has_the_focus(browser, live_server, mod):
    """A card lost its yellow "selected" colour when r put the focus in its reply box, though
    the keys (Escape) still act on it; it is drawn selected as long as the focus is inside."""
    page, errors, held = queue_in_order(browser, live_server, mod, count=2)
    rows = [card(page, comment).locator("xpath=ancestor::tr") for comment in held]
    background = "row => getComputedStyle(row).backgroundColor"
    plain = rows[1].evaluate(background)
    page.keyboard.press("j")
    expect(card(page, held[0])).to_be_focused()
    selected = rows[0].evaluate(background)
    assert selected != plain
    page.keyboard.press("r")
    expect(card(page, held[0]).get_by_label(re.compile("Reply as"))).to_be_focused()
    assert rows[0].evaluate(background) == selected
    assert rows[1].evaluate(background) == plain
    assert errors == []


def test_the_bulk_action_and_its_go_are_targets_to_tap_on_a_phone(browser, live_server, mod):
    """On a phone "Select all on this page" is a 44 px target, but the action to run and its
    Go, the next two taps, were 24 px tall."""
    page, errors, _ = queue_in_order(
        browser, live_server, mod, count=1, viewport={"width": 375, "height": 740}
    )
    actions = page.locator("#changelist .actions")
    for target in (
        actions.locator("select[name=action]"),
        actions.get_by_role("button", name="Go"),
    ):
        box = target.bounding_box()
        assert box["height"] >= 44, box
    assert errors == []


@pytest.mark.parametrize("width", [800, 1024, 1280])
def test_the_bulk_actions_stay_within_the_list_beside_the_filters(browser, live_server, mod, width):
    """The longest bulk actions' names made their list 530 px wide: at 1,024 px it ran under
    the filters with Go below it, at 800 px the page scrolled sideways, at 1,280 px Go stood
    out of the list. The list and Go fit in the list's width, on one line."""
    page, errors, _ = queue_in_order(
        browser, live_server, mod, count=1, viewport={"width": width, "height": 740}
    )
    actions = page.locator("#changelist .actions")
    select = actions.locator("select[name=action]").bounding_box()
    go = actions.get_by_role("button", name="Go").bounding_box()
    results = page.locator("#result_list").bounding_box()
    assert go["x"] + go["width"] <= results["x"] + results["width"], (go, results)
    assert select["x"] + select["width"] <= go["x"]
    assert abs(select["y"] + select["height"] / 2 - (go["y"] + go["height"] / 2)) < 4
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # A ticked card's "Select all" offer still has its own line under them.
    page.locator("#result_list input.action-select").first.check()
    expect(actions.locator(".action-counter")).to_have_text("1 of 1 selected")
    assert actions.locator(".action-counter").bounding_box()["y"] >= go["y"] + go["height"]
    assert errors == []
