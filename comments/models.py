import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
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

    def visible_to(self, key_hash: str):
        """Public comments, plus the held ones posted from the browser holding this key."""
        if not key_hash:
            return self.public()
        return self.filter(
            Q(state=Comment.State.PUBLISHED)
            | Q(state=Comment.State.PENDING, commenter_key_hash=key_hash)
        )

    def pending(self):
        return self.filter(state=Comment.State.PENDING)


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
    from_site = models.BooleanField(
        _("from the site"), default=False, help_text=_("Written by a moderator for the site.")
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
    # Set by `import_wordpress`: a second import of the same export adds nothing.
    wp_comment_id = models.PositiveBigIntegerField(
        _("WordPress comment ID"), null=True, blank=True, unique=True, editable=False
    )

    objects = CommentManager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["thread_id", "order"]
        permissions = [
            ("moderate_comment", _("Can approve, mark as spam or remove comments")),
            ("privacy_request", _("Can export and erase a commenter's data")),
        ]

    def __str__(self):
        return f"{self.user_name}: {self.comment[:50]}"

    @classmethod
    def from_db(cls, db, field_names, values):
        comment = super().from_db(db, field_names, values)
        comment._loaded_state = comment.__dict__.get("state")
        return comment

    def save(self, *args, **kwargs):
        self.is_public = self.state == self.State.PUBLISHED
        self.is_removed = self.state == self.State.REMOVED
        self.comment_html = render_comment_text(self.comment)
        self._new_thread = self.pk is None
        try:
            super().save(*args, **kwargs)  # post_save (page cache) still sees the loaded state
        finally:
            self._new_thread = False
        self._loaded_state = self.state

    def save_base(self, *args, update_fields=None, **kwargs):
        # django-comments-xtd saves a new comment twice: the rows, then its place in the thread
        # (known once it has an id). The second save rewrote every column of all three tables;
        # only the thread's columns changed, in one table: 3 UPDATEs become 1.
        if update_fields is None and getattr(self, "_new_thread", False) and not self._state.adding:
            update_fields = THREAD_FIELDS
        super().save_base(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return comment_url(self.content_object, self.pk)

    def affects_public_pages(self) -> bool:
        """Readers see this change: the comment is, or was until now, public."""
        published = self.State.PUBLISHED
        return self.state == published or getattr(self, "_loaded_state", None) == published

    @property
    def is_reply(self) -> bool:
        return bool(self.parent_id) and self.parent_id != self.pk

    def moderate(self, state: str, user) -> bool:
        """Move to ``state``, recording who decided and when. Return True if it changed."""
        if self.state == state:
            return False
        self.state = state
        self.moderated_by = user
        self.moderated_at = timezone.now()
        self.save()
        return True


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


class TrustedCommenter(models.Model):
    """A browser (by its commenter key) and email whose comment a moderator approved.

    Trust holds for the name the moderator approved: a comment under another name is held, so
    a trusted commenter cannot take the site's or someone else's name and be published at once.
    """

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
    """What readers see of a moderator: the name on their replies written as the site."""

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

    class Meta:
        verbose_name = _("moderator profile")
        verbose_name_plural = _("moderator profiles")

    def __str__(self):
        return self.public_name or str(self.user)


class VerifiedEmail(models.Model):
    """An address that proved it is its owner's: only these get mail carrying readers' text."""

    email = models.EmailField(unique=True)
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("verified email")
        verbose_name_plural = _("verified emails")

    def __str__(self):
        return self.email
