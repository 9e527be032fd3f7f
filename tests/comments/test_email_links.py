"""The moderators' email links: signed, naming the comment and the decision, expiring after 7
days, and opening a confirmation page in the admin; only its one button (a POST) decides."""

import json
import re
import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing

from comments import decisions
from comments.models import Comment
from comments.notifications import notify_moderators
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def email_links(comment):
    notify_moderators.call(comment.pk)
    body = mail.outbox[-1].body
    found = dict(re.findall(r"^(Approve|Spam|Remove|Open in the queue): (\S+)$", body, re.M))
    return {label: url.removeprefix("https://nervepain.example") for label, url in found.items()}


@pytest.mark.parametrize("urgent", [False, True])
def test_open_in_the_queue_lands_on_the_page_holding_the_comment(moderator_client, urgent):
    """The link named the queue's first page: with 20 newer comments waiting (a page), the
    comment was on the second, and nothing said so. Urgent ones come first in the queue."""
    import datetime

    from django.utils import timezone

    comment = CommentFactory(state="pending", urgent=urgent)
    link = email_links(comment)["Open in the queue"]
    later = timezone.now() + datetime.timedelta(minutes=1)
    CommentFactory.create_batch(20, state="pending", submit_date=later)
    response = moderator_client.get(link)
    page = "" if urgent else "?p=2"
    assert response["Location"] == f"/admin/comments/comment/{page}#qc-{comment.pk}"
    listed = moderator_client.get(response["Location"].partition("#")[0]).content.decode()
    assert f'id="qc-{comment.pk}"' in listed
    comment.moderate("spam", None)  # decided since: under its tab
    assert moderator_client.get(link)["Location"] == (
        f"/admin/comments/comment/?state=spam#qc-{comment.pk}"
    )
    comment.delete()  # gone: the queue, saying so, not a bare "Page not found"
    response = moderator_client.get(link, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/comments/comment/"
    assert "That comment no longer exists" in response.content.decode()


def test_the_email_for_a_held_comment_links_each_decision_and_the_queue(moderator):
    comment = CommentFactory(state="pending")
    links = email_links(comment)
    assert set(links) == {"Approve", "Spam", "Remove", "Open in the queue"}
    assert links["Open in the queue"] == f"/admin/comments/comment/{comment.pk}/in-queue/"
    body = mail.outbox[-1].body  # the queue once (it was also "All pending comments"), and how full
    assert body.count("/in-queue/") == 1
    assert "Comments waiting now: 1" in body
    for label in ("Approve", "Spam", "Remove"):
        assert links[label].startswith("/admin/comments/comment/email/")
    token = links["Approve"].split("/")[-2]
    assert decisions.read_email_token(token) == {"comment": comment.pk, "action": "approve"}


@pytest.mark.parametrize(
    "label, state", [("Approve", "published"), ("Spam", "spam"), ("Remove", "removed")]
)
def test_following_a_link_changes_nothing_until_the_button_is_pressed(
    moderator, moderator_client, label, state
):
    comment = CommentFactory(state="pending", comment="Held words")
    url = email_links(comment)[label]
    page = moderator_client.get(url)
    assert page.status_code == 200
    comment.refresh_from_db()
    assert comment.state == "pending"  # a mail scanner's GET decides nothing
    soup = BeautifulSoup(page.content, "html.parser")
    assert "Held words" in soup.select_one(".decision-confirm").get_text()
    form = soup.select_one(".decision-confirm form[method=post]")
    assert form.select_one("button").get_text() == label
    response = moderator_client.post(url)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == state
    assert comment.moderated_by == moderator


def test_a_link_needs_a_logged_in_moderator(client, moderator):
    comment = CommentFactory(state="pending")
    url = email_links(comment)["Approve"]
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    client.post(url)
    comment.refresh_from_db()
    assert comment.state == "pending"


def test_an_altered_link_is_refused(moderator_client, moderator):
    comment = CommentFactory(state="pending")
    other = CommentFactory(state="pending")
    url = email_links(comment)["Approve"]
    token = url.split("/")[-2]
    # The other comment's id, under this link's signature.
    payload = json.dumps({"comment": other.pk, "action": "approve"}, separators=(",", ":"))
    forged = signing.b64_encode(payload.encode()).decode() + ":" + token.split(":", 1)[1]
    for bad in (url.replace(token, forged), url.replace(token, token[:-2] + "xx")):
        assert moderator_client.post(bad).status_code == 400
    assert Comment.objects.filter(state="pending").count() == 2


def test_a_link_expires_after_seven_days(moderator_client, moderator, monkeypatch):
    comment = CommentFactory(state="pending")
    url = email_links(comment)["Approve"]
    later = time.time() + 7 * 24 * 3600 + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    page = moderator_client.get(url)
    assert page.status_code == 400
    assert "links last 7 days" in page.content.decode()
    moderator_client.post(url)
    comment.refresh_from_db()
    assert comment.state == "pending"


def test_a_link_for_an_already_decided_comment_offers_nothing(moderator_client, moderator):
    comment = CommentFactory(state="pending")
    url = email_links(comment)["Spam"]
    comment.moderate("spam", moderator)
    page = BeautifulSoup(moderator_client.get(url).content, "html.parser")
    assert "already spam" in page.select_one(".decision-confirm").get_text()
    assert "nothing to do" in page.select_one(".decision-confirm").get_text()
    assert not page.select(".decision-confirm form[method=post]")
    # No question left ("Approve this comment?" stayed), and the way on is to the comment in
    # the queue, under Spam now (it led to Pending's first page, where it is not).
    assert page.select_one("h1").get_text() == "Already decided"
    link = page.select_one(".decision-confirm").find("a", string="Open it in the queue")
    assert link["href"] == f"/admin/comments/comment/{comment.pk}/in-queue/"
    # The card's filters lead to the queue, not back to this page with a query.
    mine = page.select_one(".decision-confirm").find("a", string="All from this email")
    assert mine["href"].startswith("/admin/comments/comment/?state=all&user_email=")


def test_a_link_for_a_comment_a_colleague_decided_otherwise_can_overrule_it(
    moderator_client, moderator
):
    """The email's Spam for a comment a colleague approved since said "nothing to do": the way
    to overrule was to find it in the queue. The page now says who decided what, and offers
    "Spam anyway", which decides only what that page showed."""
    colleague = UserFactory(username="sam", is_staff=True)
    comment = CommentFactory(state="pending")
    url = email_links(comment)["Spam"]
    comment.moderate("published", colleague)
    page = BeautifulSoup(moderator_client.get(url).content, "html.parser")
    said = page.select_one(".decision-confirm .qc-notice").get_text(" ", strip=True)
    assert said == (
        "This comment is already published (by sam). Press “Spam anyway” only if you mean to "
        "overrule that."
    )
    form = page.select_one(".decision-confirm form[method=post]")
    assert form.find("button").get_text() == "Spam anyway"
    fields = {i["name"]: i["value"] for i in form.select("input")}
    assert fields["overrule"] == "published"

    moderator_client.post(url, {"overrule": "removed"})  # not what the page showed: nothing
    moderator_client.post(url)  # nor the first page's button, pressed again
    comment.refresh_from_db()
    assert comment.state == "published"
    response = moderator_client.post(url, fields)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.state, comment.moderated_by) == ("spam", moderator)


def test_a_comment_its_writer_deleted_is_not_brought_back_from_an_email(moderator_client):
    comment = CommentFactory(state="pending")
    url = email_links(comment)["Approve"]
    comment.state, comment.reason = Comment.State.REMOVED, Comment.Reason.WITHDRAWN
    comment.save()
    page = BeautifulSoup(moderator_client.get(url).content, "html.parser")
    assert not page.select(".decision-confirm form[method=post]")
    moderator_client.post(url, {"overrule": "removed"})
    comment.refresh_from_db()
    assert comment.state == "removed"


def test_an_urgent_comments_links_lead_to_the_reply_with_the_crisis_resources(moderator_client):
    """The urgent email says to approve it and reply with the crisis resources; its Approve
    link's page offered Approve alone, and after it the queue said only "1 comment approved"."""
    comment = CommentFactory(state="pending", urgent=True, reason="crisis")
    url = email_links(comment)["Approve"]
    page = BeautifulSoup(moderator_client.get(url).content, "html.parser")
    offer = page.select_one(".decision-confirm .moderation-alert")
    assert " ".join(offer.get_text().split()) == (
        "Its writer may be in crisis. Approve it with a reply holding the crisis resources: "
        "your reply is published with it."
    )
    reply_url = f"/admin/comments/comment/{comment.pk}/change/?crisis_reply=1#id_reply"
    assert offer.find("a")["href"] == reply_url
    # The reply box there opens with the resources in it.
    form = BeautifulSoup(moderator_client.get(reply_url).content, "html.parser")
    assert "findahelpline.com" in form.select_one("textarea#id_reply").get_text()

    response = moderator_client.post(url, follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert said[0].startswith("1 comment approved.")
    assert said[1] == (
        f'Its writer may be in crisis. <a href="{reply_url}">'
        "Reply under it with the crisis resources</a>"
    )


def test_an_ordinary_comments_links_say_nothing_of_crisis(moderator_client):
    comment = CommentFactory(state="pending")
    url = email_links(comment)["Approve"]
    page = BeautifulSoup(moderator_client.get(url).content, "html.parser")
    assert page.select_one(".decision-confirm .moderation-alert") is None
    response = moderator_client.post(url, follow=True)
    assert len(list(response.context["messages"])) == 1


def test_an_urgent_cards_reply_box_offers_the_crisis_resources(moderator_client):
    urgent = CommentFactory(state="pending", urgent=True, reason="crisis")
    ordinary = CommentFactory(state="pending")
    queue = BeautifulSoup(moderator_client.get("/admin/comments/comment/").content, "html.parser")
    link = queue.select_one(f"#qc-{urgent.pk} .qc-reply-box .qc-crisis-reply a")
    assert link.get_text() == "Reply with the crisis resources"
    assert link["href"] == f"/admin/comments/comment/{urgent.pk}/change/?crisis_reply=1#id_reply"
    assert queue.select_one(f"#qc-{ordinary.pk} .qc-crisis-reply") is None
