"""A moderator clearing the queue without script loses no reply typed under another card; the
Undo page goes back where the moderator came from."""

import pytest
from bs4 import BeautifulSoup

from comments import decisions
from comments.models import Comment
from tests.comments.test_queue_fixes import (
    CHANGELIST,
    FRAGMENT,
    messages_of,
    site_replies,
    soup,
)
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def queue_form(client, url=CHANGELIST):
    """What the queue's form sends without script when a card's button is pressed: its hidden
    fields and every card's reply box, as shown (to fill in)."""
    page = soup(client.get(url))
    form = page.find("form", id="changelist-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    boxes = {t["name"]: t.get_text() for t in page.select("textarea[form=changelist-form]")}
    return {**fields, **boxes}


def box(page, comment):
    return page.find("textarea", attrs={"name": f"reply-{comment.pk}"})


# 1. A reply typed under another card, when a decision is posted without script


@pytest.mark.parametrize("action", ["approve", "spam", "remove"])
def test_a_decision_keeps_the_reply_typed_under_another_card_in_its_box(moderator_client, action):
    """The queue's row buttons post one form for the page, with every card's reply box: the
    text typed under another card was silently dropped. It is neither published (that would
    approve a comment the moderator did not decide on) nor lost: the page comes back with it
    in its box, open, and says so."""
    decided = CommentFactory(state="pending", user_name="Ann")
    other = CommentFactory(state="pending", user_name="Bob")
    data = queue_form(moderator_client)
    data[f"reply-{other.pk}"] = "Half-written answer for Bob"
    response = moderator_client.post(
        f"{CHANGELIST}{decided.pk}/moderate/{action}/", data, follow=True
    )
    decided.refresh_from_db()
    other.refresh_from_db()
    assert decided.state == queue_state(action)
    assert other.state == Comment.State.PENDING
    assert site_replies(other) == []
    page = soup(response)
    assert box(page, other).get_text() == "Half-written answer for Bob"
    # Its Reply stays open (the box is after Open, outside the details, card.html).
    assert box(page, other).find_parent("article").select_one("details.qc-reply").has_attr("open")
    [kept] = [m for m in messages_of(response) if "Bob" in m]
    assert BeautifulSoup(kept, "html.parser").get_text() == (
        "Your reply to Bob is not published: it is still in its box below."
    )
    assert BeautifulSoup(kept, "html.parser").a["href"] == f"#qc-{other.pk}"  # to find it
    # Once: the next page view has an empty box again.
    assert box(soup(moderator_client.get(CHANGELIST)), other).get_text() == ""


def queue_state(action):
    return {"approve": "published", "spam": "spam", "remove": "removed"}[action]


def test_publishing_one_reply_keeps_the_reply_typed_under_another_card(moderator_client):
    first = CommentFactory(state="pending", user_name="Ann")
    other = CommentFactory(state="pending", user_name="Bob")
    data = queue_form(moderator_client)
    data[f"reply-{first.pk}"] = "For Ann"
    data[f"reply-{other.pk}"] = "For Bob, not yet"
    response = moderator_client.post(f"{CHANGELIST}{first.pk}/reply/", data, follow=True)
    [reply] = site_replies(first)
    assert reply.comment == "For Ann"
    assert site_replies(other) == []
    assert box(soup(response), other).get_text() == "For Bob, not yet"  # Ann's is published


def test_a_refused_decision_keeps_both_replies_in_their_boxes(moderator_client):
    """Spam with the card's own reply typed is refused ("clear its box, then press Spam
    again"): that box comes back holding the reply (it was only quoted in the message), and
    another card's reply stays too. Cleared, Spam goes ahead."""
    decided = CommentFactory(state="pending", user_name="Ann")
    other = CommentFactory(state="pending", user_name="Bob")
    data = queue_form(moderator_client)
    data[f"reply-{decided.pk}"] = "For Ann"
    data[f"reply-{other.pk}"] = "For Bob"
    response = moderator_client.post(f"{CHANGELIST}{decided.pk}/moderate/spam/", data, follow=True)
    page = soup(response)
    assert box(page, decided).get_text() == "For Ann"
    assert box(page, other).get_text() == "For Bob"
    again = queue_form(moderator_client)  # the page as it came back, Ann's box cleared
    again.update({f"reply-{decided.pk}": "", f"reply-{other.pk}": "For Bob"})
    moderator_client.post(f"{CHANGELIST}{decided.pk}/moderate/spam/", again)
    decided.refresh_from_db()
    assert decided.state == Comment.State.SPAM


def test_a_kept_reply_whose_comment_left_the_page_is_quoted(moderator_client, moderator):
    """Someone else marked the other comment as spam meanwhile: no box to put the reply back
    in, so the message gives the text back."""
    decided = CommentFactory(state="pending")
    other = CommentFactory(state="pending", user_name="Bob")
    data = queue_form(moderator_client)
    data[f"reply-{other.pk}"] = "Words for <Bob>"
    decisions.decide([other], Comment.State.SPAM, moderator)
    response = moderator_client.post(
        f"{CHANGELIST}{decided.pk}/moderate/approve/", data, follow=True
    )
    assert box(soup(response), other) is None
    [quoted] = [m for m in messages_of(response) if "Bob" in m]
    assert "not published" in quoted
    assert "<q>Words for &lt;Bob&gt;</q>" in quoted


def test_the_script_sends_one_box_and_keeps_nothing(moderator_client):
    decided = CommentFactory(state="pending")
    other = CommentFactory(state="pending")
    moderator_client.post(
        f"{CHANGELIST}{decided.pk}/moderate/approve/",
        {f"reply-{other.pk}": "stray"},
        **FRAGMENT,
    )
    assert box(soup(moderator_client.get(CHANGELIST)), other).get_text() == ""


def test_a_bulk_action_keeps_the_replies_typed_in_the_cards(moderator_client):
    """The bulk actions' form is the one the cards' boxes belong to: Go takes them along, and
    the page comes back with them (it dropped them, without script, in silence)."""
    selected = CommentFactory(state="pending")
    other = CommentFactory(state="pending", user_name="Bob")
    data = queue_form(moderator_client)
    data.update(
        {
            f"reply-{other.pk}": "For Bob",
            "action": "mark_spam",
            "_selected_action": [selected.pk],
            "index": "0",
        }
    )
    response = moderator_client.post(CHANGELIST, data, follow=True)
    selected.refresh_from_db()
    assert selected.state == Comment.State.SPAM
    assert box(soup(response), other).get_text() == "For Bob"
    assert site_replies(other) == []


def test_the_cards_buttons_and_boxes_belong_to_the_bulk_actions_form(moderator_client):
    comment = CommentFactory(state="pending")
    page = soup(moderator_client.get(CHANGELIST))
    card = page.find(id=f"qc-{comment.pk}")
    controls = card.select("button[formaction], textarea")
    assert len(controls) == 5  # Approve, Spam, Remove, the reply and Publish reply
    assert {c["form"] for c in controls} == {"changelist-form"}
    assert page.select("#changelist-form input[name=next]")


def test_a_reply_published_since_is_not_given_back(moderator_client):
    """What was kept is replaced by the boxes of the next post from the queue: a reply
    published meanwhile does not come back in its box."""
    decided = CommentFactory(state="pending")
    other = CommentFactory(state="pending", user_name="Bob")
    data = queue_form(moderator_client)
    data[f"reply-{other.pk}"] = "For Bob"
    moderator_client.post(f"{CHANGELIST}{decided.pk}/moderate/approve/", data)
    moderator_client.post(f"{CHANGELIST}{other.pk}/reply/", data)  # the box still held it
    assert [r.comment for r in site_replies(other)] == ["For Bob"]
    response = moderator_client.get(f"{CHANGELIST}?state=all")
    assert box(soup(response), other).get_text() == ""
    assert not [m for m in messages_of(response) if "not published" in m]


# 2. The Undo page's way back


def undo_page(client, response):
    """The Undo page linked from the decision's message (no script: a page that asks)."""
    [message] = [m for m in messages_of(response) if "Undo" in m]
    href = BeautifulSoup(message, "html.parser").select_one("a.undo-link")["href"]
    page = soup(client.get(href))
    return page.select_one(".decision-confirm form a")


def in_place(client, comment, action):
    url = comment.content_object.get_absolute_url()
    page = soup(client.get(url))
    forms = page.find(id=f"c{comment.pk}").select(".moderate-here form")
    form = next(f for f in forms if f["action"].endswith(f"/{action}/"))
    data = {i["name"]: i.get("value", "") for i in form.select("input")}
    return client.post(form["action"], data, follow=True)


def test_undo_from_the_article_page_goes_back_to_the_comment_on_the_article(moderator_client):
    """It said "Back to the queue", and went there, after a decision made on the article."""
    held = CommentFactory(state="pending")
    url = held.content_object.get_absolute_url()
    back = undo_page(moderator_client, in_place(moderator_client, held, "approve"))
    assert back.get_text() == "Back to the article"
    assert back["href"] == f"{url}#c{held.pk}"


@pytest.mark.parametrize("action", ["spam", "remove"])
def test_undo_of_spam_from_the_article_page_goes_back_to_the_discussion(moderator_client, action):
    """The comment is off the page until undone: back at the discussion, where it was."""
    held = CommentFactory(state="pending")
    url = held.content_object.get_absolute_url()
    back = undo_page(moderator_client, in_place(moderator_client, held, action))
    assert back.get_text() == "Back to the article"
    assert back["href"] == f"{url}#comments"


def test_undo_from_the_queue_goes_back_to_the_same_queue_page(moderator_client):
    comment = CommentFactory(state="published")
    queue_page = f"{CHANGELIST}?state=published"
    data = {**queue_form(moderator_client, queue_page), "next": queue_page}
    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/moderate/unapprove/", data, follow=True
    )
    back = undo_page(moderator_client, response)
    assert back.get_text() == "Back to the queue"
    assert back["href"] == queue_page


def test_undo_from_the_comments_page_goes_back_to_it(moderator_client):
    comment = CommentFactory(state="pending")
    page_url = f"{CHANGELIST}{comment.pk}/change/"
    data = {
        "user_name": comment.user_name,
        "user_url": "",
        "comment": comment.comment,
        "reply": "",
        "next": page_url,
        "_decision": "spam",
    }
    response = moderator_client.post(page_url, data, follow=True)
    back = undo_page(moderator_client, response)
    assert back.get_text() == "Back to the comment"
    assert back["href"] == page_url


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_the_undo_pages_way_back_stays_on_the_site(moderator_client, next_url):
    token = decisions.undo_token({CommentFactory(state="spam").pk: "pending"}, "spam")
    page = soup(moderator_client.get(f"{CHANGELIST}undo/", {"token": token, "next": next_url}))
    back = page.select_one(".decision-confirm form a")
    assert back.get_text() == "Back to the queue"
    assert back["href"] == CHANGELIST
