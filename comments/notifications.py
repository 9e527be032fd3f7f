"""Email about comments, sent by tasks after the transaction commits.

Each task takes a comment id, re-reads the comment, and decides again whether the mail is still
due, so a retried or late task never sends something stale. A failed send is logged, queued
again with backoff (up to MAX_ATTEMPTS, on a backend that can defer: the database queue), and
re-raised for the backend to record; the comment was committed before any of this ran.

Mail carrying a reader's free text goes only to moderators and to addresses that proved they
are their owner's (``VerifiedEmail``); the confirmation request itself carries no reader text.
"""

import logging
from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import router, transaction
from django.db.models import IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from comments.models import (
    Comment,
    CommentReport,
    ModeratorProfile,
    VerifiedEmail,
    comment_url,
)
from comments.trust import CONFIRM_MAX_AGE, sign_comment
from nervepain import cache
from nervepain.cache import counters


def email_token(comment_id: int, action: str) -> str:
    from comments.decisions import email_token as token  # decisions imports this module

    return token(comment_id, action)


logger = logging.getLogger(__name__)

MODERATORS_GROUP = "Moderators"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


MAX_ATTEMPTS = 5


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or DNS_NAME


def _send(task_obj, comment_id, attempt, subject, template, context, to, headers=None):
    """Send the email, one message to each address in ``to``; on failure log it, queue a retry
    with backoff, and re-raise.

    One message each: a moderator's email shows no other moderator's address (a personal one,
    a superuser's), and a reply-all reaches nobody. Each message is its own unit of retry: when
    some were sent before the failure, the retry gets ``only=`` those not reached (a task
    mailing several people takes it), and nobody gets the same email twice. ``to`` may be a
    dict {address: user id}: the retry's row then names the people by id, not by address
    (an address is personal data, and a task row is kept after it ran).

    A session that fails to close after every message went out is logged, not failed: the
    messages were sent, and a retry would send them all again.

    The exception raised has ``retry_queued = True`` only when a retry was queued: any other
    failure (the last attempt, rendering the email, queuing the retry) was the last, which a
    caller keeping state about the send needs to know."""
    keys = to if isinstance(to, dict) else {address: address for address in to}
    to = list(keys)
    body = render_to_string(template, {**context, "site_name": settings.SITE_NAME})
    # The Message-ID names the site (Django's names the server: "localhost" or a container's
    # id, which spam filters count against a message), and Auto-Submitted (RFC 3834) asks
    # vacation replies and other robots not to answer.
    site_host = _site_host()
    messages = [
        EmailMultiAlternatives(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={
                "Message-ID": make_msgid(domain=site_host),
                "Auto-Submitted": "auto-generated",
                **(headers or {}),
            },
        )
        for address in to
    ]
    sent = []
    try:
        connection = get_connection()
        connection.open()  # one session for all of them
        try:
            for message in messages:
                connection.send_messages([message])
                sent.append(message.to[0])
        finally:
            _close(connection, task_obj, comment_id, len(sent), len(to))
    except Exception as error:
        unsent = [address for address in to if address not in sent]
        retrying = bool(unsent) and attempt < MAX_ATTEMPTS and task_obj.get_backend().supports_defer
        logger.exception(
            "email failed task=%s comment=%s attempt=%s sent=%s/%s retry=%s",
            task_obj.name,
            comment_id,
            attempt,
            len(sent),
            len(to),
            "yes" if retrying else "no",
        )
        if retrying:
            delay = timedelta(minutes=2 ** (attempt - 1))
            only = {"only": [keys[address] for address in unsent]} if sent else {}
            try:
                task_obj.using(run_after=timezone.now() + delay).enqueue(
                    comment_id, attempt=attempt + 1, **only
                )
            except Exception:
                # The send's error is the one the backend records; this one is logged.
                logger.exception(
                    "email retry not queued task=%s comment=%s", task_obj.name, comment_id
                )
            else:
                error.retry_queued = True
        raise


def _close(connection, task_obj, comment_id, sent: int, total: int) -> None:
    """Close the mail session; a failure to is logged and goes no further. Every message may
    have gone out (the server took each one), and if one did not, that error is the one that
    counts (it is being raised)."""
    try:
        connection.close()
    except Exception:
        logger.warning(
            "email close failed task=%s comment=%s sent=%s/%s",
            task_obj.name,
            comment_id,
            sent,
            total,
            exc_info=True,
        )


def after_commit(task_obj, comment_id: int) -> None:
    """Enqueue a task that runs once the current transaction commits.

    With the database task backend on the same database, the task's row is written in the
    transaction itself: one commit for the comment and its task (a post's commit waits for the
    disk), and a worker sees the task only once the comment is there. Other backends (the
    immediate one runs the task at once) enqueue after the commit, and a failure to enqueue
    never fails the request.
    """
    if _queued_in_transaction(task_obj):
        task_obj.enqueue(comment_id)
    else:
        transaction.on_commit(lambda: task_obj.enqueue(comment_id), robust=True)


def _queued_in_transaction(task_obj) -> bool:
    connection = transaction.get_connection()
    return (
        connection.in_atomic_block
        and isinstance(task_obj.get_backend(), DatabaseBackend)
        and router.db_for_write(DBTaskResult) == connection.alias
    )


def comment_became_public(comment: Comment) -> None:
    """Call when a comment turns public (posted by a trusted commenter, or approved)."""
    if comment.is_reply:
        after_commit(notify_reply, comment.pk)


def comment_held(comment: Comment) -> None:
    """A comment waits for a moderator: queue their email, while this minute has emails left.

    The minute's emails are counted here, as their jobs are queued, not when the worker sends
    them: in a burst of held comments (or a spam flood) only the first few of a minute write
    a job, and the rest leave nothing for the worker to read and skip. An urgent comment is
    always mailed, and counts against no limit."""
    if comment.urgent or not _over_burst_limit():
        after_commit(notify_moderators, comment.pk)


def _burst_key() -> str:
    return f"comments:moderator-mail:{timezone.now().strftime('%Y%m%d%H%M')}"


def _over_burst_limit() -> bool:
    """Count one moderator email this minute; True past COMMENTS_MODERATOR_EMAILS_PER_MINUTE."""
    [this_minute] = cache.count([_burst_key()], 120)
    return this_minute > settings.COMMENTS_MODERATOR_EMAILS_PER_MINUTE


def _moderator_accounts():
    """Those who get moderation emails, whatever they chose: active staff with an email, in
    the Moderators group or superusers; as rows of (id, address, choice or None for the
    default), by address."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    users = users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True)).distinct()
    return users.order_by("email", "pk").values_list("pk", "email", "moderator_profile__emails")


def _wants(choice: str | None, urgent: bool) -> bool:
    """Whether a moderator who chose ``choice`` (None: no choice made, the default) gets an
    email, urgent or not."""
    choice = choice or ModeratorProfile.Emails.ALL
    return choice == ModeratorProfile.Emails.ALL or (
        urgent and choice == ModeratorProfile.Emails.URGENT
    )


def _moderators(only: list[int | str] | None = None, *, urgent: bool = False) -> dict[str, int]:
    """The moderators who chose to get this email: {address: user id}. A held comment's email
    goes to those who chose every one (the default); an urgent one (its writer may be in
    crisis, or a reader is worried about them) to those too, and to those who chose "only
    urgent". On a retry, ``only`` those a failed send did not reach, if they would get it
    still. A retry names them by user id; one queued before retries did so names them by
    address, and is honoured too.

    An urgent email always reaches someone: when no moderator chose to get it (each chose
    "None"), it goes to every moderator, as before there was a choice. Refusing "None" to the
    last one who gets urgent emails would not do: a moderator leaving the group, losing staff
    status or their address later leaves the same silence, and nobody is asked then. The
    settings page warns the last one, and the footer says so to everyone."""
    accounts = list(_moderator_accounts())
    chosen = [(pk, address) for pk, address, choice in accounts if _wants(choice, urgent)]
    if urgent and not chosen:
        chosen = [(pk, address) for pk, address, _choice in accounts]
    if only is not None:
        chosen = [(pk, address) for pk, address in chosen if pk in only or address in only]
    moderators = {}
    for pk, address in chosen:
        moderators.setdefault(address, pk)  # one email to an address two accounts share
    return moderators


def who_chose() -> dict[str, list[int]]:
    """The ids of the moderators who chose to get each kind of email, ``{"held": [...],
    "urgent": [...]}``: for Your email settings, which warns the last one of either. Nobody
    left for urgent emails sends them to everyone (``_moderators``); nobody left for held
    ones leaves held comments to wait in the queue unannounced."""
    accounts = list(_moderator_accounts())
    return {
        kind: [pk for pk, _address, choice in accounts if _wants(choice, urgent)]
        for kind, urgent in (("held", False), ("urgent", True))
    }


# A subject fits a phone's mail list and RFC 5322's 78-character line: the article's title
# gives way, never the words that say what happened.
SUBJECT_LENGTH = 78
# The title keeps at least this much (three or four words): it says where, and keeps a new
# urgent email out of a conversation of older ones. A "[site]" tag that would leave it less
# goes first: the From header names the site too.
SUBJECT_TITLE_MIN = 20


def _subject(what: str, comment: Comment) -> str:
    """``[site] <what> on "<article>"``, as WordPress's 'Please moderate: "…"'.

    It tells a moderator at a glance, in a phone's list, where the comment is; and subjects
    that differ are not folded into one conversation with older emails (Gmail, Apple Mail), where
    a new held or urgent comment would hide under ones already dealt with. A long title is
    shortened at a word's end ("…") to keep the subject within ``SUBJECT_LENGTH``; under a
    long site name, the ``[site]`` tag is left out rather than the title cut to a word."""
    title = getattr(comment.content_object, "title", "")
    if not title.strip():
        return _site_subject(what)
    start = f"[{settings.SITE_NAME}] {what}"
    room = SUBJECT_LENGTH - len(' on ""')
    if room - len(start) < min(SUBJECT_TITLE_MIN, len(" ".join(title.split()))):
        start = what
    return f'{start} on "{_shorten(title, max(room - len(start), SUBJECT_TITLE_MIN))}"'


def _site_subject(what: str) -> str:
    """``[site] <what>``, or ``<what>`` alone where a long site name would take the subject
    past ``SUBJECT_LENGTH`` (the From header still names the site)."""
    subject = f"[{settings.SITE_NAME}] {what}"
    return subject if len(subject) <= SUBJECT_LENGTH else what


def _shorten(text: str, width: int) -> str:
    """The text on one line in at most ``width`` characters: cut at a word's end, with "…"."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]  # and the ellipsis
    if text[width - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    # No dangling punctuation before the ellipsis ("Therapy? \N{EN DASH}…").
    return (cut.rstrip(" ,:;-\N{EN DASH}\N{EM DASH}") or cut) + "…"


@task()
def notify_moderators(
    comment_id: int, attempt: int = 1, only: list[int | str] | None = None
) -> str:
    """Tell moderators a comment is waiting (queued for a few a minute: ``comment_held``).

    An urgent comment (its writer may be in crisis) is mailed at once, whatever the burst
    limit, with a subject that says so.
    """
    held = Comment.objects.filter(pk=comment_id, state=Comment.State.PENDING)
    comment = _with_answered(held).first()
    if comment is None:
        return "no longer pending"
    recipients = _moderators(only, urgent=comment.urgent)
    if not recipients:
        return "no moderators"
    context = {
        "comment": comment,
        "article": comment.content_object,
        "admin_url": absolute(
            reverse(
                f"admin:{Comment._meta.app_label}_{Comment._meta.model_name}_change",
                args=[comment.pk],
            )
        ),
        # The queue's page holding it, whatever waits before it (CommentAdmin.in_queue_view).
        "queue_url": absolute(reverse("admin:comments_comment_in_queue", args=[comment.pk])),
        # A reply is judged in its conversation: whom it answers, and the start of what they
        # wrote, on one line (the whole is one link away in the queue).
        "answered": _answered(comment),
        # The body's first line, which a phone's mail list shows under the subject: the
        # comment's start, where a repeat of the subject told nothing new.
        "opening": _excerpt(comment.comment, 100),
        # An urgent email opens with why it is urgent: the phrases its words match, or a
        # reader's open worry about its writer (a comment readers' complaints then held).
        "crisis_phrases": comment.reason_detail if comment.reason == Comment.Reason.CRISIS else "",
        "worried": comment.urgent
        and comment.reason != Comment.Reason.CRISIS
        and comment.reports.unhandled_worries().exists(),
        # Readers' reports held it: what they said, as its page in the admin lists them (the
        # moderator judged the comment without them, one link away).
        "reports": _reports_that_held(comment)
        if comment.reason == Comment.Reason.REPORTED
        else ([], 0),
        "pending": Comment.objects.pending().count(),
        # Each opens a page with one button in the admin (login required): following a link
        # changes nothing, so mail scanners cannot moderate. Signed, valid 7 days.
        "decision_urls": [
            (
                label,
                absolute(
                    reverse("admin:comments_comment_email", args=[email_token(comment.pk, action)])
                ),
            )
            for action, label in (("approve", "Approve"), ("spam", "Spam"), ("remove", "Remove"))
        ],
        "email_settings_url": _email_settings_url(),
    }
    subject = _subject("A comment is waiting for moderation", comment)
    if comment.urgent:
        subject = _subject("URGENT: a commenter may be in crisis", comment)
    _send(
        notify_moderators,
        comment_id,
        attempt,
        subject,
        "comments/email/moderators.txt",
        context,
        recipients,
    )
    return "sent"


def _reports_that_held(comment: Comment, shown: int = 10) -> tuple[list, int]:
    """Readers' complaints about the comment, newest first (worries have their own email):
    (when, the reason as moderators call it, what the reader wrote, on one line) for the
    ``shown`` newest, and how many more its page in the admin lists."""
    complaints = comment.reports.exclude(reason=CommentReport.Reason.WORRIED)
    newest = list(complaints.order_by("-created_at", "-pk")[: shown + 1])
    rows = [
        (
            timezone.localtime(report.created_at),
            report.moderators_reason,
            _shorten(report.text, 200) if report.text else "",
        )
        for report in newest[:shown]
    ]
    more = complaints.count() - shown if len(newest) > shown else 0
    return rows, more


def _email_settings_url() -> str:
    """Where a moderator chooses which of these emails they get: the footer's link."""
    return absolute(reverse("comments-email-settings"))


def _with_answered(comments):
    """The comments, each with the name (``answered_name``) and text (``answered_text``) of
    the comment it answers (its parent, or ``replied_to``), read in the same query."""
    answered = Comment.objects.filter(
        pk=Coalesce(OuterRef("replied_to"), OuterRef("parent_id"), output_field=IntegerField())
    ).order_by()
    return comments.annotate(
        answered_name=Subquery(answered.values("user_name")[:1]),
        answered_text=Subquery(answered.values("comment")[:1]),
    )


def _answered(comment: Comment) -> tuple[str, str] | None:
    """For a reply read through ``_with_answered``: the name of the writer of the comment it
    answers, and its start."""
    if not comment.is_reply or comment.answered_text is None:
        return None
    return comment.answered_name, _excerpt(comment.answered_text, 150)


def reader_worried(comment: Comment) -> None:
    """A reader is worried about a comment's writer: mail the moderators at once,
    whatever the burst limit (called for the first such report not yet handled since the last
    decision)."""
    after_commit(notify_worried, comment.pk)


@task()
def notify_worried(comment_id: int, attempt: int = 1, only: list[int | str] | None = None) -> str:
    """Tell moderators that readers are worried about a comment's writer, with what they
    wrote to the moderators. The comment stays as it is: this asks a person to look.

    Whether the comment is shown or not (held, removed, spam, before or since the report):
    the worry is about its writer, not about what readers see."""
    comment = _with_answered(Comment.objects.filter(pk=comment_id)).first()
    if comment is None:
        return "no comment"
    recipients = _moderators(only, urgent=True)
    if not recipients:
        return "no moderators"
    reports = comment.reports_since_decision().unhandled_worries()
    context = {
        "comment": comment,
        "article": comment.content_object,
        "notes": [text for text in reports.order_by("worried_at").values_list("text", flat=True)],
        # As the held comment's email: a reply's words ("I can't go on like this either") are
        # read in what they answer.
        "answered": _answered(comment),
        # Readers see it only when it is public: otherwise the admin link alone.
        "comment_url": (
            absolute(comment_url(comment.content_object, comment.pk))
            if comment.state == Comment.State.PUBLISHED
            else ""
        ),
        "admin_url": absolute(
            reverse(
                f"admin:{Comment._meta.app_label}_{Comment._meta.model_name}_change",
                args=[comment.pk],
            )
        ),
        "email_settings_url": _email_settings_url(),
        # What was done already: the crisis phrases caught it when posted (the email said
        # "in words no crisis phrase caught" all the same), a moderator replied as the site.
        "caught": comment.reason == Comment.Reason.CRISIS,
        "site_reply": (
            Comment.objects.answering(comment)
            .filter(from_site=True)
            .select_related("moderated_by")
            .order_by("-submit_date")
            .first()
        ),
    }
    moderator = context["site_reply"] and context["site_reply"].moderated_by
    context["site_reply_by"] = (
        (moderator.get_full_name() or moderator.get_username()) if moderator else ""
    )
    _send(
        notify_worried,
        comment_id,
        attempt,
        _subject("URGENT: reader worried about a commenter", comment),
        "comments/email/worried.txt",
        context,
        recipients,
    )
    return "sent"


def _excerpt(text: str, length: int) -> str:
    """The text on one line, cut at a word's end past ``length`` characters."""
    text = " ".join(text.split())
    if len(text) > length:
        text = text[:length].rsplit(" ", 1)[0].rstrip(",:;") + "…"
    return text


@task()
def notify_reply(comment_id: int, attempt: int = 1) -> str:
    """Tell the author of the comment answered (the parent, or the one at the deepest level
    the reply was written to), if they opted in and proved their address."""
    reply = Comment.objects.filter(pk=comment_id, state=Comment.State.PUBLISHED).first()
    if reply is None or not reply.is_reply or reply.reply_notified_at:
        return "not due"
    answered = reply.replied_to or reply.parent_id
    parent = Comment.objects.filter(pk=answered, state=Comment.State.PUBLISHED).first()
    if (
        parent is None
        or not parent.followup
        or not parent.user_email
        or parent.user_email.lower() == reply.user_email.lower()
        or not VerifiedEmail.confirmed_for(parent)
    ):
        return "nobody to tell"
    unsubscribe_url = absolute(
        reverse("comments:unsubscribe", args=[sign_comment(parent.pk, "unsubscribe")])
    )
    context = {
        "reply": reply,
        "parent": parent,
        # Which of their comments was answered, on one line: a reminder, not the whole text.
        "your_comment": _excerpt(parent.comment, 200),
        "article": reply.content_object,
        "reply_url": absolute(reply.get_absolute_url()),
        "unsubscribe_url": unsubscribe_url,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # Every reply to one comment answers the same message, named after that comment: mail
        # apps show them as one conversation, the reader's comment. No email has this
        # Message-ID (each has its own); threading needs only the reference.
        "In-Reply-To": f"<comment-{parent.pk}@{_site_host()}>",
        "References": f"<comment-{parent.pk}@{_site_host()}>",
    }
    _send(
        notify_reply,
        comment_id,
        attempt,
        # Not the replier's name: a reader chooses it ("URGENT verify your account at …"), and
        # a subject is read as the site's words. The body says who replied, by their text.
        _subject("New reply to your comment", reply),
        "comments/email/reply.txt",
        context,
        [parent.user_email],
        headers,
    )
    Comment.objects.filter(pk=reply.pk).update(reply_notified_at=timezone.now())
    return "sent"


@task()
def request_confirmation(comment_id: int, attempt: int = 1) -> str:
    """Ask a commenter who opted in to confirm their address. No reader text in this mail."""
    # Never for spam (the spam list caught it: the address may be anyone's), nor a comment
    # held because the list knows its IP address (a spammer's, or one others share: not until
    # a moderator approves it), nor one removed before this job ran.
    comment = (
        Comment.objects.filter(pk=comment_id, followup=True)
        .exclude(state__in=[Comment.State.SPAM, Comment.State.REMOVED])
        .exclude(state=Comment.State.PENDING, reason=Comment.Reason.SPAM_LIST)
        .first()
    )
    if comment is None or VerifiedEmail.confirmed_for(comment):
        return "not needed"
    # One confirmation request per address per day: the form cannot be used to mail-bomb.
    asked_key = f"comments:confirm-sent:{comment.user_email.lower()}"
    if attempt == 1 and not counters.add(asked_key, 1, timeout=86400):
        # The day's link went for an earlier comment, and opening it confirms the address, so
        # this comment's emails too (its page says the same as for a link sent now).
        return "already asked today"
    try:
        token = sign_comment(comment.pk, "confirm")
        confirm_url = absolute(reverse("comments:confirm", args=[token]))
        _send(
            request_confirmation,
            comment_id,
            attempt,
            _site_subject("Confirm your email for reply notifications"),
            "comments/email/confirm.txt",
            {
                "article": comment.content_object,
                "confirm_url": confirm_url,
                "days": CONFIRM_MAX_AGE // 86400,
            },
            [comment.user_email],
        )
    except Exception as error:
        # Nothing went out and no retry will (the last attempt, a backend that cannot defer,
        # an email that could not be written, a retry that could not be queued): the day's
        # request is not used up, and the writer may ask again (on the immediate backend, at
        # once); their comment no longer says a link was sent (``confirmations_failed``).
        if not getattr(error, "retry_queued", False):
            counters.delete(asked_key)
            # As long as the note could show (a new link for this comment comes only from an
            # expired one's page, when this is gone).
            counters.set(_failed_key(comment.pk), 1, CONFIRM_MAX_AGE)
        raise
    return "sent"


def _failed_key(comment_id: int) -> str:
    return f"comments:confirm-failed:{comment_id}"


def confirmations_failed(comment_ids) -> set[int]:
    """Those of the comments whose confirmation email failed for good (no retry left): what
    their writer's page says instead of "Check your email". One cache read."""
    keys = {_failed_key(pk): pk for pk in comment_ids}
    found = counters.get_many(list(keys)) if keys else {}
    return {keys[key] for key in found}


def resend_confirmation(comment_id: int) -> str:
    """A writer asked for a new confirmation link on a page: what the page may tell them.

    "queued" (a worker sends it, and retries a failure), or, when tasks run at once in the
    web process (the immediate backend), what happened: "sent", "already asked today" (one a
    day per address; nothing new went out), "not needed", or "failed" (the mail server
    refused: logged, and nothing went out)."""
    try:
        result = request_confirmation.enqueue(comment_id)
    except Exception:
        logger.exception("email enqueue failed task=request_confirmation comment=%s", comment_id)
        return "failed"
    if result.status == TaskResultStatus.FAILED:
        return "failed"
    if result.status == TaskResultStatus.SUCCESSFUL:
        return result.return_value
    return "queued"
