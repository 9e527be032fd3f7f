"""Moderators' decisions: every way in (row actions, bulk actions, keys, the email's links, the
article page) ends here, and from here in ``Comment.moderate``.

A decision records who and when (on the comment and in the admin's LogEntry audit trail),
trusts the commenter of an approved comment and sends the notifications that waited for it.
It returns an undo token: the comments' previous states, signed, so that "Undo" can put them
back without trusting anything the browser sends.
"""

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments import notifications
from comments.models import Comment, CommentReport, ModeratorProfile, TrustedCommenter
from comments.moderation import trust_commenter
from comments.threads import effective_parent

UNDO_SALT = "comments.undo"
UNDO_MAX_AGE = 24 * 3600

# What each decision is called, in messages, the audit trail and buttons.
DONE = {
    Comment.State.PUBLISHED: _("approved"),
    Comment.State.PENDING: _("sent back to pending"),
    Comment.State.SPAM: _("marked as spam"),
    Comment.State.REMOVED: _("removed"),
}


def can_moderate(user) -> bool:
    """Only users holding the moderation permission decide (the Moderators group has it)."""
    return bool(
        user and user.is_active and user.is_staff and user.has_perm("comments.moderate_comment")
    )


class Changed(dict):
    """{pk: previous state} of the comments a decision changed, and in ``notes`` {pk: previous
    note from the site} of those whose note it changed: what Undo puts back. ``by_writer``:
    those removed by their writer's delete (no moderator's), which Undo gives back to them, so
    a place kept over others' replies comes back (``CommentQuerySet.in_threads``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = {}
        self.by_writer = set()


def _deleted_by_writer(comment) -> bool:
    return (
        comment.state == Comment.State.REMOVED
        and comment.reason == Comment.Reason.WITHDRAWN
        and comment.moderated_by_id is None
    )


@transaction.atomic
def decide(comments, state: str, user, note: str | None = None) -> Changed:
    """Move each comment to ``state`` (with ``note``, a public note from the site, if given);
    return {pk: previous state} for those that changed (``Changed``)."""
    changed = Changed()
    for comment in comments:
        previous, previous_note = comment.state, comment.site_note
        by_writer = _deleted_by_writer(comment)
        if comment.moderate(state, user, note=note):
            changed[comment.pk] = previous
            if by_writer:
                changed.by_writer.add(comment.pk)
            if comment.site_note != previous_note:
                changed.notes[comment.pk] = previous_note
            if state == Comment.State.PUBLISHED and previous != state:
                # Published with a note, it needed the site's word beside it: its writer's
                # next comment is not published unread on the strength of it.
                if note is None:
                    trust_commenter(comment, user)
                notifications.comment_became_public(comment)
    decided = [c for c in comments if c.pk in changed]
    for (moved, note_now), group in _grouped(
        decided,
        lambda c: (changed[c.pk] != state, c.site_note if c.pk in changed.notes else None),
    ):
        _log(user, group, _logged(state, moved, note_now))
    return changed


def _logged(state: str, moved: bool, note: str | None) -> str:
    """What History says of a decision: the state it moved to, and the note's words it set."""
    if note is None:
        return f"Comment {DONE[state]}."
    words = f"“{note}”" if note else "none"
    if not moved:  # a published comment's note changed
        return f"Note from the site changed to {words}"
    return f"Comment {DONE[state]}, with the note from the site: {words}"


def _grouped(items, key) -> list:
    """[(key, [items])] in the order each key first comes."""
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.items())


def undo_token(changed: dict[int, str], state: str) -> str:
    """Signed record of a decision: which comments went to ``state``, and from what (their
    state, and the note from the site it changed, if any).

    Grouped by previous state (and note) and compressed, so "select all 500 pending" still
    fits a link.
    """
    grouped, notes = {}, {}
    for pk, previous in sorted(changed.items()):
        grouped.setdefault(previous, []).append(pk)
    for pk, previous in sorted(getattr(changed, "notes", {}).items()):
        notes.setdefault(previous, []).append(pk)
    record = {"to": state, "from": grouped, **({"notes": notes} if notes else {})}
    if by_writer := sorted(getattr(changed, "by_writer", ())):
        record["by_writer"] = by_writer
    return signing.dumps(record, salt=UNDO_SALT, compress=True)


def read_undo_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE)
    except (signing.BadSignature, TypeError, ValueError):  # includes SignatureExpired
        return None


@transaction.atomic
def undo(record: dict, user) -> list[Comment]:
    """Put back the comments a decision moved, unless someone decided on them since.

    Each goes back through ``Comment.moderate`` (so the page cache and audit trail follow); a
    comment that is no longer in the state the decision put it in is left alone.
    """
    previous = {int(pk): state for state, pks in record["from"].items() for pk in pks}
    notes = {int(pk): note for note, pks in record.get("notes", {}).items() for pk in pks}
    by_writer = {int(pk) for pk in record.get("by_writer", ())}
    comments = list(
        Comment.objects.select_related(None)
        .select_for_update()
        .filter(pk__in=previous, state=record["to"])
        .order_by("pk")
    )
    restored = []
    for comment in comments:
        state = previous[comment.pk]
        if state not in Comment.State.values:
            continue
        decided_at, was = comment.moderated_at, comment.state
        # The note the decision replaced comes back too: a note undone stayed on the comment,
        # and its next plain Approve published it.
        # Removed by its writer's delete again, not by this moderator's Undo.
        by = None if comment.pk in by_writer and state == Comment.State.REMOVED else user
        if comment.moderate(state, by, note=notes.get(comment.pk)):
            restored.append(comment)
            if state == Comment.State.PUBLISHED and was != state:
                notifications.comment_became_public(comment)
            elif record["to"] == Comment.State.PUBLISHED and state != was:
                _untrust(comment, decided_at)
    for note_now, group in _grouped(restored, lambda c: c.site_note if c.pk in notes else None):
        words = f"“{note_now}”" if note_now else "none"
        back = "" if note_now is None else f"; note from the site back to {words}"
        _log(user, group, f"Decision undone{back}" if back else "Decision undone.")
    return restored


def _untrust(comment: Comment, approved_at) -> None:
    """An approval undone: the trust it gave the writer's browser (``trust_commenter``) goes
    with it, or their next comment, a spammer's say, was published unread. Trust given
    before it stays, and so does trust another approved comment of theirs still earns."""
    if not comment.commenter_key_hash or approved_at is None:
        return
    email = comment.user_email.lower()
    still_approved = (
        Comment.objects.filter(
            commenter_key_hash=comment.commenter_key_hash,
            user_email__iexact=email,
            state=Comment.State.PUBLISHED,
            moderated_by__isnull=False,
            from_site=False,
        )
        .exclude(pk=comment.pk)
        .exists()
    )
    if not still_approved:
        TrustedCommenter.objects.filter(
            key_hash=comment.commenter_key_hash, email=email, created_at__gte=approved_at
        ).delete()


def reply_name(user) -> str:
    """The name readers see on a reply written as the site: the moderator's public name if
    they set one, else the site's (``COMMENTS_SITE_REPLY_NAME``). Never a login name."""
    profile = ModeratorProfile.objects.filter(user=user).values_list("public_name", flat=True)
    return (profile.first() or "").strip() or settings.COMMENTS_SITE_REPLY_NAME


@transaction.atomic
def reply_as_site(parent: Comment, text: str, user) -> tuple[Comment, dict[int, str]]:
    """Publish ``text`` as the site under ``parent``; a pending parent is approved first.

    Returns the reply and the parent's decision ({} if it was already public). Raises
    ValueError, with a reason for the moderator, when the parent cannot be replied to.
    """
    changed = {}
    if parent.state == Comment.State.PENDING:
        changed = decide([parent], Comment.State.PUBLISHED, user)
    elif parent.state != Comment.State.PUBLISHED:
        raise ValueError(_("Only published or pending comments can be replied to."))
    target = parent.content_object
    anchor = effective_parent(target, parent.pk)
    now = timezone.now()
    reply = Comment(
        content_object=target,
        site_id=parent.site_id,
        user=user,
        user_name=reply_name(user),
        user_email=user.email,
        comment=text,
        submit_date=now,
        parent_id=anchor.pk,
        replied_to=parent.pk if anchor.pk != parent.pk else None,
        state=Comment.State.PUBLISHED,
        reason=Comment.Reason.STAFF,
        from_site=True,
        moderated_by=user,
        moderated_at=now,
    )
    reply.save()
    notifications.comment_became_public(reply)
    # Answering under the comment is dealing with the readers' worry about its writer.
    handled = handle_worry(parent, user, log=False)
    _log(user, [parent], "Replied as the site." + (f" {WORRY_HANDLED}" if handled else ""))
    return reply, changed


WORRY_HANDLED = "Readers' worry about the writer marked as handled."


@transaction.atomic
def handle_worry(comment: Comment, user, log: bool = True) -> int:
    """Mark the readers' unhandled worried reports of ``comment`` as dealt with by ``user``
    (who replied as the site or wrote to the writer); return how many. A worried report made
    after this one emails the moderators again (``controls.report``)."""
    count = (
        CommentReport.objects.filter(comment=comment)
        .unhandled_worries()
        .update(handled_at=timezone.now(), handled_by=user)
    )
    if count and log:
        _log(user, [comment], WORRY_HANDLED)
    return count


# The moderators' email links: which comment, which decision; the link only opens a page
# with one button (see CommentAdmin.email_view).
EMAIL_SALT = "comments.email-decision"
EMAIL_MAX_AGE = 7 * 24 * 3600
EMAIL_ACTIONS = ("approve", "spam", "remove")


def email_token(comment_id: int, action: str) -> str:
    return signing.dumps({"comment": comment_id, "action": action}, salt=EMAIL_SALT)


def read_email_token(token: str) -> dict | None:
    """The link's comment and action, or None if it was altered, is unknown or has expired."""
    try:
        link = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_MAX_AGE)
    except (signing.BadSignature, ValueError):  # includes SignatureExpired
        return None
    if not isinstance(link, dict) or link.get("action") not in EMAIL_ACTIONS:
        return None
    if not isinstance(link.get("comment"), int):
        return None
    return link


def _log(user, comments, message):
    if comments and user is not None and user.pk:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=comments, action_flag=CHANGE, change_message=message
        )
