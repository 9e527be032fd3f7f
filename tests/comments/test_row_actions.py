"""Row actions, replies, undo and bulk actions in the queue: one POST each, permission- and
CSRF-checked, recorded (who, when, LogEntry), and all through ``Comment.moderate``."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client

from comments import decisions
from comments.models import Comment, ModeratorProfile, TrustedCommenter
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"
FRAGMENT = {"HTTP_X_FRAGMENT": "row"}


def action_url(comment, action):
    return f"{CHANGELIST}{comment.pk}/moderate/{action}/"


@pytest.mark.parametrize(
    "start, action, end",
    [
        ("pending", "approve", "published"),
        ("published", "unapprove", "pending"),
        ("pending", "spam", "spam"),
        ("spam", "not_spam", "pending"),
        ("pending", "remove", "removed"),
        ("removed", "restore", "pending"),
    ],
)
def test_each_row_action_moves_the_comment_and_records_who_and_when(
    moderator_client, moderator, start, action, end
):
    comment = CommentFactory(state=start)
    next_url = f"{CHANGELIST}?state={start}&p=2"
    response = moderator_client.post(action_url(comment, action), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url  # back to the same place in the queue
    comment.refresh_from_db()
    assert comment.state == end
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    entry = LogEntry.objects.get(object_id=str(comment.pk))
    assert entry.user == moderator
    assert str(decisions.DONE[end]) in entry.change_message


def test_a_row_action_answers_a_fragment_with_undo_when_asked(moderator_client):
    comment = CommentFactory(state="pending")
    response = moderator_client.post(action_url(comment, "approve"), **FRAGMENT)
    assert response.status_code == 200
    assert response["X-Pending-Count"] == "0"  # for the Pending tab and the badge
    card = BeautifulSoup(response.content, "html.parser").select_one(".qc")
    assert card["id"] == f"qc-{comment.pk}"
    assert card["data-state"] == "published"
    assert "Approved." in card.select_one(".qc-notice").get_text()
    assert card.select_one(".qc-notice a.undo-link")
    assert next(b.get_text() for b in card.select("button[data-key]")) == "Unapprove"


def test_approving_trusts_the_commenter_and_shows_the_comment_to_readers(moderator_client, client):
    comment = CommentFactory(state="pending", comment="Waiting text", commenter_key_hash="k" * 64)
    moderator_client.post(action_url(comment, "approve"))
    assert TrustedCommenter.objects.filter(key_hash="k" * 64).exists()
    assert "Waiting text" in client.get(comment.content_object.get_absolute_url()).content.decode()


def test_a_comment_sent_back_to_pending_leaves_the_public_page(moderator_client, client):
    comment = CommentFactory(state="published", comment="Second thoughts")
    url = comment.content_object.get_absolute_url()
    assert "Second thoughts" in client.get(url).content.decode()
    moderator_client.post(action_url(comment, "unapprove"))
    assert "Second thoughts" not in client.get(url).content.decode()


def test_row_actions_refuse_get_unknown_actions_and_foreign_next(moderator_client):
    comment = CommentFactory(state="pending")
    assert moderator_client.get(action_url(comment, "approve")).status_code == 405
    assert moderator_client.post(action_url(comment, "publish-all")).status_code == 400
    response = moderator_client.post(action_url(comment, "spam"), {"next": "https://evil.example/"})
    assert response["Location"] == CHANGELIST
    comment.refresh_from_db()
    assert comment.state == "spam"


def test_staff_outside_moderators_can_do_nothing(client):
    comment = CommentFactory(state="pending")
    client.force_login(UserFactory(is_staff=True))
    for url, data in [
        (action_url(comment, "approve"), {}),
        (f"{CHANGELIST}{comment.pk}/reply/", {f"reply-{comment.pk}": "Hi"}),
        (f"{CHANGELIST}public-name/", {"public_name": "X"}),
    ]:
        assert client.post(url, data).status_code == 403
    token = decisions.undo_token({comment.pk: "published"}, "pending")
    assert client.post(f"{CHANGELIST}undo/", {"token": token}).status_code == 403
    comment.refresh_from_db()
    assert comment.state == "pending"
    assert not Comment.objects.filter(from_site=True).exists()


def test_staff_with_view_but_not_moderate_permission_cannot_decide(client):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments", codename__in=["view_comment", "change_comment"]
        )
    )
    client.force_login(viewer)
    comment = CommentFactory(state="pending")
    assert client.post(action_url(comment, "approve")).status_code == 403
    comment.refresh_from_db()
    assert comment.state == "pending"


def test_anonymous_is_sent_to_log_in(client):
    comment = CommentFactory(state="pending")
    response = client.post(action_url(comment, "approve"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    comment.refresh_from_db()
    assert comment.state == "pending"


def test_row_actions_check_csrf(moderator):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    comment = CommentFactory(state="pending")
    assert browser.post(action_url(comment, "approve")).status_code == 403
    assert browser.post(f"{CHANGELIST}{comment.pk}/reply/", {"reply": "x"}).status_code == 403
    comment.refresh_from_db()
    assert comment.state == "pending"


def undo_link(response_or_html):
    html = getattr(response_or_html, "content", response_or_html)
    return BeautifulSoup(html, "html.parser").select_one("a.undo-link")["href"]


def test_undo_after_a_row_action_puts_the_comment_back(moderator_client, moderator):
    comment = CommentFactory(state="pending")
    response = moderator_client.post(action_url(comment, "spam"), **FRAGMENT)
    url = undo_link(response)
    page = moderator_client.get(url)  # a GET only asks
    assert page.status_code == 200
    comment.refresh_from_db()
    assert comment.state == "spam"
    response = moderator_client.post(url, **FRAGMENT)
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.state == "pending"
    assert LogEntry.objects.filter(change_message="Decision undone.").count() == 1


def test_undo_after_a_bulk_action_from_the_message(moderator_client):
    comments = CommentFactory.create_batch(3, state="pending")
    published = CommentFactory(state="published")
    response = moderator_client.post(
        CHANGELIST + "?state=all",
        {"action": "remove", "_selected_action": [c.pk for c in [*comments, published]]},
        follow=True,
    )
    message = response.content.decode()
    assert "4 comments removed." in message
    url = undo_link(response)
    token = parse_qs(urlsplit(url).query)["token"][0]
    response = moderator_client.post(f"{CHANGELIST}undo/", {"token": token}, follow=True)
    assert "4 comments put back." in response.content.decode()
    for comment in comments:
        comment.refresh_from_db()
        assert comment.state == "pending"
    published.refresh_from_db()
    assert published.state == "published"


def test_undo_leaves_comments_someone_decided_on_since(moderator_client, moderator):
    """And says so: which, by whom, what it is now ("0 comments put back." said nothing)."""
    comment = CommentFactory(state="pending", user_name="Ann", comment="Batch two, long words")
    token = decisions.undo_token({comment.pk: "pending"}, "spam")
    Comment.objects.get(pk=comment.pk).moderate("removed", moderator)
    response = moderator_client.post(f"{CHANGELIST}undo/", {"token": token}, follow=True)
    comment.refresh_from_db()
    assert comment.state == "removed"
    said = [str(message) for message in response.context["messages"]]
    assert said == [
        "0 comments put back.",
        f"Not put back: the comment by Ann, “Batch two, long words”, was removed since by "
        f"{moderator.username}.",
    ]


def test_a_cards_undo_that_finds_a_newer_decision_says_so_on_the_card(moderator_client):
    """With script the answer was nothing to put in place, and the page reloaded for its
    message: asking to leave over a reply typed in another card, and the other cards' Undo
    lines gone with it."""
    sam = UserFactory(username="sam", is_staff=True)
    comment = CommentFactory(state="pending")
    token = decisions.undo_token({comment.pk: "pending"}, "published")
    Comment.objects.get(pk=comment.pk).moderate("removed", sam)
    response = moderator_client.post(f"{CHANGELIST}undo/", {"token": token}, **FRAGMENT)
    assert response.status_code == 200
    assert response["X-Changed-Since"] == "1"
    card = BeautifulSoup(response.content, "html.parser").select_one(f"#qc-{comment.pk}")
    assert card["data-state"] == "removed"
    assert card.select_one(".qc-notice").get_text(" ", strip=True) == (
        "Not put back: it was removed since by sam."
    )


def test_a_forged_or_old_undo_changes_nothing(moderator_client, monkeypatch):
    comment = CommentFactory(state="spam")
    response = moderator_client.post(f"{CHANGELIST}undo/", {"token": "forged"}, follow=True)
    assert "no longer valid" in response.content.decode()
    token = decisions.undo_token({comment.pk: "pending"}, "spam")
    import time

    later = time.time() + decisions.UNDO_MAX_AGE + 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    moderator_client.post(f"{CHANGELIST}undo/", {"token": token})
    comment.refresh_from_db()
    assert comment.state == "spam"


def test_bulk_action_honours_select_across_pages(moderator_client, moderator, settings):
    comments = CommentFactory.create_batch(25, state="pending")  # more than one page of 20
    response = moderator_client.post(
        CHANGELIST,
        {"action": "approve", "select_across": "1", "_selected_action": [comments[0].pk]},
    )
    assert response.status_code == 302
    assert Comment.objects.filter(state="published", moderated_by=moderator).count() == 25


def test_bulk_unapprove(moderator_client):
    comment = CommentFactory(state="published")
    moderator_client.post(
        CHANGELIST + "?state=published", {"action": "unapprove", "_selected_action": [comment.pk]}
    )
    comment.refresh_from_db()
    assert comment.state == "pending"


def test_reply_from_the_queue_approves_a_pending_comment_and_shows_the_site_name(
    moderator_client, moderator, client, settings
):
    settings.COMMENTS_SITE_REPLY_NAME = "The nervepain team"
    moderator.first_name, moderator.last_name = "Private", "Person"
    moderator.save()
    parent = CommentFactory(state="pending")
    response = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/reply/",
        {f"reply-{parent.pk}": "Thank you; please see your doctor.", "next": CHANGELIST},
        **FRAGMENT,
    )
    assert response.status_code == 200
    assert "Reply published." in response.content.decode()
    parent.refresh_from_db()
    assert parent.state == "published"
    reply = Comment.objects.get(parent_id=parent.pk, from_site=True)
    assert reply.user_name == "The nervepain team"
    assert reply.moderated_by == moderator
    page = client.get(parent.content_object.get_absolute_url()).content.decode()
    item = BeautifulSoup(page, "html.parser").find(id=f"c{reply.pk}")
    assert "The nervepain team" in item.get_text()
    for private in (moderator.username, "Private Person"):
        assert private not in page


def test_a_moderator_sets_their_public_name(moderator_client, moderator, client):
    response = moderator_client.post(f"{CHANGELIST}public-name/", {"public_name": "Dr. Ana"})
    assert response.status_code == 302
    assert ModeratorProfile.objects.get(user=moderator).public_name == "Dr. Ana"
    parent = CommentFactory(state="published")
    moderator_client.post(f"{CHANGELIST}{parent.pk}/reply/", {f"reply-{parent.pk}": "Hello"})
    assert Comment.objects.get(parent_id=parent.pk, from_site=True).user_name == "Dr. Ana"


def test_an_empty_reply_says_so_and_changes_nothing(moderator_client):
    parent = CommentFactory(state="pending")
    response = moderator_client.post(
        f"{CHANGELIST}{parent.pk}/reply/", {f"reply-{parent.pk}": "  "}, follow=True
    )
    assert "it was empty" in response.content.decode()
    parent.refresh_from_db()
    assert parent.state == "pending"
    response = moderator_client.post(f"{CHANGELIST}{parent.pk}/reply/", {}, **FRAGMENT)
    assert response.status_code == 400


def test_the_change_page_has_decisions_beside_save_and_the_thread(moderator_client, moderator):
    parent = CommentFactory(state="published", user_name="Maria", comment="Parent words")
    comment = CommentFactory(parent=parent, article=parent.content_object, state="pending")
    CommentFactory(parent=comment, article=parent.content_object, comment="Reply words")
    url = f"{CHANGELIST}{comment.pk}/change/"
    page = BeautifulSoup(moderator_client.get(url).content, "html.parser")
    form = page.select_one("#comment_form")
    labels = [b.get_text() for b in form.select(".comment-decisions button")]
    assert labels == ["Approve", "Spam", "Remove"]
    thread = page.select_one(".comment-thread").get_text()
    assert "Parent words" in thread and "Reply words" in thread
    assert not page.select(".comment-thread textarea, .comment-thread input")
    button = form.select_one(".comment-decisions .qc-approve")
    fields = {"user_name": comment.user_name, "user_url": "", "comment": comment.comment}
    # A button of the page's form: the decision is saved with it (see test_queue_fixes.py).
    response = moderator_client.post(url, {**fields, "next": url, button["name"]: button["value"]})
    assert response["Location"] == url
    comment.refresh_from_db()
    assert comment.state == "published"
    page = BeautifulSoup(moderator_client.get(url).content, "html.parser")
    labels = [b.get_text() for b in page.select(".comment-decisions button")]
    assert labels == ["Unapprove", "Spam", "Remove"]


def test_moderators_group_keeps_its_permissions():
    group = Group.objects.get(name="Moderators")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"moderate_comment", "change_comment", "view_comment"} <= codenames


def test_earlier_site_replies_stop_showing_the_moderators_login_name(settings):
    """The data migration renames replies written as the site before public names existed."""
    import importlib

    from django.apps import apps

    settings.COMMENTS_SITE_REPLY_NAME = "nervepain"
    old = CommentFactory(from_site=True, user_name="jsmith-admin")
    reader = CommentFactory(user_name="jsmith-admin")
    importlib.import_module("comments.migrations.0009_site_replies_show_the_site_name").forward(
        apps, None
    )
    old.refresh_from_db()
    reader.refresh_from_db()
    assert old.user_name == "nervepain"
    assert reader.user_name == "jsmith-admin"


def test_the_comment_page_says_which_name_a_reply_will_show(moderator_client, moderator):
    ModeratorProfile.objects.create(user=moderator, public_name="Dr. Ana")
    comment = CommentFactory(state="pending")
    page = BeautifulSoup(
        moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content, "html.parser"
    )
    assert page.find("label", attrs={"for": "id_reply"}).get_text() == "Reply as Dr. Ana:"


@pytest.mark.parametrize("fragment", [False, True])
def test_taking_a_comment_off_the_page_says_the_sites_reply_goes_with_it(
    moderator_client, moderator, fragment
):
    """Unapprove on a comment with the site's reply said only "Back to pending": readers no
    longer saw the reply either, and nothing said so (an Undo of an approval did)."""
    comment = CommentFactory(state="published")
    decisions.reply_as_site(comment, "Thank you for sharing.", moderator)
    said = (
        "The site's reply under it stays published, but hidden with it until it is approved again."
    )
    url = action_url(comment, "unapprove")
    if fragment:
        response = moderator_client.post(url, {}, **FRAGMENT)
        notice = BeautifulSoup(response.content, "html.parser").select_one(".qc-notice")
        assert notice.get_text(" ", strip=True).startswith(f"Back to pending. {said}")
    else:
        response = moderator_client.post(url, {"next": CHANGELIST}, follow=True)
        assert said in [str(m) for m in response.context["messages"]]
    other = CommentFactory(state="published")  # no reply: nothing more said
    response = moderator_client.post(action_url(other, "unapprove"), {}, **FRAGMENT)
    notice = BeautifulSoup(response.content, "html.parser").select_one(".qc-notice")
    assert notice.get_text(" ", strip=True) == "Back to pending. Undo"
