"""A decision on a comment that changed since the page showed it: a colleague removed it, say,
and the card still offered Approve. Nothing is done, the page says who did what, and pressing
again decides knowingly (as the email's links ask "Approve anyway")."""

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"
FRAGMENT = {"HTTP_X_FRAGMENT": "row"}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def sam():
    return UserFactory(username="sam", is_staff=True)


def test_a_card_says_the_state_it_shows(moderator_client):
    held = CommentFactory(state="pending")
    card = soup(moderator_client.get(CHANGELIST)).select_one(f"#qc-{held.pk}")
    seen = card.select_one(f"input[name=seen-{held.pk}]")
    assert (seen["value"], seen["form"]) == ("pending", "changelist-form")


def test_without_script_a_stale_approve_overrules_nothing_and_says_who_decided(
    moderator_client, moderator, sam
):
    held = CommentFactory(state="pending")
    held.moderate(Comment.State.REMOVED, sam)  # while the moderator's page was open
    url = f"{CHANGELIST}{held.pk}/moderate/approve/"
    response = moderator_client.post(
        url, {f"seen-{held.pk}": "pending", "next": f"{CHANGELIST}?state=all"}, follow=True
    )
    held.refresh_from_db()
    assert (held.state, held.moderated_by) == ("removed", sam)
    page = soup(response)
    # At its card, which now shows it removed, with the message above it.
    landing = page.select_one(f"#qc-{held.pk}-landing")
    assert " ".join(landing.get_text().split()) == (
        "Since you opened the page, this comment was removed by sam. Nothing was changed: "
        "press “Approve” again to go ahead."
    )
    assert page.select_one(f"#qc-{held.pk} input[name=seen-{held.pk}]")["value"] == "removed"
    # Pressed again from that page, it decides.
    moderator_client.post(url, {f"seen-{held.pk}": "removed", "next": CHANGELIST})
    held.refresh_from_db()
    assert (held.state, held.moderated_by) == ("published", moderator)


def test_with_script_a_stale_decision_answers_with_the_card_as_it_is_now(
    moderator_client, moderator, sam
):
    held = CommentFactory(state="pending")
    held.moderate(Comment.State.PUBLISHED, sam)
    url = f"{CHANGELIST}{held.pk}/moderate/spam/"
    response = moderator_client.post(url, {"seen": "pending"}, **FRAGMENT)
    assert response["X-Changed-Since"] == "1"
    card = soup(response).select_one(f"#qc-{held.pk}")
    assert card["data-state"] == "published"
    assert card.select_one(".qc-notice").get_text(" ", strip=True) == (
        "Since you opened the page, this comment was approved by sam. Nothing was changed: "
        "press “Spam” again to go ahead."
    )
    held.refresh_from_db()
    assert held.state == "published"
    assert "X-Changed-Since" not in moderator_client.post(url, {"seen": "published"}, **FRAGMENT)
    held.refresh_from_db()
    assert (held.state, held.moderated_by) == ("spam", moderator)


def test_a_change_nobody_decided_is_said_too_and_a_decision_that_no_longer_applies(
    moderator_client,
):
    """Its writer deleted it (no moderator): said as what happened to it. Approve on one
    approved since has nothing to go ahead with."""
    held = CommentFactory(state="pending")
    Comment.objects.filter(pk=held.pk).update(state="removed", reason="withdrawn")
    response = moderator_client.post(
        f"{CHANGELIST}{held.pk}/moderate/remove/", {"seen": "pending"}, **FRAGMENT
    )
    notice = soup(response).select_one(".qc-notice").get_text(" ", strip=True)
    assert notice == "Since you opened the page, this comment was removed. Nothing was changed."


def test_on_the_article_page_a_stale_approve_publishes_nothing(moderator_client, sam):
    held = CommentFactory(state="pending", comment="Cheap pills here")
    url = held.content_object.get_absolute_url()
    form = soup(moderator_client.get(url)).find(id=f"c{held.pk}").select_one(".moderate-here form")
    data = {i["name"]: i.get("value", "") for i in form.select("input")}
    assert data["seen"] == "pending"
    held.moderate(Comment.State.SPAM, sam)
    response = moderator_client.post(form["action"], data)
    assert response["Location"] == f"{url}#moderated"  # not on the page any more
    held.refresh_from_db()
    assert held.state == "spam"
    said = soup(moderator_client.get(url)).find(id="moderated").get_text(" ", strip=True)
    assert said.startswith("Since you opened the page, this comment was marked as spam by sam.")


def test_a_decision_without_a_seen_state_goes_ahead_as_before(moderator_client, moderator):
    """Bulk actions and older pages send none: nothing is refused for its absence."""
    held = CommentFactory(state="pending")
    moderator_client.post(f"{CHANGELIST}{held.pk}/moderate/approve/", {}, **FRAGMENT)
    held.refresh_from_db()
    assert held.state == "published"
