"""A decision posted without script brings the queue's page back at the next card, not at the
top of the page (some 27 Tabs from the first card's Approve)."""

import pytest

from comments import decisions
from comments.models import Comment
from tests.comments.test_queue_audit import CHANGELIST, queue_form, soup
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def shown(client, url=CHANGELIST):
    """The form as the page sends it, with the cards' pks in the page's order."""
    data = queue_form(client, url)
    page = soup(client.get(url))
    data["shown"] = [i["value"] for i in page.select("input[name=shown]")]
    return data


def in_order(data):
    return [int(pk) for pk in data["shown"]]


def test_the_page_says_its_cards_in_order(moderator_client):
    comments = [CommentFactory(state="pending") for _ in range(3)]
    data = shown(moderator_client)
    assert sorted(in_order(data)) == sorted(c.pk for c in comments)


@pytest.mark.parametrize("action", ["moderate/approve/", "moderate/spam/", "reply/"])
def test_a_decision_comes_back_at_the_next_card(moderator_client, action):
    for _ in range(3):
        CommentFactory(state="pending")
    data = shown(moderator_client)
    _first, second, third = in_order(data)
    if action == "reply/":
        data[f"reply-{second}"] = "Thank you."
    response = moderator_client.post(f"{CHANGELIST}{second}/{action}", data)
    assert response.status_code == 302
    assert response.url == f"{CHANGELIST}#qc-{third}-landing"


def test_the_last_card_comes_back_at_the_one_before_and_the_only_one_at_the_top(
    moderator_client,
):
    CommentFactory(state="pending")
    CommentFactory(state="pending")
    data = shown(moderator_client)
    first, last = in_order(data)
    response = moderator_client.post(f"{CHANGELIST}{last}/moderate/approve/", data)
    assert response.url == f"{CHANGELIST}#qc-{first}-landing"
    data = shown(moderator_client)
    assert in_order(data) == [first]
    response = moderator_client.post(f"{CHANGELIST}{first}/moderate/approve/", data)
    assert response.url == CHANGELIST


def test_the_tab_and_filters_are_kept(moderator_client):
    a, b = CommentFactory(state="spam"), CommentFactory(state="spam")
    url = f"{CHANGELIST}?state=spam"
    data = shown(moderator_client, url)
    first, second = in_order(data)
    response = moderator_client.post(f"{CHANGELIST}{first}/moderate/not_spam/", data)
    assert response.url == f"{url}#qc-{second}-landing"
    assert {a.pk, b.pk} == {first, second}


def test_only_whole_numbers_make_the_fragment(moderator_client):
    decided = CommentFactory(state="pending")
    data = {"next": CHANGELIST, "shown": [str(decided.pk), "x'><script>", "-3", "4.5"]}
    response = moderator_client.post(f"{CHANGELIST}{decided.pk}/moderate/approve/", data)
    assert response.url == CHANGELIST


def test_a_decision_from_elsewhere_is_not_sent_to_a_card(moderator_client):
    """The comment's own page, or a post without the page's order, goes back as before."""
    decided, other = CommentFactory(state="pending"), CommentFactory(state="pending")
    page = f"{CHANGELIST}{decided.pk}/change/"
    data = {"next": page, "shown": [str(decided.pk), str(other.pk)]}
    response = moderator_client.post(f"{CHANGELIST}{decided.pk}/moderate/approve/", data)
    assert response.url == page
    response = moderator_client.post(
        f"{CHANGELIST}{other.pk}/moderate/approve/", {"next": CHANGELIST}
    )
    assert response.url == CHANGELIST
    assert Comment.objects.filter(state="published").count() == 2


def test_the_decision_and_its_undo_are_shown_above_the_next_card(moderator_client):
    """Where the page comes back, the message is in sight (and read first), not at the top."""
    for _ in range(3):
        CommentFactory(state="pending")
    data = shown(moderator_client)
    _first, second, third = in_order(data)
    response = moderator_client.post(f"{CHANGELIST}{second}/moderate/approve/", data, follow=True)
    page = soup(response)
    [landing] = page.select(".messagelist")
    assert landing["id"] == f"qc-{third}-landing"
    assert landing.find_next_sibling("article")["id"] == f"qc-{third}"
    assert landing.get_text(" ", strip=True) == "1 comment approved. Undo"
    assert landing.select_one("a.undo-link")["href"].startswith(f"{CHANGELIST}undo/?token=")
    # Once: the next page shows no message, and the messages are at the top again.
    page = soup(moderator_client.get(CHANGELIST))
    assert page.select(".messagelist") == []


def test_if_the_next_card_is_gone_the_message_stays_at_the_top(moderator_client, moderator):
    for _ in range(3):
        CommentFactory(state="pending")
    data = shown(moderator_client)
    _first, second, third = in_order(data)
    response = moderator_client.post(f"{CHANGELIST}{second}/moderate/approve/", data)
    decisions.decide([Comment.objects.get(pk=third)], Comment.State.SPAM, moderator)
    page = soup(moderator_client.get(response.url))
    [top] = page.select(".messagelist")
    assert top.get("id") is None
    assert top.find_parent("td") is None
    assert "1 comment approved." in top.get_text()


def test_an_undo_without_script_comes_back_at_the_card_put_back(moderator_client):
    """It came back at the top of the queue's page, some cards above the one put back."""
    for _ in range(3):
        CommentFactory(state="pending")
    data = shown(moderator_client)
    _first, second, _third = in_order(data)
    decided = soup(
        moderator_client.post(f"{CHANGELIST}{second}/moderate/approve/", data, follow=True)
    )
    asking = soup(moderator_client.get(decided.select_one("a.undo-link")["href"]))
    form = {
        field["name"]: field.get("value", "")
        for field in asking.select(".decision-confirm form input[name]")
    }
    assert form["next"].startswith(CHANGELIST)
    response = moderator_client.post(f"{CHANGELIST}undo/", form)
    assert response.url == f"{CHANGELIST}#qc-{second}-landing"
    page = soup(moderator_client.get(response.url))
    [landing] = page.select(".messagelist")
    assert landing["id"] == f"qc-{second}-landing"
    assert landing.find_next_sibling("article")["id"] == f"qc-{second}"
    assert landing.get_text(" ", strip=True) == "1 comment put back."
