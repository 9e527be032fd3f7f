"""Readers' own controls: edit or delete your comment for a while, report someone else's.

Edit and delete: only from the browser that wrote the comment (its commenter key, see
``comments.trust``), only for ``COMMENTS_EDIT_MINUTES`` (15) after posting. Every earlier text
is kept as a ``CommentVersion`` for moderators. An edit that adds a crisis phrase, a medical
claim, a hold word or a link sends a published comment back to the queue (an added crisis
phrase also marks it urgent and mails moderators at once); an edit adding a "disallow" word is
refused.

Reports: one per browser per comment; reports from ``COMMENTS_REPORTS_TO_HOLD`` (3) different
browsers since the comment was last moderated send it back to the queue. Both are rate limited
per IP address like posting.

All state changes go through ``Comment.moderate``, so the page cache follows.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_comments.forms import COMMENT_MAX_LENGTH

from comments import health, notifications, rules
from comments.models import Comment, CommentReport, CommentVersion, ModerationWord
from comments.text import (
    NO_VISIBLE_TEXT,
    clean_comment_text,
    count_links,
    has_visible_text,
    length_params,
    normalise_for_matching,
    too_long,
)

# What a reader may add to a report, as ``CommentReport.text`` holds it.
REPORT_MAX_LENGTH = CommentReport._meta.get_field("text").max_length


class ChangeRefusedError(Exception):
    """The edit or report is not accepted; the message says why, plainly."""


def edit_deadline(comment) -> datetime.datetime:
    return comment.submit_date + datetime.timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)


def edit_minutes_left(comment, now=None) -> int:
    """Whole minutes left to edit, rounded down: "for the next 14 minutes" must not promise
    a minute that is not there (0: less than a minute)."""
    left = edit_deadline(comment) - (now or timezone.now())
    return max(0, int(left.total_seconds() // 60))


def can_change(comment, key_hash: str, now=None) -> bool:
    """This browser wrote the comment, it is still shown, and the edit window is open."""
    now = now or timezone.now()
    return (
        bool(key_hash)
        and comment.commenter_key_hash == key_hash
        and not comment.from_site
        and comment.state in (Comment.State.PENDING, Comment.State.PUBLISHED)
        and now < edit_deadline(comment)
    )


def _added(new: list[str], old: list[str]) -> list[str]:
    return [item for item in new if item not in old]


def _words(text: str, lists=None) -> dict[str, list[str]]:
    return rules.words_in(normalise_for_matching(text), lists)


def _hold_for(old: str, new: str):
    """(reason, detail, urgent) if the edit adds what the rules hold, else None."""
    lists = rules.current()
    crisis = _added(health.crisis_phrases_in(new, lists), health.crisis_phrases_in(old, lists))
    if crisis:
        return Comment.Reason.CRISIS, health.join_matches(crisis), True
    claims = _added(health.medical_claims_in(new, lists), health.medical_claims_in(old, lists))
    if claims:
        return Comment.Reason.MEDICAL, health.join_matches(claims), False
    hold = ModerationWord.Action.HOLD
    held = _added(_words(new, lists)[hold], _words(old, lists)[hold])
    if held:
        return Comment.Reason.HOLD_WORD, health.join_matches(held), False
    if count_links(new) > count_links(old):
        return Comment.Reason.EDITED, "added a link", False
    return None


def edit(comment: Comment, text: str) -> bool:
    """Replace the comment's text, keeping the old one; return True if it went back to (or
    stays in) the queue. Raises ``ChangeRefusedError`` with the reason."""
    text = clean_comment_text(text)
    if not text:
        raise ChangeRefusedError("Please write a comment.")
    if not has_visible_text(text):
        # As the post form refuses it: saved, it would read as an empty comment to everyone.
        raise ChangeRefusedError(NO_VISIBLE_TEXT)
    if len(text) > COMMENT_MAX_LENGTH:
        limits = length_params(len(text), COMMENT_MAX_LENGTH)
        raise ChangeRefusedError(too_long("Your comment") % limits)
    if _words(text)[ModerationWord.Action.DISALLOW]:
        raise ChangeRefusedError(
            "Your comment contains words or details this site does not accept."
        )
    if text == comment.comment:
        return comment.state == Comment.State.PENDING
    hold = _hold_for(comment.comment, text)
    with transaction.atomic():
        CommentVersion.objects.create(
            comment=comment,
            text=comment.comment,
            state=comment.state,
            change=CommentVersion.Change.EDITED,
        )
        comment.comment = text
        if hold is None:
            comment.save()
            return comment.state == Comment.State.PENDING
        reason, detail, urgent = hold
        # A link added to a comment still held keeps why it was held: "Edited after
        # publication" named one never published (the queue shows the link in the text).
        if not (reason == Comment.Reason.EDITED and comment.state == Comment.State.PENDING):
            comment.reason, comment.reason_detail = reason, detail[:200]
        comment.urgent = comment.urgent or urgent
        if not comment.moderate(Comment.State.PENDING, None):
            comment.save()
        notifications.comment_held(comment)
    return True


def delete_own(comment: Comment) -> None:
    """The writer withdraws the comment: removed from the page, its text kept for moderators."""
    with transaction.atomic():
        CommentVersion.objects.create(
            comment=comment,
            text=comment.comment,
            state=comment.state,
            change=CommentVersion.Change.DELETED,
        )
        comment.reason, comment.reason_detail = Comment.Reason.WITHDRAWN, ""
        comment.moderate(Comment.State.REMOVED, None)


def public_replies(comment: Comment) -> int:
    """How many public replies are shown under the comment, at any depth (under replies
    deleted by their writers too, which keep their place): deleting the comment keeps them,
    in its place "Comment deleted by its writer"."""
    count, parents = 0, [comment.pk]
    while parents:
        rows = list(
            Comment.objects.in_threads()
            .select_related(None)
            .order_by()
            .filter(parent_id__in=parents)
            .exclude(pk__in=parents)  # a thread's first comment is its own parent
            .values_list("pk", "state")
        )
        parents = [pk for pk, _state in rows]
        count += sum(state == Comment.State.PUBLISHED for _pk, state in rows)
    return count


def over_report_limit(ip: str | None) -> bool:
    """Count one report for this IP; True past COMMENTS_RATE_LIMIT per COMMENTS_RATE_WINDOW
    (the posting limits, counted apart). Fails open like posting's limit."""
    return _over_limit(
        f"comments:report-rate:{ip or 'unknown'}",
        settings.COMMENTS_RATE_LIMIT,
        settings.COMMENTS_RATE_WINDOW,
    )


def over_worried_limit(ip: str | None) -> bool:
    """Count one worried report for this IP; True past COMMENTS_WORRIED_REPORT_LIMIT per
    COMMENTS_WORRIED_REPORT_WINDOW. A worry is not held to the ordinary report limit (it hides
    nothing, and the writer may be in danger), only to this ceiling, counted apart."""
    return _over_limit(
        f"comments:worried-rate:{ip or 'unknown'}",
        settings.COMMENTS_WORRIED_REPORT_LIMIT,
        settings.COMMENTS_WORRIED_REPORT_WINDOW,
    )


def _over_limit(key: str, limit: int, window: int) -> bool:
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=window)
        count = 1
    return count > limit


def checked_report(comment: Comment, reason: str, text: str = "") -> str:
    """The report's text as it is stored, or ``ChangeRefusedError`` saying what to change.

    Asked before the report limits count it: a report the reader is told to change (a
    reason to choose, a text to shorten) is not one sent, and their corrected one must not
    find the limit used up by it.

    A worry is taken for a comment no longer shown too: it is about its writer, whom a
    moderator who took the comment down (or is about to review it) must hear of."""
    if comment.state != Comment.State.PUBLISHED and reason != CommentReport.Reason.WORRIED:
        raise ChangeRefusedError("This comment is not shown any more; thank you all the same.")
    if reason not in CommentReport.Reason.values:
        raise ChangeRefusedError("Please choose why you are reporting this comment.")
    text = clean_comment_text(text)
    problem = report_text_problem(text)
    if problem:
        raise ChangeRefusedError(problem)
    return text


def report_text_problem(text: str) -> str:
    """What to change in a report's text (too long), or ""; said with a missing reason too."""
    text = clean_comment_text(text)
    if len(text) > REPORT_MAX_LENGTH:
        return too_long("What you wrote") % length_params(len(text), REPORT_MAX_LENGTH)
    return ""


def report(comment: Comment, key_hash: str, reason: str, text: str = "") -> bool:
    """Record this browser's report; return False if it had reported this comment already.
    ``reason`` and ``text`` are as ``checked_report`` accepted and returned them (the view asks
    it first, before the report limits count).

    Reports from ``COMMENTS_REPORTS_TO_HOLD`` different browsers since the last moderation
    decision send the comment back to the queue and tell the moderators.

    A reader worried about the writer is no complaint: the first such report not yet handled
    (``decisions.handle_worry``) since the last decision emails the moderators at once (the
    writer may be in crisis, in words no crisis phrase caught), and it never counts towards
    hiding the comment, nor the replies under it. A worry about a comment no longer shown
    (``checked_report``) leaves it as it is, but a held one comes first in the queue, as
    urgent; so does one held while a worry about it is open (``Comment.moderate``).
    """
    worried = CommentReport.Reason.WORRIED
    with transaction.atomic():
        earlier, created = CommentReport.objects.select_for_update().get_or_create(
            comment=comment,
            reporter_key_hash=key_hash,
            defaults={"reason": reason, "text": text},
        )
        if not created:
            # One report per browser, but a worry is not "already reported": a reader who
            # first reported the comment (or whose worry a moderator has since handled) may
            # now fear for its writer. Their report becomes an open worry, told at once.
            if reason != worried or (earlier.reason == worried and earlier.handled_at is None):
                return False
            # Their words now; a handled worry's own words if they add none, never a
            # complaint's ("Calls everyone idiots" read as why they feared for the writer).
            if text or earlier.reason != worried:
                earlier.text = text
            # Still reported when it was first reported; the worry is new (it counts from now
            # against the last decision, Comment.reports_since_decision).
            earlier.reason = worried
            earlier.worried_at, earlier.handled_at, earlier.handled_by = timezone.now(), None, None
            earlier.save(update_fields=["reason", "text", "worried_at", "handled_at", "handled_by"])
        reports = comment.reports_since_decision()
        if reason == worried:
            if comment.state == Comment.State.PENDING and not comment.urgent:
                # No decision (its state, who moderated it and when stay as they are): only
                # where it waits.
                comment.urgent = True
                comment.save(update_fields=["urgent"])
            if reports.unhandled_worries().count() == 1:
                notifications.reader_worried(comment)
            return True
        count = reports.exclude(reason=worried).count()
        if count >= settings.COMMENTS_REPORTS_TO_HOLD:
            comment.reason = Comment.Reason.REPORTED
            comment.reason_detail = f"{count} reports"
            comment.moderate(Comment.State.PENDING, None)
            notifications.comment_held(comment)
    return True
