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


@pytest.mark.parametrize("key", ["u", "z"])
def test_u_or_z_on_a_folded_card_undoes_its_decision(browser, live_server, mod, key):
    """Back on a card folded by a key decision (k), u did nothing: its Unapprove was hidden,
    and its Undo was reached only by Tab. On a folded card u and z (WordPress's undo) are
    its Undo; the whole card comes back, selected, for the next key."""
    page, errors, held = queue_in_order(browser, live_server, mod)
    first = card(page, held[0])
    page.keyboard.press("j")
    page.keyboard.press("s")
    expect(first).to_have_class(FOLDED)
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
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(first).to_have_class(FOLDED)
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
    page.keyboard.press("j")
    page.keyboard.press("d")
    expect(first).to_have_class(FOLDED)
    page.keyboard.press("k")
    undos = []
    page.on("request", lambda r: undos.append(r.url) if "/undo/" in r.url else None)
    page.keyboard.press("u")
    page.keyboard.press("u")
    expect(first).to_have_attribute("data-state", "pending")
    page.wait_for_timeout(500)
    assert len(undos) == 1, undos
    assert errors == []
