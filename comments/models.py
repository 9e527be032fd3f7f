import hashlib
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_comments_xtd.models import XtdComment, XtdCommentManager

from comments.text import render_comment_text


def hash_commenter_key(key: str) -> str:
    """The database keeps only a hash of a browser's commenter key (see comments.trust)."""
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


def comment_url(target, pk) -> str:
    """Where a comment is shown: its anchor on the page of what it is about."""
    return f"{target.get_absolute_url()}#c{pk}"


# What a comment erased at its writer's request shows (``comments.privacy.erase_commenter``):
# it keeps its place in its thread, with nothing left in it to answer or to report.
ERASED_TEXT = "[removed at the author's request]"
ERASED_NAME = "Anonymous"

# What django-comments-xtd's second save of a new comment sets: its place in the thread.
THREAD_FIELDS = ("thread_id", "parent_id", "level", "order")


class CommentQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
        )

    def public(self):
        """Comments every reader may see. The one rule for lists, counts and feeds."""
        return self.filter(state=Comment.State.PUBLISHED)

    def answerable(self):
        """Public comments that may be replied to and reported: not one erased with its text."""
        return self.public().exclude(comment=ERASED_TEXT, user_email="")

    def visible_to(self, key_hash: str):
        """Public comments, plus the held ones posted from the browser holding this key."""
        if not key_hash:
            return self.public()
        return self.filter(
            Q(state=Comment.State.PUBLISHED)
            | Q(state=Comment.State.PENDING, commenter_key_hash=key_hash)
        )

    def in_threads(self, key_hash: str = ""):
        """What an article's page lays out: ``visible_to(key_hash)``, plus the comments their
        writers deleted. Such a comment keeps its place, as "Deleted by its writer", while a
        reply shown under it stands (``render.visible_rows``): the others' replies stay."""
        # Public when its writer deleted it (not one a moderator had held, whose replies the
        # hold took off the page), and no moderator has decided on it since.
        deleted_when_public = CommentVersion.objects.filter(
            comment=OuterRef("pk"),
            change=CommentVersion.Change.DELETED,
            state=Comment.State.PUBLISHED,
        )
        withdrawn = Q(
            state=Comment.State.REMOVED, reason=Comment.Reason.WITHDRAWN, moderated_by=None
        ) & Q(Exists(deleted_when_public))
        if not key_hash:
            return self.filter(Q(state=Comment.State.PUBLISHED) | withdrawn)
        return self.filter(
            Q(state=Comment.State.PUBLISHED)
            | Q(state=Comment.State.PENDING, commenter_key_hash=key_hash)
            | withdrawn
        )

    def pending(self):
        return self.filter(state=Comment.State.PENDING)

    def answering(self, comment):
        """The replies that answer ``comment``: those under it, and those written to it at the
        deepest level and placed beside it (``replied_to``); not one under it answering another."""
        return self.filter(
            Q(replied_to=comment.pk) | Q(parent_id=comment.pk, replied_to__isnull=True)
        ).exclude(pk=comment.pk)

    def queue_order(self):
        """The moderation queue's order: urgent comments (a writer who may be in crisis) first,
        then the newest. The admin's changelist and any other queue view use this."""
        return self.order_by(*Comment.QUEUE_ORDER)


class CommentManager(XtdCommentManager.from_queryset(CommentQuerySet)):
    pass


class Comment(XtdComment):
    """A comment in the "Leave a Reply" discussion, with its moderation state and reasons.

    ``state`` is the truth; django-comments' ``is_public``/``is_removed`` follow it on save so
    that the libraries' own queries agree.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        PUBLISHED = "published", _("Published")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    class Reason(models.TextChoices):
        NOT_TRUSTED = "not_trusted", _("First comment from this commenter")
        LINKS = "links", _("Two or more links")
        HOLD_WORD = "hold_word", _("Matches the hold list")
        HOLD_ALL = "hold_all", _("Article holds all comments")
        TRUSTED = "trusted", _("Returning approved commenter")
        NAME_CHANGED = "name_changed", _("Trusted commenter using another name")
        STAFF = "staff", _("Written by the site")
        IMPORTED = "imported", _("Imported from WordPress")
        CRISIS = "crisis", _("The writer may be in crisis")
        MEDICAL = "medical", _("Medical claim")
        SPAM_LIST = "spam_list", _("Matches the local spam list")
        REPORTED = "reported", _("Reported by readers")
        EDITED = "edited", _("Edited after publication")
        WITHDRAWN = "withdrawn", _("Deleted by its writer")

    # Named explicitly: the default reverse name ("comment") clashes with the text field.
    xtdcomment_ptr = models.OneToOneField(
        XtdComment,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        related_name="discussion_comment",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices, blank=True)
    reason_detail = models.CharField(_("reason detail"), max_length=200, blank=True)
    comment_html = models.TextField(editable=False, default="")
    # A reply to a comment at the deepest level is placed under that comment's parent
    # (``comments.threads.effective_parent``): the comment it answers, if not its parent.
    replied_to = models.PositiveIntegerField(
        _("in reply to"), null=True, blank=True, editable=False
    )
    urgent = models.BooleanField(
        _("urgent"),
        default=False,
        db_index=True,
        help_text=_(
            "The text matched a crisis phrase, or a reader is worried about its writer: first "
            "in the queue, never auto-published."
        ),
    )
    from_site = models.BooleanField(
        _("from the site"), default=False, help_text=_("Written by a moderator for the site.")
    )
    site_note = models.CharField(
        _("note from the site"),
        max_length=300,
        blank=True,
        help_text=_("Shown under the comment, marked as from the site."),
    )
    commenter_key_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    form_nonce = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderated_comments",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    reply_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When an email's unsubscribe link switched this comment's reply emails off: what
    # "Subscribe again" restores when the link is opened later (after a mail app's one-click
    # unsubscribe, say), and never a comment its writer did not ask emails for.
    followup_stopped_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by `import_wordpress`: a second import of the same export adds nothing.
    wp_comment_id = models.PositiveBigIntegerField(
        _("WordPress comment ID"), null=True, blank=True, unique=True, editable=False
    )

    objects = CommentManager()

    # Urgent first, then the newest (see ``CommentQuerySet.queue_order``).
    QUEUE_ORDER = ("-urgent", "-submit_date", "-pk")

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["thread_id", "order"]
        permissions = [
            ("moderate_comment", _("Can approve, mark as spam or remove comments")),
            ("privacy_request", _("Can export and erase a commenter's data")),
        ]

    def __str__(self):
        # The admin's title, breadcrumbs, history and lists name a comment by this: a text
        # cut mid-word with no mark read as the whole comment ("...what the point is. Not").
        text = " ".join(self.comment.split())
        if len(text) > 50:
            text = f"{text[:50].rsplit(' ', 1)[0].rstrip(' ,.;:')}…"
        return f"{self.user_name}: {text}"

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment._loaded_state = comment.__dict__.get("state")
        return comment

    def save(self, *args, **kwargs):
        self.is_public = self.state == self.State.PUBLISHED
        self.is_removed = self.state == self.State.REMOVED
        self.rendered_text()
        self._new_thread = self.pk is None
        try:
            super().save(*args, **kwargs)  # post_save (page cache) still sees the loaded state
        finally:
            self._new_thread = False
        self._loaded_state = self.state

    def save_base(self, *args, update_fields=None, **kwargs):
        # django-comments-xtd saves a new comment twice: the rows, then its place in the thread
        # (known once it has an id). The second save rewrote every column of all three tables;
        # only the thread's columns changed, in one table: 3 UPDATEs become 1, and none for a
        # new thread, whose place ``_save_table`` wrote with its row.
        if update_fields is None and getattr(self, "_new_thread", False) and not self._state.adding:
            if getattr(self, "_thread_written", False):
                self._thread_written = False
                return
            update_fields = THREAD_FIELDS
        super().save_base(*args, update_fields=update_fields, **kwargs)

    def _save_table(self, raw=False, cls=None, *args, **kwargs):
        # A new comment that starts a thread is its own parent and thread (what xtd's second
        # save would write): its id is known once the first table's row is in, so the thread
        # table's row is inserted with them.
        # xtd still sees a comment without a parent, and its second save is skipped.
        if cls is XtdComment and self._state.adding and not self.parent_id and self.id:
            self.parent_id = self.thread_id = self.id
            try:
                return super()._save_table(raw, cls, *args, **kwargs)
            finally:
                self.parent_id = 0
                self._thread_written = True
        return super()._save_table(raw, cls, *args, **kwargs)

    def get_absolute_url(self):
        return comment_url(self.content_object, self.pk)

    def rendered_text(self) -> str:
        """The text as readers see it (what ``save`` stores in ``comment_html``), rendered
        once for each text: posting reads its links twice (rules, spam list) before saving."""
        if self.__dict__.get("_html_of") != self.comment:
            self.comment_html = render_comment_text(self.comment)
            self._html_of = self.comment
        return self.comment_html

    def affects_public_pages(self) -> bool:
        """Readers see this change: the comment is, or was until now, public, or it was
        deleted by its writer (its place may stand over replies: ``in_threads``)."""
        published, loaded = self.State.PUBLISHED, getattr(self, "_loaded_state", None)
        if self.state == published or loaded == published:
            return True
        removed = self.State.REMOVED
        return removed in (loaded, self.state) and self.reason == self.Reason.WITHDRAWN

    @property
    def is_reply(self) -> bool:
        return bool(self.parent_id) and self.parent_id != self.pk

    @property
    def is_erased(self) -> bool:
        """Erased at its writer's request with its text (``CommentQuerySet.answerable``'s
        rule, for one comment read already)."""
        return self.comment == ERASED_TEXT and not self.user_email

    @property
    def answers_id(self) -> int | None:
        """The comment this reply answers: its parent, or the one it was written under at the
        deepest level (``replied_to``; the reply is placed beside it). None for a new thread."""
        return (self.replied_to or self.parent_id) if self.is_reply else None

    def reports_since_decision(self):
        """Readers' reports made after the last moderator's decision on it (all, if none yet):
        what sends it back to the queue, and whether a worry about its writer is new."""
        reports = self.reports.all()
        if not self.moderated_at:
            return reports
        # A report that became a worry counts from the worry: it keeps when it was first made.
        # (``REPORTED_SINCE_DECISION`` is the same rule for many comments' reports at once.)
        since = self.moderated_at
        return reports.filter(Q(created_at__gt=since) | Q(worried_at__gt=since))

    def is_report_since_decision(self, created_at, worried_at) -> bool:
        """``reports_since_decision``'s rule for one report already read (when it was made, and
        became a worry): the comment's page tells the new ones apart without a second query."""
        since = self.moderated_at
        return since is None or created_at > since or bool(worried_at and worried_at > since)

    def moderate(self, state: str, user, note: str | None = None) -> bool:
        """Move to ``state``, recording who decided and when. Return True if it changed.

        ``note``, if given, becomes the public note from the site shown under the comment
        (for example when publishing a held medical claim); "" removes it. Held while a
        reader's worry about its writer is open, it is marked urgent.
        """
        note_changes = note is not None and note.strip() != self.site_note
        if self.state == state and not note_changes:
            return False
        if note is not None:
            self.site_note = note.strip()
        previous, self.state = self.state, state
        if state == self.State.PENDING and not self.urgent:
            # Held by anyone (a moderator, the readers' reports, an edit) while a reader's
            # worry about its writer is open: first in the queue, as a worry sent while it
            # was held puts it (``controls.report``).
            self.urgent = self.reports.unhandled_worries().exists()
        self.moderated_by = user
        self.moderated_at = timezone.now()
        self.save()
        if state != previous and self.State.SPAM in (state, previous):
            from comments import spam  # the spam list is built on this model

            if state == self.State.SPAM:
                spam.learn(self)  # its domains, email, IP and text now mark spam
            else:
                spam.forget(self)  # "not spam": it no longer marks anything
        elif state != previous == self.State.PENDING and self.reason == self.Reason.SPAM_LIST:
            from comments import notifications, spam

            # Held for its IP address alone, and approved: others share that address. Its
            # writer's reply-email confirmation waited for this (``request_confirmation``).
            # A short text held as like a spam's keeps that spam's fingerprint listed: a
            # reader's question like it says nothing of the spam run it caught.
            if self.reason_detail == spam.IP_ONLY_HELD:
                spam.forget(self)
            if self.followup:
                notifications.after_commit(notifications.request_confirmation, self.pk)
        return True


def listed_as(queryset, field: str, value: str, key) -> str | None:
    """The entry of a moderation list (``queryset``) that a rule would match as it matches
    ``value``, compared by ``key`` (how the rule reads both), if there is one: "Want to  die"
    is "want to die" again, which the unique constraint, comparing as written, let in."""
    wanted = key(value)
    return next((v for v in queryset.values_list(field, flat=True) if key(v) == wanted), None)


class ModerationWord(models.Model):
    """A word or phrase a moderator maintains: matching comments are held or refused."""

    class Action(models.TextChoices):
        HOLD = "hold", _("Hold for a moderator")
        DISALLOW = "disallow", _("Refuse outright")

    word = models.CharField(
        _("word or phrase"),
        max_length=200,
        help_text=_(
            "Matched, ignoring case, inside the name, email, website, text and IP address."
        ),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)

    class Meta:
        verbose_name = _("moderation word")
        verbose_name_plural = _("moderation words")
        ordering = ["action", "word"]
        constraints = [
            models.UniqueConstraint(fields=["word", "action"], name="unique_moderation_word")
        ]

    def __str__(self):
        return f"{self.word} ({self.get_action_display()})"

    def clean(self):
        from comments.rules import word_needle

        self.word = " ".join((self.word or "").split())
        others = ModerationWord.objects.exclude(pk=self.pk)
        same = listed_as(others, "word", self.word, word_needle)
        if same is not None:
            action = others.filter(word=same).first().get_action_display()
            raise ValidationError(
                {
                    "word": _("This is on the list already, as “%(word)s” (%(action)s).")
                    % {"word": same, "action": action}
                }
            )


class TrustedCommenter(models.Model):
    """A browser (by its commenter key) and email whose comment a moderator approved.

    Trust holds for the name the moderator approved: a comment under another name is held, so
    a trusted commenter cannot take the site's or someone else's name and be published at once.
    """

    shown_to_readers = False  # moderators' records: cached pages stay as they are

    key_hash = models.CharField(max_length=64)
    email = models.EmailField()
    name = models.CharField(
        _("name"),
        max_length=50,
        blank=True,
        help_text=_("The name the approved comment was signed with."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trusted commenter")
        verbose_name_plural = _("trusted commenters")
        constraints = [
            models.UniqueConstraint(fields=["key_hash", "email"], name="unique_trusted_commenter")
        ]

    def __str__(self):
        return self.email


class ModeratorProfile(models.Model):
    """A moderator's own settings: the name readers see on their replies written as the site,
    and which moderation emails they get. No row: the defaults."""

    class Emails(models.TextChoices):
        ALL = "all", _("Every held comment, and urgent ones at once")
        URGENT = "urgent", _("Only urgent comments (a writer who may be in crisis)")
        NONE = "none", _("None")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_profile"
    )
    public_name = models.CharField(
        _("public name"),
        max_length=50,
        blank=True,
        help_text=_(
            "Shown to readers on your replies written as the site. Leave empty to show the "
            "site's name. Your login name is never shown."
        ),
    )
    emails = models.CharField(
        _("moderation emails"), max_length=10, choices=Emails, default=Emails.ALL
    )

    class Meta:
        verbose_name = _("moderator profile")
        verbose_name_plural = _("moderator profiles")

    def __str__(self):
        return self.public_name or str(self.user)


class VerifiedEmail(models.Model):
    """An address that proved it is its owner's: only these get mail carrying readers' text.

    Proved from a browser: ``key_hashes`` are the commenter keys (their hashes) of the
    comments whose link was opened. A comment from another browser asks again before its
    replies are mailed (``confirmed_for``): anyone may type anyone's address, and the owner
    got "New reply to your comment" about a stranger's comment, quoting it. An address
    confirmed before browsers were recorded has none, and covers any browser, as then.
    """

    shown_to_readers = False  # never on a page: confirming an address leaves pages cached

    email = models.EmailField(unique=True)
    verified_at = models.DateTimeField(default=timezone.now)
    key_hashes = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("verified email")
        verbose_name_plural = _("verified emails")

    def __str__(self):
        return self.email

    @classmethod
    def confirmed_for(cls, comment) -> bool:
        """Whether the comment's address was confirmed from the browser that wrote it."""
        verified = cls.objects.filter(email=comment.user_email.lower()).only("key_hashes").first()
        if verified is None:
            return False
        keys = verified.key_hashes.split()
        return not keys or comment.commenter_key_hash in keys

    @classmethod
    def confirm(cls, comment) -> None:
        """The comment's link was opened: its address is its writer's, from its browser."""
        verified, created = cls.objects.get_or_create(email=comment.user_email.lower())
        keys = verified.key_hashes.split()
        key = comment.commenter_key_hash
        if key and key not in keys and (created or keys):  # an old row covers any browser
            verified.key_hashes = " ".join([*keys, key])
            verified.save(update_fields=["key_hashes"])


class CrisisPhrase(models.Model):
    """A phrase suggesting the writer may harm themselves: the comment is held, marked urgent,
    moderators are emailed at once, and the writer is shown the crisis resources."""

    phrase = models.CharField(
        _("phrase"),
        max_length=200,
        help_text=_("Matched ignoring case, accents' composed forms and repeated spaces."),
    )
    language = models.CharField(_("language"), max_length=10, default="en")

    class Meta:
        verbose_name = _("crisis phrase")
        verbose_name_plural = _("crisis phrases")
        ordering = ["language", "phrase"]
        constraints = [
            models.UniqueConstraint(fields=["phrase", "language"], name="unique_crisis_phrase")
        ]

    def __str__(self):
        return f"{self.phrase} ({self.language})"

    def clean(self):
        from comments.health import normalise_phrase_text

        self.phrase = " ".join((self.phrase or "").split())
        if not normalise_phrase_text(self.phrase).strip():
            raise ValidationError({"phrase": _("A phrase needs at least one letter or digit.")})
        others = CrisisPhrase.objects.filter(language=self.language).exclude(pk=self.pk)
        same = listed_as(others, "phrase", self.phrase, normalise_phrase_text)
        if same is not None:
            raise ValidationError(
                {"phrase": _("This phrase is on the list already, as “%s”.") % same}
            )


DEFAULT_CRISIS_MESSAGE = (
    "Thank you for sharing this. It sounds like you are going through something very hard, "
    "and you deserve support right now. If you are in danger or thinking about ending your "
    "life, please call your local emergency number, or reach out to someone you trust."
)
DEFAULT_CRISIS_RESOURCES = (
    "Call your local emergency number (for example 911, 999, 112 or 000)\n"
    "Find a free, confidential helpline in your country | https://findahelpline.com/"
)
# What moderators write after a resource's "|" besides a full address: a phone number (digits,
# spaces, "+" first, "-" and parentheses) and a domain without "https://" (www.lifeline.org.au).
PHONE_NUMBER = re.compile(r"\+?[\d\s()-]+", re.ASCII)
BARE_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:[/?#]\S*)?", re.I)


class CrisisSupport(models.Model):
    """What a writer whose comment matched a crisis phrase reads at once (one row, edited in
    the admin). Only that writer ever sees it, on the page they land on after posting."""

    heading = models.CharField(_("heading"), max_length=120, default="You are not alone")
    message = models.TextField(_("message"), default=DEFAULT_CRISIS_MESSAGE)
    resources = models.TextField(
        _("resources"),
        default=DEFAULT_CRISIS_RESOURCES,
        help_text=_(
            "One a line: a text, or a text, a vertical bar and a web address "
            "(Samaritans | https://www.samaritans.org/) or a phone link (tel:116123)."
        ),
    )

    class Meta:
        verbose_name = _("crisis support")
        verbose_name_plural = _("crisis support")

    def __str__(self):
        return str(self.heading)

    def save(self, *args, **kwargs):
        self.pk = 1  # one row: the site's crisis support text
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "CrisisSupport":
        """The site's text, or the defaults if nobody has edited it yet (nothing is saved)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def clean(self):
        # A line the crisis box cannot link is refused here, naming it, rather than shown
        # cut: "Samaritans | 116 123" once showed "Samaritans" alone, the number lost.
        errors = [
            ValidationError(
                _(
                    'Line %(number)s, "%(line)s": after the "|" write a web address '
                    "(https://www.samaritans.org or www.samaritans.org) or a phone number "
                    "(116 123 or +44 116 123). This line could not be shown as a link."
                ),
                params={"number": number, "line": line.strip()},
            )
            for number, line in enumerate(self.resources.splitlines(), start=1)
            if self.resource_link(line) is None
        ]
        if errors:
            raise ValidationError({"resources": errors})

    @staticmethod
    def resource_link(line: str) -> tuple[str, str] | None:
        """(text, address) of one resource line, or None if what follows its "|" cannot be a
        link. A phone number becomes a tel: link whose text shows the number (a reader on a
        computer cannot follow it); a domain without a scheme, an https:// address."""
        text, _bar, address = (part.strip() for part in line.partition("|"))
        if not address:
            return text, ""
        number = ""
        if address.lower().startswith("tel:"):
            number = address[4:].strip()
        elif PHONE_NUMBER.fullmatch(address):
            number = address
        if number:
            digits = "".join(re.findall(r"\d", number, re.ASCII))
            if not PHONE_NUMBER.fullmatch(number) or len(digits) < 3:
                return None
            if digits not in "".join(re.findall(r"\d", text, re.ASCII)):
                text = f"{text.rstrip(':')}: {number}" if text else number
            return text, f"tel:{'+' if number.startswith('+') else ''}{digits}"
        if address.lower().startswith(("https://", "http://")):
            try:
                URLValidator(schemes=["http", "https"])(address)
            except ValidationError:
                return None
        elif BARE_DOMAIN.fullmatch(address):
            address = f"https://{address}"
        else:
            return None
        return text or address, address

    def as_reply(self) -> str:
        """The message and the resources as plain text, for a moderator's reply under a
        comment (the reply's text links its web addresses; a phone's text shows its number)."""
        lines = [
            f"- {text}: {address}" if address and not address.startswith("tel:") else f"- {text}"
            for text, address in self.links()
        ]
        return "\n".join([self.message.strip(), "", *lines]).strip()

    def links(self) -> list[tuple[str, str]]:
        """(text, address) for each resource line; address is "" for a line without one.

        A line that cannot be a link (the admin refuses one, but an older text may hold it) is
        shown whole as text: a helpline's number is never dropped."""
        result = []
        for line in self.resources.splitlines():
            text, address = self.resource_link(line) or (line.strip(), "")
            if text:
                result.append((text, address))
        return result


class MedicalClaimPattern(models.Model):
    """A phrase or pattern of a medical claim: a matching comment is held as "medical claim"
    and the queue highlights the words that matched."""

    class Category(models.TextChoices):
        DOSING = "dosing", _("Dosing instructions")
        STOP_TREATMENT = "stop", _("Stop or change prescribed treatment")
        CURE = "cure", _("Cure promise")
        PROMOTION = "promotion", _("Product or clinic promotion")

    class Kind(models.TextChoices):
        PHRASE = "phrase", _("Phrase (whole words, ignoring case)")
        PATTERN = "pattern", _("Regular expression (ignoring case)")

    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHRASE)
    pattern = models.CharField(
        _("phrase or pattern"),
        max_length=300,
        help_text=_(
            "A phrase matches whole words, ignoring case and punctuation. A regular expression "
            "(Python syntax) is searched in the text made lower case, spaces collapsed."
        ),
    )

    class Meta:
        verbose_name = _("medical claim pattern")
        verbose_name_plural = _("medical claim patterns")
        ordering = ["category", "kind", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "pattern"], name="unique_medical_pattern")
        ]

    def __str__(self):
        return f"{self.pattern} ({self.get_category_display()})"

    def clean(self):
        from comments.health import compile_pattern, normalise_phrase_text

        if self.kind == self.Kind.PATTERN:
            try:
                compile_pattern(self.pattern)
            except re.error as error:
                raise ValidationError(
                    {"pattern": _("This is not a valid regular expression: %s") % error}
                ) from None
            return
        self.pattern = " ".join((self.pattern or "").split())
        if not normalise_phrase_text(self.pattern).strip():
            raise ValidationError({"pattern": _("A phrase needs at least one letter or digit.")})
        others = MedicalClaimPattern.objects.filter(kind=self.Kind.PHRASE).exclude(pk=self.pk)
        same = listed_as(others, "pattern", self.pattern, normalise_phrase_text)
        if same is not None:
            raise ValidationError(
                {"pattern": _("This phrase is on the list already, as “%s”.") % same}
            )


class SpamSignature(models.Model):
    """One trait of a comment a moderator marked as spam: a later comment sharing it is spam
    at once. Kept as long as that comment is (see ``comments.spam.delete_old_spam``)."""

    shown_to_readers = False  # moderators' records: cached pages stay as they are

    class Kind(models.TextChoices):
        DOMAIN = "domain", _("Link domain")
        EMAIL = "email", _("Email")
        IP = "ip", _("IP address")
        FINGERPRINT = "text", _("Text fingerprint")

    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254)
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("learned from"),
        on_delete=models.CASCADE,
        related_name="spam_signatures",
    )
    created_at = models.DateTimeField(_("learned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spam list entry")
        verbose_name_plural = _("spam list")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "value"], name="spam_signature_lookup")]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "kind", "value"], name="unique_spam_signature"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.short_value}"

    @property
    def short_value(self) -> str:
        """The value as a list names it: a text fingerprint's 192 hex digits mean nothing to a
        reader (a screen reader read them all out) and took a list's width; its first 16 tell
        entries apart."""
        if self.kind == self.Kind.FINGERPRINT and len(self.value) > 16:
            return f"{self.value[:16]}…"
        return self.value


class SpamFingerprintMinimum(models.Model):
    """One minimum of a text fingerprint on the spam list, with its position: the index a new
    comment's fingerprint finds the similar ones through (those sharing enough minimums at the
    same positions), where comparing it with every fingerprint on the list grew with the list.
    Written with the fingerprint (``comments.spam.learn``) and deleted with it."""

    shown_to_readers = False  # moderators' records: cached pages stay as they are

    signature = models.ForeignKey(
        SpamSignature, on_delete=models.CASCADE, related_name="minimums", db_index=False
    )
    # The position (two digits) and the minimum (eight hex digits): "07" + "0a1b2c3d".
    key = models.CharField(max_length=10)

    class Meta:
        indexes = [models.Index(fields=["key"], name="spam_minimum_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["signature", "key"], name="unique_spam_minimum")
        ]

    def __str__(self):
        return f"{self.signature_id}: {self.key}"


class CommentVersion(models.Model):
    """The text of a comment before its writer edited or deleted it: moderators see every
    earlier version (read-only in the admin)."""

    shown_to_readers = False  # moderators' records: cached pages stay as they are

    class Change(models.TextChoices):
        EDITED = "edited", _("Edited")
        DELETED = "deleted", _("Deleted")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="versions"
    )
    text = models.TextField(_("text before the change"))
    state = models.CharField(
        _("state before the change"), max_length=10, choices=Comment.State.choices
    )
    change = models.CharField(_("change"), max_length=10, choices=Change.choices)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier version of a comment")
        verbose_name_plural = _("earlier versions of comments")
        ordering = ["comment", "-changed_at", "-pk"]

    def __str__(self):
        return f"{self.comment_id} {self.get_change_display()} {self.changed_at:%Y-%m-%d %H:%M}"


class CommentReportQuerySet(models.QuerySet):
    def unhandled_worries(self):
        """Readers worried about the writer whom no moderator has answered yet: what the
        overview, the queue card and the "a reader is worried" email count."""
        return self.filter(reason=CommentReport.Reason.WORRIED, handled_at__isnull=True)


class CommentReport(models.Model):
    """A reader's report of a public comment. Reports from ``COMMENTS_REPORTS_TO_HOLD``
    different browsers since the comment's last moderation send it back to the queue; a reader
    worried about the writer tells the moderators at once instead (see ``controls.report``),
    until a moderator marks the worry handled (``decisions.handle_worry``)."""

    shown_to_readers = False  # moderators' records: cached pages stay as they are

    class Reason(models.TextChoices):
        # Not a complaint: the moderators hear at once, and it never hides the comment.
        WORRIED = "worried", _("I'm worried about the person who wrote it")
        SPAM = "spam", _("Spam")
        MEDICAL = "medical", _("Harmful medical advice")
        ABUSIVE = "abusive", _("Abusive or hurtful")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    text = models.CharField(_("details"), max_length=500, blank=True)
    reporter_key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    # Worried reports only: when the reader said they were worried. A browser's earlier report
    # that becomes a worry keeps its ``created_at``; the worry is new from this time.
    worried_at = models.DateTimeField(_("worried at"), null=True, blank=True, editable=False)
    # Worried reports only: when and by whom a moderator dealt with the worry (replied as the
    # site, or wrote to the writer). Other reports are settled by a decision on the comment.
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key_hash"], name="one_report_per_browser"
            )
        ]

    def __str__(self):
        # The title of the report's page in the admin: moderators' words, as its list says.
        return f"{self.moderators_reason}: {self.comment_id}"

    def save(self, *args, **kwargs):
        # A worry reported as such was made when the report was (``controls.report`` sets it
        # when an earlier report becomes a worry).
        if self.reason == self.Reason.WORRIED and self.worried_at is None:
            self.worried_at = self.created_at
        super().save(*args, **kwargs)

    @property
    def moderators_reason(self) -> str:
        """What moderators call the reason (``MODERATORS_REASONS``), not the reader's choice."""
        return MODERATORS_REASONS.get(self.reason, self.get_reason_display())


# ``Comment.reports_since_decision`` for reports of many comments in one query (the queue's
# cards): made, or become a worry, after their comment's last decision, or never decided.
REPORTED_SINCE_DECISION = (
    Q(comment__moderated_at__isnull=True)
    | Q(created_at__gt=F("comment__moderated_at"))
    | Q(worried_at__gt=F("comment__moderated_at"))
)


# What moderators call each reason for a report: the reader's own choice ("I'm worried about
# the person who wrote it") is a sentence for readers; the queue, the reports and the
# comment's page say "Worried about the writer".
MODERATORS_REASONS = {
    **dict(CommentReport.Reason.choices),
    CommentReport.Reason.WORRIED: _("Worried about the writer"),
}
