"""Privacy requests and retention: commenters' health stories are sensitive data.

For one email address (matched ignoring case), a moderator can export everything the site
holds about that commenter, or erase it: name, email, website, IP address and browser key go
from every comment, reply emails stop, the address is forgotten as trusted and verified, and
the text is either replaced by :data:`ERASED_TEXT` or kept, anonymous, as the commenter
prefers. Both are logged on the ``comments.privacy`` logger, without the address itself (a
short hash of it lets a later question "was this done?" be answered).

IP addresses are kept only as long as moderation needs them: :func:`clear_old_ips` empties
those older than ``COMMENTS_IP_RETENTION_DAYS``.

An article is never deleted with its comments left behind (see ``articles.deletion``): the
deletion is refused, unless it was asked to erase them, and then the comments go with it, in
the same transaction (:func:`guard_article_deletion`), and so do the trust and verification of
addresses that have no comment left. Their email links stop working: they name comments that
no longer exist.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import ngettext

from articles import deletion
from comments.models import (
    ERASED_NAME,
    ERASED_TEXT,
    Comment,
    CommentReport,
    CommentVersion,
    SpamSignature,
    TrustedCommenter,
    VerifiedEmail,
)
from nervepain.cache import counters

logger = logging.getLogger("comments.privacy")

ERASED_LOG_NAME = "(an erased commenter's details)"


def email_reference(email: str) -> str:
    """A short, stable reference to an address for logs that must not keep the address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


def comments_by(email: str):
    email = email.strip()
    if not email:
        return Comment.objects.none()
    return Comment.objects.filter(user_email__iexact=email)


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_commenter(email: str) -> dict:
    """Everything held about the commenter with this address, ready for ``json.dumps``."""
    email = email.strip()
    comments = list(
        comments_by(email).prefetch_related("content_object", "versions").order_by("pk")
    )
    site = settings.SITE_URL.rstrip("/")

    def article(comment):
        target = comment.content_object
        if target is None:
            return None
        return {"title": str(target), "url": site + target.get_absolute_url()}

    verified = VerifiedEmail.objects.filter(email__iexact=email).first()
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "site": site,
        "comments": [
            {
                "id": comment.pk,
                "article": article(comment),
                "submitted_at": _iso(comment.submit_date),
                "name": comment.user_name,
                "email": comment.user_email,
                "website": comment.user_url,
                "ip_address": comment.ip_address,
                "text": comment.comment,
                "state": comment.state,
                "moderation": {"reason": comment.reason, "detail": comment.reason_detail},
                "in_reply_to": comment.answers_id,
                "reply_emails": comment.followup,
                "moderated_at": _iso(comment.moderated_at),
                "recognised_browser": bool(comment.commenter_key_hash),
                "earlier_versions": [
                    {"text": version.text, "changed_at": _iso(version.changed_at)}
                    for version in comment.versions.all()
                ],
            }
            for comment in comments
        ],
        "subscriptions": [
            {"comment": comment.pk, "article": article(comment)}
            for comment in comments
            if comment.followup
        ],
        "email_verified_at": _iso(verified.verified_at) if verified else None,
        "trusted": [
            {"as_name": name, "since": _iso(created)}
            for name, created in TrustedCommenter.objects.filter(email__iexact=email)
            .order_by("created_at")
            .values_list("name", "created_at")
        ],
        # Reports sent from the browsers these comments came from (an erasure deletes them).
        "reports_sent": [
            {
                "comment": report.comment_id,
                "reason": report.reason,
                "details": report.text,
                "reported_at": _iso(report.created_at),
                # When a report became a worry (it keeps when it was first made).
                "worried_at": _iso(report.worried_at),
            }
            for report in CommentReport.objects.filter(
                reporter_key_hash__in={c.commenter_key_hash for c in comments} - {""}
            ).order_by("created_at")
        ],
        "cookies": (
            "np_commenter (a random key recognising your browser; we keep only its hash), "
            "np_remember (your name, email and website, only if you ticked 'remember me') and "
            "np_form (the comment form's one-time token) live in your browser; delete them "
            "there."
        ),
    }


def log_export(email: str, count: int, by: str) -> None:
    logger.info(
        "privacy export email_sha256=%s comments=%d by=%s", email_reference(email), count, by
    )


@dataclass
class Erasure:
    """What an erasure changed (or, in a dry run, would change)."""

    comments: list[int]  # ids
    trusted: int
    verified: int
    text_kept: bool


def forget_versions(versions) -> None:
    """Delete these earlier texts of comments; of a writer's delete, keep the record without
    its text: it says the comment was public when deleted, so its place stays over the
    others' replies (``CommentQuerySet.in_threads``). Deleted, the replies went with it."""
    versions.exclude(change=CommentVersion.Change.DELETED).delete()
    versions.filter(change=CommentVersion.Change.DELETED).update(text="")


def _erase_health_records(email, comments, key_hashes) -> None:
    """The commenter's earlier texts (edits, deletions), the spam list entries holding their
    email or IP, and the reports their browser sent: all go with an erasure."""
    pks = [comment.pk for comment in comments]
    forget_versions(CommentVersion.objects.filter(comment_id__in=pks))
    SpamSignature.objects.filter(
        Q(comment_id__in=pks) | Q(kind=SpamSignature.Kind.EMAIL, value=email.lower())
    ).delete()
    if key_hashes:
        CommentReport.objects.filter(reporter_key_hash__in=key_hashes).delete()


def erase_commenter(email: str, *, keep_text: bool, by: str, dry_run: bool = False) -> Erasure:
    """Remove what identifies this commenter; their text goes too unless ``keep_text``.

    The comments stay in their threads (replies keep their place) under the name
    :data:`ERASED_NAME`. Runs in one transaction; ``dry_run`` changes nothing.
    """
    email = email.strip()
    with transaction.atomic():
        # No outer joins (the manager adds some): PostgreSQL cannot lock through them.
        comments = list(comments_by(email).select_related(None).select_for_update().order_by("pk"))
        trusted = TrustedCommenter.objects.filter(email__iexact=email)
        verified = VerifiedEmail.objects.filter(email__iexact=email)
        result = Erasure(
            comments=[comment.pk for comment in comments],
            trusted=trusted.count(),
            verified=verified.count(),
            text_kept=keep_text,
        )
        if dry_run or not email:
            return result
        key_hashes = {comment.commenter_key_hash for comment in comments} - {""}
        for comment in comments:
            comment.user = None
            comment.user_name = ERASED_NAME
            comment.user_email = ""
            comment.user_url = ""
            comment.ip_address = None
            comment.commenter_key_hash = ""
            comment.followup = False
            # Why it was held quotes the text (the words a rule matched) or the name it was
            # trusted under: it goes with either.
            comment.reason_detail = ""
            if not keep_text:
                comment.comment = ERASED_TEXT
            comment.save()  # renders comment_html again
            # The admin's history names a comment by its author and first words.
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Comment),
                object_id=str(comment.pk),
            ).update(object_repr=str(comment)[:200])
        trusted.delete()
        verified.delete()
        # The admin's history names a trusted commenter, a spam list entry or a confirmed
        # address by the email itself: "Deleted: karen@example.net", on the admin's home page.
        LogEntry.objects.filter(
            content_type__in=ContentType.objects.get_for_models(
                TrustedCommenter, SpamSignature, VerifiedEmail
            ).values(),
            object_repr__icontains=email,
        ).update(object_repr=ERASED_LOG_NAME)
        _erase_health_records(email, comments, key_hashes)
        counters.delete(f"comments:confirm-sent:{email.lower()}")
    logger.info(
        "privacy erase email_sha256=%s comments=%d trusted=%d verified=%d text=%s by=%s",
        email_reference(email),
        len(comments),
        result.trusted,
        result.verified,
        "kept" if keep_text else "removed",
        by,
    )
    return result


REMOVED_TEXT = "[removed]"


def empty_old_removed(days: int, *, dry_run: bool = False) -> int:
    """Empty comments removed (by their writer or a moderator) more than ``days`` days ago of
    their writer's data: name, email, website, IP address, browser key, text, earlier texts
    and why they were held. Kept that long for moderators (abuse, an Undo); the rows stay, so
    the threads keep their shape. Return how many."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = Comment.objects.select_related(None).filter(
        state=Comment.State.REMOVED, moderated_at__lt=cutoff
    )
    old = old.exclude(user_name=ERASED_NAME, comment=REMOVED_TEXT, user_email="")
    if dry_run:
        return old.count()
    emptied = 0
    for pk in list(old.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            comment = old.select_for_update().filter(pk=pk).first()
            if comment is None:  # restored, or emptied meanwhile
                continue
            comment.user = None
            comment.user_name, comment.user_email, comment.user_url = ERASED_NAME, "", ""
            comment.ip_address, comment.commenter_key_hash = None, ""
            comment.followup, comment.reason_detail = False, ""
            comment.comment = REMOVED_TEXT
            comment.save()  # renders comment_html again
            forget_versions(CommentVersion.objects.filter(comment=comment))
            emptied += 1
    logger.info("emptied removed comments=%d older_than_days=%d", emptied, days)
    return emptied


def clear_old_ips(days: int, *, dry_run: bool = False) -> int:
    """Empty the IP address of comments submitted more than ``days`` days ago; return how many."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = Comment.objects.filter(submit_date__lt=cutoff, ip_address__isnull=False)
    if dry_run:
        return old.count()
    cleared = old.update(ip_address=None)
    logger.info("cleared ip addresses comments=%d older_than_days=%d", cleared, days)
    return cleared


# -- articles deleted with their comments ---------------------------------------------------


def comments_on(articles):
    """Every comment on these articles, whatever its state."""
    articles = list(articles)
    if not articles:
        return Comment.objects.none()
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(articles[0]),
        object_pk__in=[str(article.pk) for article in articles],
    )


def article_dependents(sender, articles, **kwargs) -> list[deletion.Dependent]:
    """Answer ``articles.deletion.collect_dependents``: the comments deleting would erase."""
    count = comments_on(articles).count()
    description = ngettext(
        "%(count)d comment by readers (names, email addresses, IP addresses and what they wrote)",
        "%(count)d comments by readers (names, email addresses, IP addresses and what they wrote)",
        count,
    ) % {"count": count}
    return [deletion.Dependent(count, description, "comments.delete_comment", "comments")]


def guard_article_deletion(sender, instance, **kwargs) -> None:
    """``pre_delete`` of an article: erase its comments if asked to, else refuse."""
    comments = comments_on([instance])
    erasure = deletion.current_erasure()
    if erasure is None:
        if comments.exists():
            raise ProtectedError(
                f"The article {instance.pk} has comments by readers: unpublish it, or delete it "
                "inside articles.deletion.erasing_dependents() to erase them with it.",
                set(comments.select_related(None)[:10]),
            )
        return
    erase_article_comments(instance, user=erasure.user)


def erase_article_comments(article, *, user=None) -> int:
    """Delete every comment on ``article`` and return how many.

    Addresses left with no comment are forgotten as trusted and verified, and the admin's
    history, which names a comment by its author and first words, no longer does. Logged on
    ``comments.privacy`` with the article and who asked, never the readers' data.
    """
    with transaction.atomic():
        comments = comments_on([article]).select_related(None)
        ids = list(comments.values_list("pk", flat=True))
        if not ids:
            return 0
        emails = set(
            comments.annotate(address=Lower("user_email")).values_list("address", flat=True)
        )
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment),
            object_id__in=[str(pk) for pk in ids],
        ).update(object_repr="Comment erased with its article")
        Comment.objects.filter(pk__in=ids).delete()
        still_used = set(
            Comment.objects.annotate(address=Lower("user_email"))
            .filter(address__in=emails)
            .values_list("address", flat=True)
        )
        forgotten = emails - still_used - {""}
        trusted, _ = TrustedCommenter.objects.filter(email__in=forgotten).delete()
        verified, _ = VerifiedEmail.objects.filter(email__in=forgotten).delete()
    logger.info(
        "article erase article=%s comments=%d trusted=%d verified=%d by=%s",
        article.pk,
        len(ids),
        trusted,
        verified,
        user.get_username() if user is not None else "code",
    )
    return len(ids)
