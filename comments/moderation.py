"""The moderation rules: what happens to a comment that passed the form's checks.

Rules, in order (each outcome is stored on the comment with its reason):
1. Staff writing as themselves are published.
1a. A crisis phrase (``CrisisPhrase``): held and marked urgent, whoever wrote it (a trusted
    commenter too); moderators are emailed at once and the writer is shown crisis resources.
2. A "disallow" word anywhere in name, email, website, text or IP: refused outright.
2a. A trait on the local spam list (``comments.spam``: a link domain, the email, the IP, a
    similar text of a comment a moderator marked as spam): spam at once, the trait recorded.
3. Held for a moderator: a medical claim (``MedicalClaimPattern``: dosing, stopping treatment,
   cure promises, promotion; the matched words are stored); the article holds all comments;
   a "hold" word; two or more links.
4. Published at once: a trusted commenter (see ``comments.trust``) under the name they were
   trusted with; under another name, held (a trusted browser must not turn into the site).
5. Otherwise held: a first comment from someone not yet trusted.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django_comments_xtd.moderation import XtdCommentModerator, moderator

from comments import health, rules, spam
from comments.models import Comment, ModerationWord, TrustedCommenter
from comments.text import count_links, normalise_for_matching
from nervepain import cache


class CommentRefusedError(Exception):
    """The comment is refused outright; the message says why, plainly."""


@dataclass
class Decision:
    state: str
    reason: str
    detail: str = ""
    urgent: bool = False


class ArticleCommentModerator(XtdCommentModerator):
    """django-comments' moderator for articles: open/closed rules and the moderation rules."""

    enable_field = "allow_comments"
    auto_close_field = "published_at"
    email_notification = False

    @property
    def close_after(self):  # read at call time so a settings change applies at once
        return settings.COMMENTS_CLOSE_AFTER_DAYS

    def is_open(self, article) -> bool:
        return self.allow(None, article, None)

    def closes_at(self, article):
        """When comments on this open article close by themselves (``close_after`` days
        after publication), or None if they never do."""
        published = getattr(article, self.auto_close_field)
        if self.close_after is None or published is None:
            return None
        return published + timedelta(days=self.close_after)

    def decide(
        self, comment: Comment, article, user, key_hash: str, crisis=None, lists=None
    ) -> Decision:
        """``crisis``: the crisis phrases in the comment, if the caller has looked already;
        ``lists``: the rule lists it read for that (``rules.current()``: a cache round trip)."""
        if user is not None and user.is_active and user.is_staff:
            return Decision(Comment.State.PUBLISHED, Comment.Reason.STAFF)

        if lists is None:
            lists = rules.current()
        if crisis is None:
            crisis = health.crisis_phrases_in(comment.comment, lists)
        if crisis:
            detail = health.join_matches(crisis)
            return Decision(Comment.State.PENDING, Comment.Reason.CRISIS, detail, urgent=True)

        fields = [comment.user_name, comment.user_email, comment.user_url, comment.comment]
        fields.append(comment.ip_address or "")
        haystack = "\n".join(normalise_for_matching(value) for value in fields)
        words = rules.words_in(haystack, lists)
        if words[ModerationWord.Action.DISALLOW]:
            raise CommentRefusedError(
                "Your comment contains words or details this site does not accept."
            )

        spam_traits = spam.match(comment)
        if spam_traits == spam.IP_ONLY:
            # An address many share (a phone network, a hospital's or a library's Wi-Fi): one
            # spammer's IP sent every later reader there to spam, unseen and unannounced.
            # Held for a moderator instead, who is told; approving it forgets the address.
            return Decision(Comment.State.PENDING, Comment.Reason.SPAM_LIST, spam.IP_ONLY_HELD)
        if spam_traits == spam.SIMILAR_ONLY and spam.short_text(comment.comment):
            return Decision(Comment.State.PENDING, Comment.Reason.SPAM_LIST, spam.SIMILAR_ONLY_HELD)
        if spam_traits:
            return Decision(Comment.State.SPAM, Comment.Reason.SPAM_LIST, spam_traits)

        claims = health.medical_claims_in(comment.comment, lists)
        if claims:
            detail = health.join_matches(claims)
            return Decision(Comment.State.PENDING, Comment.Reason.MEDICAL, detail)
        if getattr(article, "moderate_all_comments", False):
            return Decision(Comment.State.PENDING, Comment.Reason.HOLD_ALL)
        if words[ModerationWord.Action.HOLD]:
            detail = health.join_matches(words[ModerationWord.Action.HOLD])
            return Decision(Comment.State.PENDING, Comment.Reason.HOLD_WORD, detail)
        links = count_links(comment.comment, comment.rendered_text())
        if links >= 2:
            return Decision(Comment.State.PENDING, Comment.Reason.LINKS, f"{links} links")
        trusted = trusted_commenter(key_hash, comment.user_email)
        if trusted is None:
            return Decision(Comment.State.PENDING, Comment.Reason.NOT_TRUSTED)
        if trusted.name != comment.user_name:
            detail = f"trusted as {trusted.name}" if trusted.name else ""
            return Decision(Comment.State.PENDING, Comment.Reason.NAME_CHANGED, detail[:200])
        return Decision(Comment.State.PUBLISHED, Comment.Reason.TRUSTED)


def trusted_commenter(key_hash: str, email: str) -> TrustedCommenter | None:
    """The trust this browser key and email earned, if a moderator approved them."""
    if not key_hash:
        return None
    return TrustedCommenter.objects.filter(key_hash=key_hash, email=email.lower()).first()


def trust_commenter(comment: Comment, moderator) -> None:
    """A moderator approved this comment: trust the browser that posted it, with its email.

    The trust is for the name the moderator saw: approving a comment under a new name moves
    the trust to that name.
    """
    if comment.commenter_key_hash and not comment.from_site:
        TrustedCommenter.objects.update_or_create(
            key_hash=comment.commenter_key_hash,
            email=comment.user_email.lower(),
            defaults={"name": comment.user_name},
            create_defaults={"name": comment.user_name, "approved_by": moderator},
        )


def rate_counts(ip: str | None, email: str) -> tuple[int, int]:
    """Count one comment for this IP and this email; the counts in this window, with it.

    Counters live in the shared cache (Redis in production) so every web process sees them.
    Fixed windows: at most COMMENTS_RATE_LIMIT comments per COMMENTS_RATE_WINDOW seconds.
    If Redis is unreachable each count is 1: the limit fails open (comments still pass every
    moderation rule, and a first comment is held anyway), and limiting resumes when Redis is
    back.
    """
    keys = [f"comments:rate:ip:{ip or 'unknown'}", f"comments:rate:email:{email.lower()}"]
    ip_count, email_count = cache.count(keys, settings.COMMENTS_RATE_WINDOW)
    return ip_count, email_count


def over_rate_limit(ip: str | None, email: str) -> bool:
    """Count one comment for this IP and this email; True if either is over the limit."""
    return is_over_rate_limit(rate_counts(ip, email))


def is_over_rate_limit(counts) -> bool:
    return any(count > settings.COMMENTS_RATE_LIMIT for count in counts)


def moderator_for(model):
    """The moderator registered for this model (see ``CommentsConfig.ready``), or None."""
    return moderator._registry.get(model)
