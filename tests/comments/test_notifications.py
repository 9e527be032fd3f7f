"""Email about comments: after commit, only to proven addresses, one-click unsubscribe."""

import logging
import re
import smtplib

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, connection
from django.template import TemplateSyntaxError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from comments import notifications
from comments.models import Comment, CommentReport, ModeratorProfile, VerifiedEmail
from comments.privacy import erase_commenter
from comments.trust import sign_comment
from tests.comments.conftest import form_data, send
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators(moderator):
    """Moderators with email: the group member, plus a superuser."""
    UserFactory(is_staff=True, is_superuser=True, email="root@example.org")
    return moderator


def approve(moderator_client, comment):
    moderator_client.post(
        "/admin/comments/comment/?state=all",
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    comment.refresh_from_db()


def links_in(message):
    return re.findall(r"https?://\S+", message.body)


def test_held_comment_emails_moderators_after_commit(
    post, article, moderators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(article)
    assert mail.outbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    assert sorted(m.to for m in mail.outbox) == [["mod@example.org"], ["root@example.org"]]
    comment = Comment.objects.get()
    for message in mail.outbox:
        assert f"https://nervepain.example/admin/comments/comment/{comment.pk}/change/" in (
            links_in(message)
        )


@pytest.mark.parametrize("kind", ["held", "urgent", "worried"])
def test_each_moderator_gets_an_email_showing_no_other_moderators_address(moderators, kind):
    """WordPress mails each moderator on their own (wp_notify_moderator): one message to all,
    every address in To, showed the superuser's personal address to each moderator."""
    if kind == "worried":
        comment = CommentFactory(state=Comment.State.PUBLISHED)
        notifications.notify_worried.call(comment.pk)
    else:
        comment = CommentFactory(state=Comment.State.PENDING, urgent=kind == "urgent")
        notifications.notify_moderators.call(comment.pk)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [address] = message.to
        [other] = {"mod@example.org", "root@example.org"} - {address}
        assert message.recipients() == [address]
        assert other not in message.message().as_string()


@pytest.mark.parametrize("state", ["pending", "removed", "spam"])
def test_a_worry_is_mailed_for_a_comment_taken_down_since_the_report(moderator, state):
    """The worry is about its writer: "no longer public" dropped it when a moderator removed
    the comment (or others' reports held it) before the task ran. Its email says the comment
    is not shown, and links to the admin only (readers cannot open it on the article)."""
    comment = CommentFactory(state=state, urgent=state == "pending", comment="I can't go on.")
    assert notifications.notify_worried.call(comment.pk) == "sent"
    [message] = mail.outbox
    assert "URGENT: reader worried about" in message.subject
    assert "no longer shown" in message.body and "still shown" not in message.body
    assert ("first in the queue as urgent" in message.body) is (state == "pending")
    assert (
        links_in(message)[:2]
        == [f"https://nervepain.example/admin/comments/comment/{comment.pk}/change/"] * 2
    )
    assert "Read it on the article" not in message.body
    assert "I can't go on." in message.body


def test_a_worry_email_says_what_was_done_already(moderator):
    """It said "in words no crisis phrase caught" of a comment the crisis phrases had caught,
    and nothing of the moderator's reply under it: read on a phone, nobody had acted."""
    from comments.decisions import reply_as_site

    caught = CommentFactory(
        reason=Comment.Reason.CRISIS, reason_detail="want to die", comment="I want to die."
    )
    missed = CommentFactory(comment="I don't see the point of anything now.")
    moderator.first_name, moderator.last_name = "Priya", "Shah"
    moderator.save()
    reply_as_site(caught, "We read what you wrote. Please call 111.", moderator)
    for comment in (caught, missed):
        mail.outbox.clear()
        assert notifications.notify_worried.call(comment.pk) == "sent"
        [message] = mail.outbox
        body = " ".join(message.body.split())
        if comment is caught:
            assert "the crisis phrases caught it when it was posted" in body
            assert "no crisis phrase caught" not in body
            assert "Priya Shah already replied under it as nervepain, on" in body
        else:
            assert "in words no crisis phrase caught" in body
            assert "already replied" not in body


LONG_TITLE = (
    "Why Does Nerve Pain Get Worse After Physical Therapy? \N{EN DASH} "
    "Causes, Insights & Management Tips"
)


def subject_of(kind, article):
    """The subject of the email of this kind about a new comment on ``article``."""
    if kind in {"worried", "reply"}:
        parent = CommentFactory(article=article, followup=True, user_email="bea@example.org")
        VerifiedEmail.objects.create(email="bea@example.org")
        if kind == "worried":
            notifications.notify_worried.call(parent.pk)
        else:
            notifications.notify_reply.call(CommentFactory(article=article, parent=parent).pk)
    else:
        comment = CommentFactory(article=article, state="pending", urgent=kind == "urgent")
        notifications.notify_moderators.call(comment.pk)
    [message] = mail.outbox
    return message.subject


SUBJECT_STARTS = [
    ("held", "[nervepain] A comment is waiting for moderation on "),
    ("urgent", "[nervepain] URGENT: a commenter may be in crisis on "),
    ("worried", "[nervepain] URGENT: reader worried about a commenter on "),
    ("reply", "[nervepain] New reply to your comment on "),
]


@pytest.mark.parametrize("kind, start", SUBJECT_STARTS)
def test_an_emails_subject_names_the_article(moderator, kind, start):
    """As WordPress's 'Please moderate: "<post>"': the same subject for every comment told a
    moderator nothing in a phone's list, and mail apps folded each new one into a conversation
    of older emails already dealt with. A short title is whole."""
    article = ArticleFactory(title="Burning feet")
    assert subject_of(kind, article) == start + '"Burning feet"'


@pytest.mark.parametrize("kind, start", SUBJECT_STARTS)
def test_a_long_titles_subject_fits_a_phones_mail_list(moderator, kind, start):
    """The seed article's title made subjects of 99 to 119 characters: a phone's list showed
    the start, and a mail app wrapped the header. The title gives way at a word's end, never
    what happened; the subject stays within 78 characters (RFC 5322's line)."""
    subject = subject_of(kind, ArticleFactory(title=LONG_TITLE))
    assert len(subject) <= 78, subject
    assert subject.startswith(start + '"Why Does ')
    shortened = subject.removeprefix(start + '"').removesuffix('…"')
    assert LONG_TITLE.startswith(shortened + " ")  # whole words
    assert shortened[-1].isalnum() or shortened[-1] == "?"  # no dangling dash before "…"


def test_the_worried_emails_subject_keeps_words_of_a_long_title(moderator):
    """ "URGENT: a reader is worried about a commenter" left the seed article's title 15
    characters: "Why Does Nerve…" said little of where."""
    subject = subject_of("worried", ArticleFactory(title=LONG_TITLE))
    assert subject.endswith(' on "Why Does Nerve Pain…"') and len(subject) <= 78


def test_a_long_site_name_gives_way_to_the_title(moderator, settings):
    """Under a long site name the title kept two words ("Why Does Nerve…"); the "[site]" tag
    goes instead (the From header names the site), and the title has the room."""
    settings.SITE_NAME = "The Nerve Pain Community Health Forum"
    subject = subject_of("worried", ArticleFactory(title=LONG_TITLE))
    assert subject == 'URGENT: reader worried about a commenter on "Why Does Nerve Pain Get Worse…"'


@pytest.mark.parametrize("kind, start", SUBJECT_STARTS)
def test_a_long_site_name_gives_way_without_a_title(moderator, settings, kind, start):
    """An article without a title (a blank one) left the "[site]" tag in whatever its length:
    a 60-character site name made a subject of up to 103 characters."""
    settings.SITE_NAME = "The Nerve Pain Community Health Forum of the Northern Counties"
    subject = subject_of(kind, ArticleFactory(title=" "))
    what = start.removeprefix("[nervepain] ").removesuffix(" on ")
    assert subject == what


@pytest.mark.parametrize(
    "site, subject",
    [
        ("nervepain", "[nervepain] Confirm your email for reply notifications"),
        (
            "The Nerve Pain Community Health Forum",
            "Confirm your email for reply notifications",
        ),
    ],
)
def test_the_confirmation_emails_subject_keeps_within_78_characters(
    article, settings, site, subject
):
    """The confirmation's subject put the "[site]" tag before its words whatever the site
    name's length: past 78 characters from a 33-character name."""
    settings.SITE_NAME = site
    comment = CommentFactory(article=article, followup=True, user_email="bea@example.org")
    notifications.request_confirmation.call(comment.pk)
    [message] = mail.outbox
    assert message.subject == subject


def test_the_site_name_stays_when_the_title_fits_beside_it(moderator, settings):
    settings.SITE_NAME = "Nerve Pain Community"
    subject = subject_of("held", ArticleFactory(title="Burning feet"))
    assert subject == '[Nerve Pain Community] A comment is waiting for moderation on "Burning feet"'


def test_a_held_replys_email_quotes_the_start_of_the_comment_it_answers(moderator, article):
    """A reply saying "Yes, exactly, stop taking it" means nothing without what it answers: a
    moderator judged a held reply blind, or left the email for the queue. One line, as the
    reply email's quote."""
    parent = CommentFactory(
        article=article,
        user_name="Bea",
        comment="Should I stop   gabapentin?\n\nMy doctor is away. " + "I wonder " * 30,
    )
    reply = CommentFactory(article=article, parent=parent, state="pending",
                           comment="Yes, exactly, stop taking it.")  # fmt: skip
    notifications.notify_moderators.call(reply.pk)
    [message] = mail.outbox
    [line] = [line for line in message.body.splitlines() if line.startswith("In reply to ")]
    assert line.startswith('In reply to Bea: "Should I stop gabapentin? My doctor is away. I ')
    assert line.endswith('…"') and len(line) < 180
    # Over the reply's text (the first line, under the subject, is only its start).
    body = message.body.split("\n", 1)[1]
    assert line in body.split("Yes, exactly, stop taking it.")[0]


@pytest.mark.parametrize("kind", ["held", "worried"])
def test_a_reply_costs_its_email_no_query_more_than_a_comment(moderator, article, kind):
    """Whom a reply answers is read with the reply, in one query: it took one more for each
    held reply's email (and a burst of held replies is when the worker is busiest)."""
    state = "pending" if kind == "held" else "published"
    task = notifications.notify_moderators if kind == "held" else notifications.notify_worried
    comment = CommentFactory(article=article, state=state)
    reply = CommentFactory(article=article, parent=CommentFactory(article=article), state=state)
    counts = []
    for pk in (comment.pk, reply.pk):
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            task.call(pk)
        counts.append(len(queries))
    assert "In reply to Reader" in mail.outbox[-1].body
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("kind", ["held", "worried"])
def test_a_comment_that_answers_nobody_quotes_nothing(moderator, article, kind):
    comment = CommentFactory(article=article, state="pending" if kind == "held" else "published")
    task = notifications.notify_moderators if kind == "held" else notifications.notify_worried
    task.call(comment.pk)
    assert "In reply to" not in mail.outbox[0].body


def test_a_worried_email_about_a_reply_quotes_the_comment_it_answers(moderator, article):
    """A reply's words are read in their conversation; the held reply's email quoted whom it
    answered, the email about a reader worried for a reply's writer did not, and "Me too, I
    can't go on" reached a moderator without the comment it agreed with."""
    parent = CommentFactory(article=article, user_name="Bea",
                            comment="Some nights I don't see the point of going on.")  # fmt: skip
    reply = CommentFactory(article=article, parent=parent, comment="Me too, I can't go on.")
    notifications.notify_worried.call(reply.pk)
    [message] = mail.outbox
    quote = 'In reply to Bea: "Some nights I don\'t see the point of going on."'
    assert f"From: {reply.user_name}\n{quote}\n\nMe too, I can't go on." in message.body


@pytest.mark.parametrize("kind", ["held", "worried", "reply", "confirm"])
def test_every_email_names_the_site_in_its_message_id_and_asks_robots_not_to_answer(
    moderator, article, kind
):
    """Django's Message-ID names the server ("@localhost", a container's id), which spam
    filters count against a message (rspamd's MID_RHS_NOT_FQDN); without Auto-Submitted
    (RFC 3834) each held comment drew a moderator's out-of-office reply."""
    sent = email_of(kind, article).message()
    assert re.fullmatch(r"<\S+@nervepain\.example>", sent["Message-ID"])
    assert sent["Auto-Submitted"] == "auto-generated"


def email_of(kind, article, comment="Capsaicin cream helped my burning feet at night.", **fields):
    """The one email of this kind about a comment with this text on ``article``."""
    comment = CommentFactory(
        article=article,
        state="pending",
        followup=True,
        user_email="bea@example.org",
        comment=comment,
        urgent=kind == "urgent",
        **fields,
    )
    if kind in {"held", "urgent"}:
        notifications.notify_moderators.call(comment.pk)
    elif kind == "confirm":
        notifications.request_confirmation.call(comment.pk)
    else:
        Comment.objects.filter(pk=comment.pk).update(state=Comment.State.PUBLISHED)
        VerifiedEmail.objects.create(email="bea@example.org")
        if kind == "worried":
            notifications.notify_worried.call(comment.pk)
        else:
            notifications.notify_reply.call(CommentFactory(article=article, parent=comment).pk)
    [message] = mail.outbox
    return message


@pytest.mark.parametrize("kind", ["held", "urgent", "worried", "reply", "confirm"])
def test_an_emails_first_line_says_what_its_subject_does_not(moderator, article, kind):
    """A phone's mail list shows the body's first line under the subject: each opened by
    saying the subject again ('A comment on "Nerve pain" is waiting for moderation.' under
    '[nervepain] A comment is waiting for moderation on "Nerve pain"'), the same words twice.
    It now says what the subject cannot: the comment's start, what to do, or which comment."""
    message = email_of(kind, article)
    first = message.body.splitlines()[0]
    assert article.title not in first
    expected = {
        "held": 'It starts: "Capsaicin cream helped my burning feet at night."',
        "urgent": "URGENT, look at it now: its writer may be in crisis.",
        "worried": "Please read it now: the comment is still shown",
        "reply": 'You wrote: "Capsaicin cream helped my burning feet at night."',
        "confirm": "One step left: open this link and press the button",
    }[kind]
    assert first.startswith(expected), first


def test_a_held_emails_first_line_is_the_start_of_a_long_comment(moderator, article):
    message = email_of("held", article, comment="Burning " * 40)
    first = message.body.splitlines()[0]
    assert first.startswith('It starts: "Burning Burning') and first.endswith('…"')
    assert len(first) < 120


def test_an_urgent_email_opens_with_what_is_urgent_and_what_to_do_first(moderator, article):
    """It opened as an ordinary held comment's ("A comment … is waiting for moderation.",
    "Reason held: …", the text, and the links at its foot): what was urgent and what to do
    came after the comment, past a phone's first screen."""
    message = email_of(
        "urgent",
        article,
        comment="I want to die, I can't go on.",
        reason=Comment.Reason.CRISIS,
        reason_detail="want to die, can't go on",
    )
    lines = message.body.splitlines()
    assert lines[0] == (
        "URGENT, look at it now: its words match a crisis phrase (want to die, can't go on), "
        "and its writer may be in crisis. Open it in the queue first:"
    )
    comment = Comment.objects.get()
    assert lines[1] == f"https://nervepain.example/admin/comments/comment/{comment.pk}/in-queue/"
    before_comment = message.body.split("Reason held:")[0]
    assert "write to its writer" in before_comment
    assert '"Reply with the crisis resources"' in before_comment
    # An ordinary held comment's email does not say so.
    mail.outbox.clear()
    assert "URGENT" not in email_of("held", article).body


@pytest.mark.parametrize("kind", ["held", "urgent", "worried"])
def test_a_moderators_email_says_why_it_came_and_where_to_choose_which(
    moderator, moderator_client, article, kind
):
    """Nothing said why a moderator got these emails, nor how to stop them; then the footer
    said only an administrator could, by taking the account out of the Moderators group. It
    says who gets them and links to the moderator's own choice, and both are true: the link
    opens their page, and out of the group the same email no longer comes."""
    message = email_of(kind, article)
    footer = message.body.split("\n-- \n")[1]
    assert footer.startswith("You get this because you are a moderator of nervepain:")
    words = " ".join(footer.split())
    assert f"in the {notifications.MODERATORS_GROUP} group or a superuser" in words
    assert "every held comment and urgent ones at once (the default), only urgent" in words
    assert "ask an administrator" not in words
    settings_url = "https://nervepain.example/admin/comments/email-settings/"
    assert settings_url in footer.splitlines()
    page = moderator_client.get(settings_url.removeprefix("https://nervepain.example"))
    assert page.status_code == 200
    assert all(len(line) <= 78 for line in footer.splitlines())
    # A superuser gets them as long as they are one; out of the group, a moderator does not.
    UserFactory(is_staff=True, is_superuser=True, email="root@example.org")
    moderator.groups.clear()
    assert set(notifications._moderators()) == {"root@example.org"}


def recipients_of(kind, article):
    """Who got the email of this kind ("held", "urgent", "worried") about a new comment."""
    mail.outbox.clear()
    if kind == "worried":
        comment = CommentFactory(article=article, state=Comment.State.PUBLISHED)
        notifications.notify_worried.call(comment.pk)
    else:
        comment = CommentFactory(article=article, state="pending", urgent=kind == "urgent")
        notifications.notify_moderators.call(comment.pk)
    return {address for message in mail.outbox for address in message.to}


@pytest.mark.parametrize(
    "choice, gets",
    [
        (None, {"held", "urgent", "worried"}),  # no choice made: every one, as before
        ("all", {"held", "urgent", "worried"}),
        ("urgent", {"urgent", "worried"}),
        ("none", set()),
    ],
)
def test_a_moderator_gets_the_moderation_emails_they_chose(moderators, article, choice, gets):
    """A moderator on holiday, or working the queue all day, wanted fewer emails without
    losing the right to moderate; only an administrator could stop them, for all of them.
    Each chooses: every held comment, only urgent ones (a writer who may be in crisis, or a
    reader worried about one), or none. Another moderator's choice changes nothing of theirs."""
    if choice:
        ModeratorProfile.objects.create(user=moderators, emails=choice)
    for kind in ["held", "urgent", "worried"]:
        received = recipients_of(kind, article)
        assert ("mod@example.org" in received) == (kind in gets), kind
        assert "root@example.org" in received, kind


def test_an_urgent_email_reaches_every_moderator_when_each_chose_none(moderators, article):
    """With every moderator on "None", an urgent comment reached nobody: a writer in crisis
    waited unseen. It goes to every moderator then, as before there was a choice; a held
    comment's email does not (it waits in the queue)."""
    root = get_user_model().objects.get(email="root@example.org")
    for user in (moderators, root):
        ModeratorProfile.objects.create(user=user, emails="none")
    assert recipients_of("held", article) == set()
    everyone = {"mod@example.org", "root@example.org"}
    assert recipients_of("urgent", article) == everyone
    assert recipients_of("worried", article) == everyone
    # One moderator choosing to get urgent emails is enough: "None" is honoured again.
    ModeratorProfile.objects.filter(user=root).update(emails="urgent")
    assert recipients_of("urgent", article) == {"root@example.org"}
    assert recipients_of("worried", article) == {"root@example.org"}


def test_a_retry_honours_the_choice_made_since(moderators, article):
    """A retry mails those a failed send did not reach if they would get the email still: a
    moderator who chose "None" in the meantime is left out, unless nobody else would get an
    urgent one."""
    users = get_user_model().objects
    both = [users.get(email=a).pk for a in ("mod@example.org", "root@example.org")]
    ModeratorProfile.objects.create(user=moderators, emails="none")
    held = CommentFactory(article=article, state="pending")
    notifications.notify_moderators.call(held.pk, attempt=2, only=both)
    assert [m.to for m in mail.outbox] == [["root@example.org"]]
    mail.outbox.clear()
    ModeratorProfile.objects.create(user=users.get(email="root@example.org"), emails="none")
    urgent = CommentFactory(article=article, state="pending", urgent=True)
    notifications.notify_moderators.call(urgent.pk, attempt=2, only=[moderators.pk])
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]


@pytest.mark.parametrize("kind", ["reply", "confirm"])
def test_a_commenters_email_has_no_moderators_footer(moderator, article, kind):
    assert "moderator" not in email_of(kind, article).body


@pytest.mark.parametrize(
    "zone, offsets", [("UTC", {"+0000"}), ("Europe/Berlin", {"+0100", "+0200"})]
)
@pytest.mark.parametrize("kind", ["held", "reply", "confirm"])
def test_every_emails_date_is_in_the_sites_time_zone(
    moderator, article, settings, kind, zone, offsets
):
    """The Date header ended in "-0000", which says the sender does not know its time zone
    (RFC 5322 3.3); it is the site's TIME_ZONE, "+0000" for UTC."""
    settings.TIME_ZONE = zone
    comment = CommentFactory(article=article, state="published", followup=True,
                             user_email="bea@example.org")  # fmt: skip
    if kind == "held":
        notifications.notify_moderators.call(CommentFactory(article=article, state="pending").pk)
    elif kind == "confirm":
        notifications.request_confirmation.call(comment.pk)
    else:
        VerifiedEmail.objects.create(email="bea@example.org")
        notifications.notify_reply.call(CommentFactory(article=article, parent=comment).pk)
    [message] = mail.outbox
    date = message.message()["Date"]
    assert date[-5:] in offsets, date


def test_moderator_emails_are_limited_in_a_burst(
    client, article, moderators, django_capture_on_commit_callbacks, monkeypatch
):
    # The limit counts per clock minute: five posts sent across a minute's end would fall in
    # two minutes (a CI run once mailed 4, its posts at 09:01:59.977 to 09:02:00.006).
    this_minute = notifications._burst_key()
    monkeypatch.setattr(notifications, "_burst_key", lambda: this_minute)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            send(client, form_data(article, email=f"r{n}@example.org"), REMOTE_ADDR=f"192.0.2.{n}")
    assert Comment.objects.count() == 5
    assert len([m for m in mail.outbox if m.to == ["mod@example.org"]]) == 3


def test_a_failing_mail_server_loses_no_comment(
    settings, post, article, moderators, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.BrokenBackend"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = post(article)
    assert response.status_code == 303
    assert Comment.objects.count() == 1
    assert "email failed task=" in caplog.text
    assert "notify_moderators" in caplog.text


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


class RootRefused(locmem.EmailBackend):
    """A mail server that refuses one moderator's address, and takes the others: as Django's
    SMTP backend, messages are sent in turn until one fails."""

    def send_messages(self, messages):
        for message in messages:
            if "root@example.org" in message.to:
                raise smtplib.SMTPRecipientsRefused({"root@example.org": (451, b"Try later")})
            super().send_messages([message])
        return len(messages)


@pytest.mark.parametrize("kind", ["held", "worried"])
def test_a_retry_mails_only_the_moderators_a_failed_send_did_not_reach(moderators, settings, kind):
    """A send that failed at the second of three moderators was retried for all three: the
    first got every email again, once per attempt (up to 5). The retry goes to those not
    reached, if they are moderators still."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.RootRefused"
    UserFactory(is_staff=True, is_superuser=True, email="zed@example.org")
    UserFactory(is_staff=True, is_superuser=True, email="gone@example.org")
    if kind == "worried":
        comment, task = CommentFactory(state="published"), notifications.notify_worried
    else:
        comment, task = CommentFactory(state="pending"), notifications.notify_moderators
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        task.call(comment.pk)
    assert [m.to for m in mail.outbox] == [["gone@example.org"], ["mod@example.org"]]
    retry = DBTaskResult.objects.get(status="READY")
    users = get_user_model().objects
    assert retry.args_kwargs["kwargs"] == {
        "attempt": 2,
        # By user id: the task's row, kept after it ran, holds no one's address.
        "only": [users.get(email=a).pk for a in ("root@example.org", "zed@example.org")],
    }
    assert "@" not in str(retry.args_kwargs)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users.filter(email="zed@example.org").update(is_staff=False)
    task.call(*retry.args_kwargs["args"], **retry.args_kwargs["kwargs"])
    assert [m.to for m in mail.outbox[2:]] == [["root@example.org"]]


def test_a_retry_queued_with_addresses_still_mails_those_moderators(moderators):
    """Retries queued before they named moderators by id named them by address: they run."""
    UserFactory(is_staff=True, is_superuser=True, email="zed@example.org")
    comment = CommentFactory(state="pending")
    notifications.notify_moderators.call(
        comment.pk, attempt=2, only=["root@example.org", "zed@example.org", "gone@example.org"]
    )
    assert [m.to for m in mail.outbox] == [["root@example.org"], ["zed@example.org"]]


class CloseFails(locmem.EmailBackend):
    """A mail server that took every message, then dropped the session as it was closed."""

    def close(self):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_a_session_failing_to_close_after_every_message_went_out_counts_as_sent(
    moderators, settings, caplog
):
    """The close's error was taken for the send's: the task failed, and on the database
    queue each moderator would get the email again with every retry."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.CloseFails"
    comment = CommentFactory(state="pending")
    with caplog.at_level(logging.WARNING):
        assert notifications.notify_moderators.call(comment.pk) == "sent"
    assert sorted(m.to for m in mail.outbox) == [["mod@example.org"], ["root@example.org"]]
    assert not DBTaskResult.objects.exists()  # no retry
    assert "email close failed task=" in caplog.text and "sent=2/2" in caplog.text


def test_opting_in_sends_a_confirmation_without_the_readers_text(
    post, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(article, followup="on", comment="Private story about my back.")
    confirmations = [m for m in mail.outbox if m.to == ["ann@example.org"]]
    assert len(confirmations) == 1
    body = confirmations[0].body
    assert "Private story" not in body
    assert "Ann Reader" not in body
    assert any("/comments/confirm/" in link for link in links_in(confirmations[0]))


def test_confirmation_is_sent_once_a_day_per_address(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            send(client, form_data(article, followup="on", comment=f"Comment {n}"))
    assert len([m for m in mail.outbox if m.to == ["ann@example.org"]]) == 1


def test_confirm_link_changes_nothing_on_get_and_verifies_on_post(client, article):
    comment = CommentFactory(article=article, followup=True, user_email="Bea@Example.org")
    url = f"/comments/confirm/{sign_comment(comment.pk, 'confirm')}/"
    assert client.get(url).status_code == 200
    assert not VerifiedEmail.objects.exists()
    assert client.post(url).status_code == 200
    assert VerifiedEmail.objects.filter(email="bea@example.org").exists()


def test_a_confirm_link_says_which_comment_it_is_for(client, article):
    """The page named neither: someone who never wrote it could not tell it was not theirs."""
    comment = CommentFactory(
        article=article,
        followup=True,
        user_email="bea@example.org",
        comment="Cold water helped my feet more than heat did, every night for a week and more.",
    )
    url = f"/comments/confirm/{sign_comment(comment.pk, 'confirm')}/"
    page = BeautifulSoup(client.get(url).content, "html.parser")
    said = page.select_one(".link-for").get_text()
    assert said == (
        f"Your comment of {comment.submit_date:%-d %B %Y} on {article.title}, beginning: "
        "Cold water helped my feet more than heat did, every night for …"
    )
    assert "Not your comment?" in page.select_one("main").get_text()
    assert "Confirm b***@example.org to receive an email" in page.select_one("main").get_text()
    # Only words readers can read anyway: anyone can type an address, and the page would
    # carry a stranger's words (a scam, marked as spam since) to the address's owner.
    for state, said in [
        ("spam", ", no longer on the site."),
        ("removed", ", no longer on the site."),
        ("pending", ", waiting for a moderator."),
    ]:
        Comment.objects.filter(pk=comment.pk).update(state=state)
        text = BeautifulSoup(client.get(url).content, "html.parser").select_one(".link-for")
        assert (
            text.get_text()
            == f"Your comment of {comment.submit_date:%-d %B %Y} on {article.title}{said}"
        )
    erase_commenter("bea@example.org", keep_text=False, by="test")
    assert BeautifulSoup(client.get(url).content, "html.parser").select(".link-for") == []


def test_an_unsubscribe_link_names_the_address_masked(client, article):
    parent, _ = reply_setup(article)
    url = f"/comments/unsubscribe/{sign_comment(parent.pk, 'unsubscribe')}/"
    masked = f"{parent.user_email[0]}***@{parent.user_email.rpartition('@')[2]}"
    asking = BeautifulSoup(client.get(url).content, "html.parser").select_one("main")
    assert f"sent to {masked}?" in asking.get_text()
    assert parent.user_email not in str(asking)
    done = BeautifulSoup(client.post(url).content, "html.parser")
    assert f"we will not email {masked} about" in done.select_one(".outcome").get_text()
    again = BeautifulSoup(client.get(url).content, "html.parser").select_one("main")
    assert f"This address ({masked}) is unsubscribed" in again.get_text()


@pytest.mark.parametrize("action", ["confirm", "unsubscribe"])
def test_pages_at_a_links_token_are_not_indexed_nor_named_canonical(client, article, action):
    """Their canonical link was the address with the reader's token in it, and nothing asked
    search engines to leave them out. The article's page keeps its canonical link."""
    comment = CommentFactory(article=article, followup=True, user_email="bea@example.org")
    token = sign_comment(comment.pk, action)
    page = BeautifulSoup(client.get(f"/comments/{action}/{token}/").content, "html.parser")
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.select('link[rel="canonical"]') == []
    assert token not in str(page.head)
    article_page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    assert article_page.select_one('link[rel="canonical"]')["href"].endswith(
        article.get_absolute_url()
    )
    assert article_page.select('meta[name="robots"]') == []


def test_a_confirm_link_opened_again_says_the_address_is_confirmed(client, article):
    """Opened again after confirming, the link asked to confirm once more, as if the first
    click had done nothing."""
    comment = CommentFactory(article=article, followup=True, user_email="Bea@Example.org")
    url = f"/comments/confirm/{sign_comment(comment.pk, 'confirm')}/"
    first = BeautifulSoup(client.get(url).content, "html.parser")
    assert first.find("button", string="Confirm my email address") is not None
    client.post(url)
    again = BeautifulSoup(client.get(url).content, "html.parser")
    assert again.find("button", string="Confirm my email address") is None
    assert "This address is already confirmed" in again.find("main").get_text(" ")


@pytest.mark.parametrize(
    "purpose, title, done",
    [
        ("confirm", "Confirm your email", "your address is confirmed"),
        ("unsubscribe", "Unsubscribe", "You are unsubscribed"),
    ],
)
def test_an_email_link_says_what_it_did_and_leads_back(
    client, article, settings, purpose, title, done
):
    """The page names the site as every other page does, opens on what was done (focused,
    as the other pages after an action), and leads back to the discussion."""
    settings.SITE_NAME = "Nerve Help"
    comment = CommentFactory(article=article, followup=True)
    url = f"/comments/{purpose}/{sign_comment(comment.pk, purpose)}/"
    page = BeautifulSoup(client.post(url).content, "html.parser")
    assert page.title.get_text() == f"{title} | Nerve Help"
    status = page.find(attrs={"role": "status"})
    assert done in status.get_text()
    assert status.has_attr("autofocus") and status["tabindex"] == "-1"
    back = page.find("a", href="/articles/nerve-pain/#comments")
    assert back.get_text() == "Back to the discussion on Nerve pain"


@pytest.mark.parametrize("purpose", ["confirm", "unsubscribe"])
def test_tampered_email_links_are_refused(client, purpose):
    comment = CommentFactory()
    token = sign_comment(comment.pk, purpose) + "x"
    assert client.post(f"/comments/{purpose}/{token}/").status_code == 400


def test_an_unsubscribe_link_from_years_ago_still_works(client, monkeypatch):
    """RFC 8058's one-click POST from an old email's List-Unsubscribe header (it expired
    after 90 days, leaving the reader no way to stop the emails)."""
    comment = CommentFactory(followup=True)
    monkeypatch.setattr("django.core.signing.time.time", lambda: 1_600_000_000)  # 2020
    token = sign_comment(comment.pk, "unsubscribe")
    monkeypatch.undo()
    data = {"List-Unsubscribe": "One-Click"}
    assert client.post(f"/comments/unsubscribe/{token}/", data).status_code == 200
    comment.refresh_from_db()
    assert not comment.followup


def test_an_expired_confirmation_link_offers_a_new_one(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    comment = CommentFactory(followup=True, user_email="bea@example.org")
    monkeypatch.setattr("django.core.signing.time.time", lambda: 1_600_000_000)
    url = f"/comments/confirm/{sign_comment(comment.pk, 'confirm')}/"
    monkeypatch.undo()
    page = client.get(url)
    assert page.status_code == 400
    assert "Confirmation links work for 7 days" in page.content.decode()
    assert client.post(url).status_code == 400  # the button is the only way: nothing changed
    assert not VerifiedEmail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"resend": "1"})
    assert "A new link is on its way" in sent.content.decode()
    [message] = mail.outbox
    assert message.to == ["bea@example.org"] and "works for 7 days" in message.body
    fresh = links_in(message)[0].removeprefix("https://nervepain.example")
    assert client.post(fresh).status_code == 200
    assert VerifiedEmail.objects.filter(email="bea@example.org").exists()


def expired_confirm_url(monkeypatch, comment):
    monkeypatch.setattr("django.core.signing.time.time", lambda: 1_600_000_000)
    url = f"/comments/confirm/{sign_comment(comment.pk, 'confirm')}/"
    monkeypatch.undo()
    return url


def test_a_new_link_the_mail_server_refused_is_not_said_to_be_on_its_way(
    client, monkeypatch, settings, caplog
):
    """Sent in the request (the immediate backend), a refused email still showed "A new link
    is on its way", and the day's one request was used up: the reader waited for nothing."""
    comment = CommentFactory(followup=True, user_email="bea@example.org")
    url = expired_confirm_url(monkeypatch, comment)
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.BrokenBackend"
    with caplog.at_level(logging.ERROR):
        failed = client.post(url, {"resend": "1"})
    page = BeautifulSoup(failed.content, "html.parser")
    assert failed.status_code == 503
    assert page.h1.get_text() == "We could not send a new link"
    assert "on its way" not in page.get_text()
    assert page.find("button", attrs={"name": "resend"}).get_text() == "Try again"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = client.post(url, {"resend": "1"})  # the failure used up nothing
    assert "A new link is on its way" in again.content.decode()
    assert [m.to for m in mail.outbox] == [["bea@example.org"]]


def test_a_confirmation_is_said_to_have_failed_only_once_no_retry_is_left(settings, caplog):
    """On the database queue a refused confirmation is retried (the writer's note still says
    a link was sent); after the last attempt it is not, and the note says so."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.BrokenBackend"
    comment = CommentFactory(followup=True, user_email="bea@example.org")
    for attempt in (1, notifications.MAX_ATTEMPTS):
        with caplog.at_level(logging.ERROR), pytest.raises(ConnectionRefusedError):
            notifications.request_confirmation.call(comment.pk, attempt=attempt)
        failed = notifications.confirmations_failed([comment.pk])
        assert failed == (set() if attempt == 1 else {comment.pk})


def failing_template(name, context):
    raise TemplateSyntaxError("Invalid block tag")


def failing_enqueue(self, *args, **kwargs):
    raise OperationalError("database is locked")


@pytest.mark.parametrize(
    "breaks, error",
    [
        # The email could not be written: _send raised before trying to send.
        ("render_to_string", TemplateSyntaxError),
        # Refused, and its retry could not be queued: the send's error is the one raised.
        ("enqueue", ConnectionRefusedError),
    ],
)
def test_a_confirmation_with_no_retry_queued_is_said_to_have_failed(
    settings, caplog, monkeypatch, breaks, error
):
    """On the database queue, a failure with no retry behind it (the email's template
    failed, or the retry could not be queued) left the writer told a link was sent, and
    their one request of the day used up: they could not ask for another."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.comments.test_notifications.BrokenBackend"
    if breaks == "render_to_string":
        monkeypatch.setattr(notifications, "render_to_string", failing_template)
    else:
        monkeypatch.setattr(DatabaseBackend, "enqueue", failing_enqueue)
    comment = CommentFactory(followup=True, user_email="bea@example.org")
    with caplog.at_level(logging.ERROR), pytest.raises(error):
        notifications.request_confirmation.call(comment.pk)
    assert notifications.confirmations_failed([comment.pk]) == {comment.pk}
    monkeypatch.undo()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.request_confirmation.call(comment.pk) == "sent"  # asked again


def test_a_second_new_link_the_same_day_says_none_went(client, monkeypatch):
    """One confirmation a day per address: the second ask sent nothing, and said "on its
    way" all the same."""
    comment = CommentFactory(followup=True, user_email="bea@example.org")
    url = expired_confirm_url(monkeypatch, comment)
    client.post(url, {"resend": "1"})
    second = BeautifulSoup(client.post(url, {"resend": "1"}).content, "html.parser")
    assert second.h1.get_text() == "A link was already sent today"
    assert len(mail.outbox) == 1


def test_a_new_link_queued_for_the_worker_is_on_its_way(client, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    comment = CommentFactory(followup=True, user_email="bea@example.org")
    page = client.post(expired_confirm_url(monkeypatch, comment), {"resend": "1"})
    assert page.status_code == 200 and "A new link is on its way" in page.content.decode()
    assert "We are sending a new confirmation link" in page.content.decode()
    assert mail.outbox == []


def test_an_altered_link_offers_no_new_one(client):
    comment = CommentFactory(followup=True)
    page = client.get(f"/comments/confirm/{sign_comment(comment.pk, 'confirm')}x/")
    assert page.status_code == 400 and "Send me a new link" not in page.content.decode()


@pytest.mark.parametrize("resend", [False, True])
def test_an_expired_confirmation_link_leads_back_to_its_discussion(
    client, monkeypatch, article, resend
):
    """Opened from an email on a phone, the expired link's page, and the page after "Send me
    a new link", ended there: no way back to the discussion the reader had written in."""
    comment = CommentFactory(article=article, followup=True, user_email="bea@example.org")
    url = expired_confirm_url(monkeypatch, comment)
    response = client.post(url, {"resend": "1"}) if resend else client.get(url)
    page = BeautifulSoup(response.content, "html.parser")
    back = page.find("a", href="/articles/nerve-pain/#comments")
    assert back.get_text() == "Back to the discussion on Nerve pain"
    assert "bea@example.org" not in page.get_text()  # the page names no address


def test_an_altered_link_leads_to_the_articles(client):
    """Nothing says which discussion an altered link was about: the way on is the list."""
    page = BeautifulSoup(client.get("/comments/confirm/not-a-token/").content, "html.parser")
    assert page.select_one("main").find("a", href="/").get_text() == "See all articles"


@pytest.mark.parametrize("purpose", ["confirm", "unsubscribe"])
def test_an_email_link_of_an_erased_commenter_says_no_address_is_held(client, article, purpose):
    """Someone who had their details erased opened an old email's link: "Confirm" said their
    address was confirmed (and stored an empty one as verified); "Unsubscribe" offered
    "Subscribe again", which said "You are subscribed again" while nothing was."""
    comment = CommentFactory(article=article, followup=True, user_email="bea@example.org")
    url = f"/comments/{purpose}/{sign_comment(comment.pk, purpose)}/"
    erase_commenter("bea@example.org", keep_text=True, by="test")
    for response in (client.get(url), client.post(url), client.post(url, {"resubscribe": "x"})):
        page = BeautifulSoup(response.content, "html.parser")
        main = page.select_one("main")
        assert "no longer has an email address" in main.get_text()
        assert main.find("button") is None
        assert "confirmed" not in main.get_text() and "subscribed again" not in main.get_text()
        assert main.find("a", href="/articles/nerve-pain/#comments") is not None
    assert not VerifiedEmail.objects.exists()
    comment.refresh_from_db()
    assert not comment.followup


def test_the_confirmation_page_sets_no_cookie(client):
    """A year-long csrftoken made Varnish pass every later page of this reader to Django."""
    comment = CommentFactory(followup=True)
    url = f"/comments/confirm/{sign_comment(comment.pk, 'confirm')}/"
    assert not client.get(url).cookies
    assert not client.post(url).cookies
    assert VerifiedEmail.objects.exists()


@pytest.mark.parametrize(
    ("kind", "value", "state"),
    [("domain", "spam.example", "spam"), ("ip", "127.0.0.1", "pending")],
    ids=["spam", "held for its IP"],
)
def test_a_comment_the_spam_list_caught_sends_no_confirmation(
    post, article, django_capture_on_commit_callbacks, kind, value, state
):
    """Else the form mails any address typed in it, from an address already marked as spam
    (one known by its IP address alone is held, and asks for no confirmation either)."""
    from comments.models import SpamSignature

    SpamSignature.objects.create(comment=CommentFactory(), kind=kind, value=value)
    with django_capture_on_commit_callbacks(execute=True):
        post(article, followup="on", email="victim@example.org", url="https://spam.example/")
    comment = Comment.objects.get(user_email="victim@example.org")
    assert comment.state == state
    assert [m for m in mail.outbox if m.to == ["victim@example.org"]] == []
    if state == "pending":  # a moderator approves it: the confirmation goes then
        with django_capture_on_commit_callbacks(execute=True):
            comment.moderate(Comment.State.PUBLISHED, None)
        [asked] = [m for m in mail.outbox if m.to == ["victim@example.org"]]
        assert "Confirm your email" in asked.subject


def reply_setup(article, verified=True):
    parent = CommentFactory(article=article, followup=True, user_email="bea@example.org")
    bystander = CommentFactory(article=article, followup=True, user_email="cal@example.org")
    VerifiedEmail.objects.create(email="cal@example.org")
    if verified:
        VerifiedEmail.objects.create(email="bea@example.org")
    return parent, bystander


def test_reply_notifies_only_the_parent_author(
    client, staff_user, article, django_capture_on_commit_callbacks
):
    parent, _ = reply_setup(article)
    client.force_login(staff_user)  # staff replies are published at once
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form_data(article, reply_to=parent.pk, comment="Glad it eased."))
    assert [m.to for m in mail.outbox] == [["bea@example.org"]]
    message = mail.outbox[0]
    assert "Glad it eased." in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://nervepain.example/comments/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in message.body


def test_a_reply_email_says_which_comment_it_answers_and_where_to_answer(article):
    """As WordPress's reply notification plugins ("Your comment: …"): a commenter with several
    comments on a long article could not tell which one was answered. Each link stands on a
    line of its own (a phone's mail app wraps it whole), and the email says a reply to it
    reaches nobody who wrote in the conversation, nor is the body's link "one click" (it opens
    a page with a button: only the List-Unsubscribe header is)."""
    parent = CommentFactory(
        article=article,
        followup=True,
        user_email="bea@example.org",
        comment="Gabapentin made me   dizzy.\n\nDoes it pass? " + "I wonder " * 40,
    )
    VerifiedEmail.objects.create(email="bea@example.org")
    text = "It passed after two weeks.\n\nSee https://www.nhs.uk/ too."
    reply = CommentFactory(article=article, parent=parent, user_name="François O'Brien",
                           comment=text)  # fmt: skip
    notifications.notify_reply.call(reply.pk)
    [message] = mail.outbox
    lines = message.body.splitlines()
    # The first line, which a mail list shows under the subject.
    quoted = lines[0]
    assert quoted.startswith('You wrote: "Gabapentin made me dizzy. Does it pass? I wonder I')
    assert len(quoted) < 220 and quoted.endswith('…"')
    assert quoted[:-2].split()[-1] in {"I", "wonder"}  # cut at a word's end
    for link in links_in(message):
        if "nhs.uk" not in link:  # the reply's own text is as written
            assert link in lines
    assert "(a reply to this email reaches nobody)" in message.body
    assert "one click" not in message.body


def test_a_reply_email_names_the_replier_only_over_their_reply(article):
    """The replier's name is theirs to choose: "URGENT verify your account at evil.example"
    went into a subject from the site, and opened the email's first line ("… replied to your
    comment", or "Dr Sam (pharmacist) replied"), which a mail list shows under the subject:
    both read as the site's words. They name the article and nobody; the name stands once, as
    the quote's attribution over the replier's words."""
    parent = CommentFactory(article=article, followup=True, user_email="bea@example.org")
    VerifiedEmail.objects.create(email="bea@example.org")
    name = "URGENT verify your account at evil.example"
    reply = CommentFactory(article=article, parent=parent, user_name=name, comment="Rest helps.")
    notifications.notify_reply.call(reply.pk)
    [message] = mail.outbox
    assert message.subject == f'[nervepain] New reply to your comment on "{article.title}"'
    assert "evil" not in message.message()["Subject"]
    assert message.body.splitlines()[0].startswith("You wrote: ")
    assert message.body.count("evil") == 1
    assert f"\n{name} wrote:\n\nRest helps.\n" in message.body


def test_reply_emails_about_one_comment_are_one_conversation(article):
    """Each reply email stood on its own in a mail app: three replies to Bea's comment were
    three conversations, beside those about her other comments. They refer to one Message-ID
    for her comment (In-Reply-To, References), with the same subject, as Gmail also asks;
    each keeps a Message-ID of its own."""
    bea = [
        CommentFactory(article=article, followup=True, user_email="bea@example.org")
        for _ in range(2)
    ]
    VerifiedEmail.objects.create(email="bea@example.org")
    for parent in [bea[0], bea[0], bea[1]]:
        notifications.notify_reply.call(CommentFactory(article=article, parent=parent).pk)
    sent = [message.message() for message in mail.outbox]
    threads = [(m["In-Reply-To"], m["References"]) for m in sent]
    first, second = (f"<comment-{parent.pk}@nervepain.example>" for parent in bea)
    assert threads == [(first, first), (first, first), (second, second)]
    assert sent[0]["Subject"] == sent[1]["Subject"]
    message_ids = [m["Message-ID"] for m in sent]
    assert len(set(message_ids)) == 3 and not {first, second} & set(message_ids)


def test_a_reply_at_the_deepest_level_notifies_whom_it_answers(
    client, staff_user, article, django_capture_on_commit_callbacks
):
    """Alice, then Barb, then Cara at the deepest level; Dan answers Cara. The reply is placed
    under Barb (beside Cara) but it is Cara who is told, and the page says whom it answers
    (Barb got the email and Cara nothing)."""
    alice = CommentFactory(article=article, user_name="Alice")
    barb = CommentFactory(article=article, parent=alice, user_name="Barb",
                          followup=True, user_email="barb@example.org")  # fmt: skip
    cara = CommentFactory(article=article, parent=barb, user_name="Cara",
                          followup=True, user_email="cara@example.org")  # fmt: skip
    VerifiedEmail.objects.create(email="barb@example.org")
    VerifiedEmail.objects.create(email="cara@example.org")
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form_data(article, reply_to=cara.pk, name="Dan", comment="Cara, rest helps."))
    dan = Comment.objects.get(user_name="Dan")
    assert (dan.parent_id, dan.replied_to) == (barb.pk, cara.pk)
    assert [m.to for m in mail.outbox] == [["cara@example.org"]]
    item = client.get(article.get_absolute_url()).content.decode().split(f'id="c{dan.pk}"')[1]
    assert f'<p class="in-reply-to">In reply to <a href="#c{cara.pk}">Cara</a></p>' in item


def test_a_direct_reply_names_nobody_else(client, staff_user, article):
    parent = CommentFactory(article=article, user_name="Bea")
    client.force_login(staff_user)
    send(client, form_data(article, reply_to=parent.pk, comment="Glad it eased."))
    assert Comment.objects.get(comment="Glad it eased.").replied_to is None
    assert "in-reply-to" not in client.get(article.get_absolute_url()).content.decode()


def test_unverified_address_gets_no_reply_email(
    client, staff_user, article, django_capture_on_commit_callbacks
):
    parent, _ = reply_setup(article, verified=False)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form_data(article, reply_to=parent.pk, comment="Hello there."))
    assert mail.outbox == []


def test_an_address_confirmed_from_one_browser_is_not_confirmed_for_anothers_comment(
    client, staff_user, article, django_capture_on_commit_callbacks
):
    """Jane confirmed reply emails; Tess then commented with Jane's address, asking for reply
    emails. Jane got "New reply to your comment", quoting a comment she never wrote, and was
    never asked. Tess's comment now asks the address again, and its replies reach it only once
    that comment's own link is opened; Jane's own comments keep theirs."""
    asks = {"article": article, "followup": True}
    janes = CommentFactory(**asks, user_email="jane@example.org", commenter_key_hash="a" * 64)
    VerifiedEmail.confirm(janes)
    tess = CommentFactory(
        **asks, user_email="Jane@Example.org", commenter_key_hash="b" * 64, comment="Thread"
    )
    assert VerifiedEmail.confirmed_for(janes) and not VerifiedEmail.confirmed_for(tess)
    assert notifications.request_confirmation.call(janes.pk) == "not needed"
    assert notifications.request_confirmation.call(tess.pk) == "sent"
    assert [m.subject for m in mail.outbox] == [
        "[nervepain] Confirm your email for reply notifications"
    ]
    mail.outbox.clear()
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        send(client, form_data(article, reply_to=tess.pk, comment="To Tess."))
        send(client, form_data(article, reply_to=janes.pk, comment="To Jane."))
    assert ["To Jane." in m.body for m in mail.outbox] == [True]

    client.logout()
    client.post(f"/comments/confirm/{sign_comment(tess.pk, 'confirm')}/")  # the owner opens it
    assert VerifiedEmail.confirmed_for(tess)
    assert VerifiedEmail.objects.get().key_hashes == f"{'a' * 64} {'b' * 64}"


def test_an_address_confirmed_before_browsers_were_recorded_covers_any_browser(article):
    VerifiedEmail.objects.create(email="bea@example.org")
    comment = CommentFactory(
        article=article, followup=True, user_email="bea@example.org", commenter_key_hash="c" * 64
    )
    assert VerifiedEmail.confirmed_for(comment)
    VerifiedEmail.confirm(comment)  # opened again: it still covers any browser
    assert VerifiedEmail.objects.get().key_hashes == ""


def test_held_reply_notifies_only_once_it_is_approved(
    post, article, moderator_client, django_capture_on_commit_callbacks
):
    parent, _ = reply_setup(article)
    with django_capture_on_commit_callbacks(execute=True):
        post(article, reply_to=parent.pk, comment="Held reply text.")
    assert [m for m in mail.outbox if m.to == ["bea@example.org"]] == []
    reply = Comment.objects.get(comment="Held reply text.")
    with django_capture_on_commit_callbacks(execute=True):
        approve(moderator_client, reply)
    to_bea = [m for m in mail.outbox if m.to == ["bea@example.org"]]
    assert len(to_bea) == 1
    assert "Held reply text." in to_bea[0].body


def test_reapproving_does_not_notify_twice(
    article, moderator_client, django_capture_on_commit_callbacks
):
    parent, _ = reply_setup(article)
    reply = CommentFactory(article=article, parent=parent, state=Comment.State.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        approve(moderator_client, reply)
        reply.moderate(Comment.State.REMOVED, None)
        approve(moderator_client, reply)
    assert len([m for m in mail.outbox if m.to == ["bea@example.org"]]) == 1


@pytest.mark.parametrize("purpose", ["confirm", "unsubscribe"])
def test_an_email_links_button_stands_apart_from_the_link_back(client, article, purpose):
    """The button sat in its form with no paragraph's margin: on a phone, "Back to the
    discussion" touched its lower edge, one slip from unsubscribing. A paragraph, as on the
    expired link's page and the other readers' forms."""
    comment = CommentFactory(article=article, followup=True)
    url = f"/comments/{purpose}/{sign_comment(comment.pk, purpose)}/"
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert page.select_one("form button.button").parent.name == "p"


def test_the_forms_promise_about_stopping_emails_is_what_the_email_does(client, article):
    """The form promised "Unsubscribe in one click"; the email's link opens a page with a
    button (a second click, on purpose: a mail scanner following links unsubscribes nobody).
    It says what a reader will find: a link in each email."""
    page = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    field = page.find("input", attrs={"name": "followup"})
    help_text = page.find(id=field["aria-describedby"].split()[-1]).get_text(" ", strip=True)
    assert "one click" not in help_text.lower()
    assert help_text.endswith("Each email has a link to stop them.")


def test_unsubscribe_changes_nothing_on_get_and_stops_mail_on_post(client, article):
    parent, _ = reply_setup(article)
    url = f"/comments/unsubscribe/{sign_comment(parent.pk, 'unsubscribe')}/"
    assert client.get(url).status_code == 200
    parent.refresh_from_db()
    assert parent.followup
    # One-click unsubscribe from a mail client: a POST with no CSRF token and no login.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    parent.refresh_from_db()
    assert not parent.followup


def test_an_unsubscribe_by_mistake_is_undone_on_its_page(client, article):
    """The page after unsubscribing offered no way back: a reader who clicked by mistake
    lost the emails. "Subscribe again" (a POST to the same link) turns back on exactly the
    comments it switched off, not one the reader had left off, nor another address's."""
    parent, bystander = reply_setup(article)
    second = CommentFactory(article=article, followup=True, user_email="Bea@example.org")
    left_off = CommentFactory(article=article, followup=False, user_email="bea@example.org")
    url = f"/comments/unsubscribe/{sign_comment(parent.pk, 'unsubscribe')}/"
    page = BeautifulSoup(client.post(url).content, "html.parser")
    assert not Comment.objects.filter(pk__in=[parent.pk, second.pk], followup=True).exists()
    form = page.select_one("form[method=post]:has(input[name=resubscribe])")
    assert form.get("action") is None  # the same link
    assert form.button.get_text() == "Subscribe again"
    data = {"resubscribe": form.find("input", attrs={"name": "resubscribe"})["value"]}
    for _ in range(2):  # sent twice (a reload): the same outcome
        response = Client(enforce_csrf_checks=True).post(url, data)
        assert response.status_code == 200
        assert "You are subscribed again" in response.content.decode()
        assert "replies to your comments." in response.content.decode()
        followup = dict(Comment.objects.values_list("pk", "followup"))
        assert followup[parent.pk] and followup[second.pk]
        assert not followup[left_off.pk]
        assert followup[bystander.pk]


def test_the_link_opened_again_after_unsubscribing_says_so_and_offers_the_way_back(client, article):
    """Opened again later, the email's link asked "Stop all emails about replies to your
    comments?" with an Unsubscribe button, when none were sent any more, and offered no way
    back. It says the address is unsubscribed, and "Subscribe again" restores the emails for
    the comment the email was about."""
    parent, _ = reply_setup(article)
    url = f"/comments/unsubscribe/{sign_comment(parent.pk, 'unsubscribe')}/"
    client.post(url)
    page = BeautifulSoup(client.get(url).content, "html.parser")
    text = " ".join(page.get_text(" ").split())
    assert "This address (" in text and ") is unsubscribed" in text
    assert "Stop all emails" not in text
    form = page.select_one("form[method=post]:has(input[name=resubscribe])")
    assert form.button.get_text() == "Subscribe again"
    parent.refresh_from_db()
    assert not parent.followup  # a GET changes nothing
    client.post(url, {"resubscribe": form.find("input", attrs={"name": "resubscribe"})["value"]})
    parent.refresh_from_db()
    assert parent.followup
    # Subscribed again, the link asks to unsubscribe, as it did the first time.
    assert "Stop all emails" in client.get(url).content.decode()


def test_the_link_opened_later_subscribes_again_all_that_unsubscribing_switched_off(
    client, article
):
    """A mail app's one-click unsubscribe (no page seen) switches off every comment of the
    address that asked for emails; opened later, the email's link offered "Subscribe again"
    for the one comment that email was about, and the others stayed silent. It restores all
    that the unsubscribe switched off, and still not a comment the writer had left off, nor
    another address's."""
    parent, bystander = reply_setup(article)
    elsewhere = CommentFactory(followup=True, user_email="BEA@example.org")  # another article
    left_off = CommentFactory(article=article, followup=False, user_email="bea@example.org")
    url = f"/comments/unsubscribe/{sign_comment(parent.pk, 'unsubscribe')}/"
    assert Client().post(url).status_code == 200  # List-Unsubscribe-Post, from the mail app
    bystander.followup = False  # turned off otherwise: not this address's to restore
    bystander.save()
    page = BeautifulSoup(client.get(url).content, "html.parser")
    form = page.select_one("form[method=post]:has(input[name=resubscribe])")
    assert "replies to your comments again" in " ".join(form.get_text().split())
    data = {"resubscribe": form.find("input", attrs={"name": "resubscribe"})["value"]}
    response = client.post(url, data)
    assert "replies to your comments." in response.content.decode()
    followup = dict(Comment.objects.values_list("pk", "followup"))
    assert followup[parent.pk] and followup[elsewhere.pk]
    assert not followup[left_off.pk] and not followup[bystander.pk]
    # Subscribed again: a later unsubscribe and its undo start from a clean slate.
    assert not Comment.objects.filter(followup_stopped_at__isnull=False).exists()


def test_subscribing_again_is_refused_from_another_site_and_trusts_no_altered_list(client, article):
    parent, bystander = reply_setup(article)
    other = CommentFactory(article=article, followup=False, user_email="bea@example.org")
    url = f"/comments/unsubscribe/{sign_comment(parent.pk, 'unsubscribe')}/"
    client.post(url)
    bystander.followup = False
    bystander.save()
    forged = {"resubscribe": f"[{other.pk}, {bystander.pk}]"}
    response = client.post(url, forged, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403
    assert not Comment.objects.filter(followup=True).exists()
    # Not signed by us: only the comment the link names comes back.
    assert client.post(url, forged).status_code == 200
    assert list(Comment.objects.filter(followup=True)) == [parent]


def test_with_the_database_queue_the_email_job_is_saved_with_the_comment(
    client, settings, moderators, django_capture_on_commit_callbacks
):
    """One commit for the comment and its job: the job's row is written in the comment's
    transaction (before anything runs on commit), so a worker never sees a job whose comment
    is not there, and the post waits for the disk once."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=False):
        response = send(client, form_data(ArticleFactory()))
        assert response.status_code == 303
        assert DBTaskResult.objects.filter(task_path__endswith="notify_moderators").count() == 1


def test_past_this_minutes_emails_no_job_is_queued_but_an_urgent_one_is(
    client, settings, moderators, monkeypatch
):
    """In a burst of held comments the moderators' emails are spent after a few a minute,
    counted as their jobs are queued: before the worker has run any, later comments queue no
    job that would only be read and skipped (counted when sent, 40-61 of 320 posts at the
    start of a minute queued one). A writer who may be in crisis is still mailed at once."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_MODERATOR_EMAILS_PER_MINUTE = 2
    minute = timezone.now()
    monkeypatch.setattr(notifications.timezone, "now", lambda: minute)  # one minute throughout
    article = ArticleFactory()
    jobs = DBTaskResult.objects.filter(task_path__endswith="notify_moderators")
    for n in range(5):
        data = form_data(article, email=f"r{n}@example.org", comment=f"Held comment {n}.")
        send(client, data, REMOTE_ADDR=f"192.0.2.{n}")
    assert Comment.objects.count() == 5
    assert jobs.count() == 2
    for job in jobs.all():  # the worker's runs: each queued job sends its email
        notifications.notify_moderators.call(*job.args_kwargs["args"])
    assert len([m for m in mail.outbox if m.to == ["mod@example.org"]]) == 2
    data = form_data(article, email="r9@example.org", comment="I want to end my life.")
    response = send(client, data, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 303
    assert jobs.count() == 3


def test_an_urgent_comment_uses_none_of_the_minutes_emails(
    client, settings, moderators, monkeypatch
):
    """An urgent comment is queued outside the limit: the ordinary ones after it in the same
    minute still get the minute's emails."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COMMENTS_MODERATOR_EMAILS_PER_MINUTE = 2
    minute = timezone.now()
    monkeypatch.setattr(notifications.timezone, "now", lambda: minute)  # one minute throughout
    article = ArticleFactory()
    data = form_data(article, email="r0@example.org", comment="I want to end my life.")
    send(client, data, REMOTE_ADDR="192.0.2.0")
    for n in range(1, 4):
        data = form_data(article, email=f"r{n}@example.org", comment=f"Held comment {n}.")
        send(client, data, REMOTE_ADDR=f"192.0.2.{n}")
    assert Comment.objects.filter(urgent=True).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="notify_moderators").count() == 3


def test_a_site_reply_at_the_deepest_level_says_whom_it_answers(article, staff_user):
    from comments.decisions import reply_as_site

    alice = CommentFactory(article=article)
    barb = CommentFactory(article=article, parent=alice)
    cara = CommentFactory(article=article, parent=barb)
    reply, _changed = reply_as_site(cara, "Thank you, Cara.", staff_user)
    assert (reply.parent_id, reply.replied_to) == (barb.pk, cara.pk)


def test_a_comment_held_by_readers_reports_is_mailed_with_what_they_reported(
    moderator, article, django_capture_on_commit_callbacks
):
    """The moderator judges it with the readers' reasons and words, newest first, as its
    page in the admin lists them; a worry is left to its own email."""
    comment = CommentFactory(article=article, comment="Gabapentin is poison, stop it today.")
    reports = [
        ("medical", "Telling   people to stop\ntheir medication."),
        ("worried", "I think she is struggling."),
        ("abusive", ""),
        ("other", "x" * 400),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for reason, text in reports:
            Client().post(f"/comments/{comment.pk}/report/", {"reason": reason, "text": text})
    comment.refresh_from_db()
    assert comment.state == Comment.State.PENDING and comment.reason == Comment.Reason.REPORTED
    mail.outbox.clear()
    notifications.notify_moderators.call(comment.pk)
    body = mail.outbox[0].body
    listed = body.split("What readers reported, newest first:\n")[1].split("From: ")[0]
    lines = listed.splitlines()
    assert len(lines) == 3
    assert re.fullmatch(r'- \d+ \w{3}, \d\d:\d\d, Something else: "x+…"', lines[0])
    assert lines[1].endswith(", Abusive or hurtful")
    assert lines[2].endswith(', Harmful medical advice: "Telling people to stop their medication."')
    assert "struggling" not in body


def test_the_held_email_lists_the_ten_newest_reports(moderator, article):
    comment = CommentFactory(article=article, state="pending", reason=Comment.Reason.REPORTED)
    for n in range(12):
        CommentReport.objects.create(
            comment=comment, reason="spam", text=f"report {n}", reporter_key_hash=f"k{n}"
        )
    notifications.notify_moderators.call(comment.pk)
    body = mail.outbox[0].body
    assert '"report 11"' in body and '"report 2"' in body and '"report 1"' not in body
    assert "- and 2 earlier, on its page in the admin" in body


def test_a_comment_held_for_another_reason_lists_no_reports(moderator, article):
    comment = CommentFactory(article=article, state="pending")
    notifications.notify_moderators.call(comment.pk)
    assert "What the readers reported" not in mail.outbox[0].body
