"""Moderating in the Django admin, as a non-superuser in the Moderators group."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

from comments.models import Comment, ModerationWord
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


def rows(response):
    return list(response.context["cl"].result_list)


def test_moderators_group_exists_without_superuser_rights(moderator):
    assert Group.objects.filter(name="Moderators").exists()
    assert not moderator.is_superuser
    assert moderator.has_perm("comments.moderate_comment")
    assert moderator.has_perm("comments.change_moderationword")
    assert not moderator.has_perm("articles.change_article")
    assert not moderator.has_perm("auth.change_user")


def test_admin_index_shows_the_pending_count(moderator_client):
    CommentFactory.create_batch(3, state=Comment.State.PENDING)
    CommentFactory(state=Comment.State.PUBLISHED)
    page = BeautifulSoup(moderator_client.get("/admin/").content, "html.parser")
    assert "3 comments waiting for moderation" in page.select_one(".pending-comments").get_text()


def test_changelist_opens_on_the_pending_queue_with_its_count(moderator_client):
    held = CommentFactory(state=Comment.State.PENDING, reason=Comment.Reason.LINKS)
    CommentFactory(state=Comment.State.PUBLISHED)
    response = moderator_client.get(CHANGELIST)
    assert response.status_code == 200
    assert rows(response) == [held]
    content = response.content.decode()
    page = BeautifulSoup(content, "html.parser")
    current = page.select_one(".queue-tabs a[aria-current=page]").get_text()
    assert " ".join(current.split()) == "Pending (1)"
    assert held.user_email in content
    assert held.user_name in content
    assert "Two or more links" in content


@pytest.mark.parametrize("state", ["published", "spam", "removed", "pending"])
def test_changelist_filters_by_state(moderator_client, state):
    wanted = CommentFactory(state=state)
    for other in {"published", "spam", "removed", "pending"} - {state}:
        CommentFactory(state=other)
    assert rows(moderator_client.get(CHANGELIST, {"state": state})) == [wanted]
    assert len(rows(moderator_client.get(CHANGELIST, {"state": "all"}))) == 4


def test_changelist_filters_by_reason_and_article_and_searches(moderator_client):
    article = ArticleFactory()
    links = CommentFactory(article=article, state="pending", reason="links", user_name="Zed")
    CommentFactory(state="pending", reason="not_trusted", comment="needle in text")
    assert rows(moderator_client.get(CHANGELIST, {"reason": "links"})) == [links]
    assert rows(moderator_client.get(CHANGELIST, {"article": str(article.pk)})) == [links]
    assert len(rows(moderator_client.get(CHANGELIST, {"q": "needle"}))) == 1
    assert rows(moderator_client.get(CHANGELIST, {"q": "Zed"})) == [links]
    assert rows(moderator_client.get(CHANGELIST, {"q": links.user_email})) == [links]


def test_searching_an_ip_address_finds_the_comments_sent_from_it(moderator_client):
    """As WordPress's search does: the address is on each card, and searching it found none."""
    hal = CommentFactory(state="pending", ip_address="203.0.113.18")
    CommentFactory(state="pending", ip_address="203.0.113.180", comment="From 203.0.113.18?")
    six = CommentFactory(state="pending", ip_address="2001:db8::18")
    assert rows(moderator_client.get(CHANGELIST, {"q": " 203.0.113.18 "})) == [hal]
    assert rows(moderator_client.get(CHANGELIST, {"q": "2001:db8::18"})) == [six]
    assert len(rows(moderator_client.get(CHANGELIST, {"q": "203.0.113"}))) == 1  # the text


def test_searching_a_quote_alone_finds_the_comments_with_it(moderator_client):
    """Django read ' as an empty quoted phrase: every comment matched ("82 results")."""
    quoted = CommentFactory(state="pending", comment="I can't sleep.")
    CommentFactory(state="pending", comment="No quote here.")
    assert rows(moderator_client.get(CHANGELIST, {"q": "'"})) == [quoted]
    assert rows(moderator_client.get(CHANGELIST, {"q": '"'})) == []


@pytest.mark.parametrize(
    "action, state", [("approve", "published"), ("mark_spam", "spam"), ("remove", "removed")]
)
def test_bulk_actions_record_who_and_when(moderator_client, moderator, action, state):
    comments = CommentFactory.create_batch(2, state=Comment.State.PENDING)
    response = moderator_client.post(
        CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments]}
    )
    assert response.status_code == 302
    for comment in comments:
        comment.refresh_from_db()
        assert comment.state == state
        assert comment.moderated_by == moderator
        assert comment.moderated_at is not None
    page = moderator_client.get(f"{CHANGELIST}{comments[0].pk}/change/").content.decode()
    assert moderator.username in page


def test_approved_comment_appears_to_readers(moderator_client, client):
    comment = CommentFactory(state=Comment.State.PENDING, comment="Waiting text")
    url = comment.content_object.get_absolute_url()
    assert "Waiting text" not in client.get(url).content.decode()
    moderator_client.post(CHANGELIST, {"action": "approve", "_selected_action": [comment.pk]})
    assert "Waiting text" in client.get(url).content.decode()


def test_staff_without_the_moderator_group_cannot_moderate(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


def test_moderator_replies_from_the_admin_as_the_site(moderator_client, moderator, client):
    parent = CommentFactory(state=Comment.State.PUBLISHED)
    response = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/change/",
        {
            "user_name": parent.user_name,
            "user_url": "",
            "comment": parent.comment,
            "reply": "Thank you for sharing; please talk to your physiotherapist.",
        },
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent_id=parent.pk, from_site=True)
    assert reply.state == Comment.State.PUBLISHED
    assert reply.moderated_by == moderator
    page = BeautifulSoup(
        client.get(parent.content_object.get_absolute_url()).content, "html.parser"
    )
    item = page.find(id=f"c{reply.pk}")
    assert "From nervepain" in item.select_one(".badge").get_text()


def test_replying_to_a_pending_comment_approves_it(moderator_client):
    parent = CommentFactory(state=Comment.State.PENDING)
    moderator_client.post(
        f"{CHANGELIST}{parent.pk}/change/",
        {"user_name": parent.user_name, "user_url": "", "comment": parent.comment, "reply": "Hi"},
    )
    parent.refresh_from_db()
    assert parent.state == Comment.State.PUBLISHED
    assert Comment.objects.filter(parent_id=parent.pk, from_site=True).exists()


def test_change_page_shows_the_reason_and_decision(moderator_client):
    comment = CommentFactory(state="pending", reason="hold_word", reason_detail="pills")
    content = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    assert "Matches the hold list" in content
    assert "pills" in content


def test_change_page_names_its_fields_for_a_moderator(moderator_client):
    """Not "website:" in lower case beside "User's name:", nor xtd's "Followup: Notify
    follow-up comments", nor its "Level: 0" (the conversation below shows the thread)."""
    comment = CommentFactory(followup=True)
    page = BeautifulSoup(
        moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content, "html.parser"
    )
    assert page.find("label", attrs={"for": "id_user_url"}).get_text() == "Website:"
    replies = page.select_one(".field-replies_by_email")
    assert replies.label.get_text() == "Replies by email:"
    assert replies.select_one(".readonly").get_text(strip=True) == "Yes"
    assert "Followup" not in page.get_text()
    assert page.select_one(".field-level") is None


def test_change_page_writes_dates_one_way(moderator_client):
    """Django's fields read "Dec. 4, 2026, 9:58 p.m." above the conversation's "4 Dec 2026,
    21:58" on the same page."""
    import datetime

    from django.utils import timezone

    when = timezone.make_aware(datetime.datetime(2026, 12, 4, 21, 58))
    comment = CommentFactory(submit_date=when)
    page = BeautifulSoup(
        moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content, "html.parser"
    )
    assert page.select_one(".field-submit_date .readonly").get_text() == "4 Dec 2026, 21:58"
    assert "4 Dec 2026, 21:58" in page.select_one(".thread-item").get_text()


def test_moderators_edit_the_word_lists(moderator_client):
    response = moderator_client.post(
        "/admin/comments/moderationword/add/", {"word": "casino", "action": "disallow"}
    )
    assert response.status_code == 302
    assert ModerationWord.objects.filter(word="casino", action="disallow").exists()
    assert moderator_client.get("/admin/comments/moderationword/").status_code == 200


def test_superuser_admin_pages_load(admin_client):
    comment = CommentFactory()
    assert admin_client.get(CHANGELIST).status_code == 200
    assert admin_client.get(f"{CHANGELIST}{comment.pk}/change/").status_code == 200
    assert admin_client.get("/admin/comments/trustedcommenter/").status_code == 200
