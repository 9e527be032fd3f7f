import datetime
from urllib.parse import urlsplit

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from articles.markdown import analyse, reading_minutes, render_markdown, table_of_contents

# The fields Article.save() derives from the body (and its references); never edited by hand.
DERIVED_FIELDS = ("body_html", "toc", "word_count")


def web_url(value: str) -> str:
    """``value`` if it is an http(s) address, else "": what a template may put in an href."""
    return value if urlsplit(value or "").scheme.lower() in {"http", "https"} else ""


def validate_link(value: str) -> None:
    """Accept a relative link, an in-page anchor, or an http(s)/mailto URL; nothing else."""
    parts = urlsplit(value.strip())
    if parts.scheme and parts.scheme.lower() not in {"http", "https", "mailto"}:
        raise ValidationError(_("Use a link to a page (https://…, /path or #anchor)."))
    if parts.scheme.lower() in {"http", "https"} and not parts.netloc:
        raise ValidationError(_("A web address needs a host name."))


class CallToAction(models.Model):
    """A labelled invitation shown after an article's body, reusable across articles."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("Only shown in the admin.")
    )
    heading = models.CharField(_("heading"), max_length=120)
    text = MarkdownxField(_("text"), help_text=_("A short paragraph, in Markdown."))
    text_html = models.TextField(editable=False, default="")
    button_label = models.CharField(_("button label"), max_length=60)
    button_url = models.CharField(
        _("button link"),
        max_length=300,
        validators=[validate_link],
        help_text=_("For example #respond (the comment form), /articles/… or https://…"),
    )

    class Meta:
        verbose_name = _("call-to-action")
        verbose_name_plural = _("calls-to-action")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.text_html = render_markdown(self.text)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "text_html"}
        super().save(*args, **kwargs)


class Reviewer(models.Model):
    """A health professional who reviews articles for medical accuracy."""

    name = models.CharField(_("name"), max_length=120)
    credentials = models.CharField(
        _("credentials"),
        max_length=60,
        blank=True,
        help_text=_("Letters after the name, for example MD or DPT."),
    )
    job_title = models.CharField(
        _("job title"), max_length=120, help_text=_("For example Consultant neurologist.")
    )
    profile_url = models.URLField(
        _("profile link"),
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Optional: a public page about the reviewer (https://…)."),
    )

    class Meta:
        verbose_name = _("medical reviewer")
        verbose_name_plural = _("medical reviewers")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def profile_link(self) -> str:
        """The profile address, only if it is a web address (forms check it; data may not)."""
        return web_url(self.profile_url)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: published, with a publish date that has arrived."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published articles whose publish date is still to come: readers cannot see them yet."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def review_overdue(self, today: datetime.date | None = None):
        """Articles whose next medical review date has passed, or that were never reviewed."""
        today = today or timezone.localdate()
        return self.filter(Q(next_review_due__lt=today) | Q(last_reviewed__isnull=True))


@reversion.register(follow=["references"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=160,
        help_text=_("One or two sentences; used as the page's meta description (160 characters)."),
    )
    topic = models.CharField(
        _("topic"),
        max_length=120,
        blank=True,
        help_text=_(
            "The condition the article is about, for example Peripheral neuropathy "
            "(structured data for search engines)."
        ),
    )
    body = MarkdownxField(
        _("body"),
        help_text=_(
            "Markdown. Cite a reference with [@key]; put a safety callout in a block that "
            'starts with !!! seek-help "When to seek help" and is indented below it.'
        ),
    )
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("A date in the future schedules the article. Empty means now, on publishing."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    featured_image = models.ImageField(
        _("featured image"),
        upload_to="featured/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
        help_text=_(
            "Shown with the article on the home page and when it is shared (1200 by 630 pixels "
            "suits most sites). Without one, the site's share image is used."
        ),
    )
    featured_image_alt = models.CharField(
        _("featured image description"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    allow_comments = models.BooleanField(_("allow comments"), default=True)
    moderate_all_comments = models.BooleanField(
        _("hold all comments"),
        default=False,
        help_text=_("Hold every new comment for a moderator, whoever writes it."),
    )
    call_to_action = models.ForeignKey(
        CallToAction,
        verbose_name=_("call-to-action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    # Only a sign-off (sign_off_review) sets these two; an edit never moves them.
    reviewed_by = models.ForeignKey(
        Reviewer,
        verbose_name=_("medically reviewed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
    )
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True, editable=False)
    next_review_due = models.DateField(
        _("next review due"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Set on each sign-off to the review interval after it; you may change it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set by `import_wordpress`: makes a second import a no-op and keeps /?p=ID working.
    wp_post_id = models.PositiveBigIntegerField(
        _("WordPress post ID"), null=True, blank=True, unique=True, editable=False
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "published_at"])]
        permissions = [
            ("restore_article_version", _("Can restore a saved version of an article")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render_body()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *DERIVED_FIELDS, "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": _("Describe the image for people who cannot see it.")}
            )

    @property
    def is_published(self) -> bool:
        """True when readers can see the article (the same rule as ``published()``)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.is_published

    @property
    def publication_state(self) -> str:
        """Where the article stands for readers: "Draft", "Scheduled" or "Published"."""
        if self.status == self.Status.DRAFT:
            return str(_("Draft"))
        return str(_("Scheduled")) if self.is_scheduled else str(_("Published"))

    @property
    def reading_time(self) -> int:
        """Minutes to read the body (not the call-to-action): words / 230, rounded up."""
        return reading_minutes(self.word_count)

    @property
    def review_is_overdue(self) -> bool:
        """The same rule as ``review_overdue()``."""
        return self.last_reviewed is None or (
            self.next_review_due is not None and self.next_review_due < timezone.localdate()
        )

    @cached_property
    def reference_list(self) -> list:
        """The references, read once (and only when a page part that shows them is rendered),
        however many parts show them: the reference list and the structured data."""
        return list(self.references.all())

    def render_body(self, keys: list[str] | None = None) -> None:
        """Render the body, with citations numbered like the references (``keys``, in order;
        by default the stored ones), and what derives from it: the contents and word count."""
        if keys is None:
            keys = list(self.references.values_list("key", flat=True)) if self.pk else []
        self.body_html = render_markdown(self.body, citations=keys)
        analysis = analyse(self.body_html)
        self.toc = table_of_contents(analysis.headings)
        self.word_count = analysis.word_count

    def sign_off_review(
        self,
        reviewer: Reviewer,
        on: datetime.date | None = None,
        next_due: datetime.date | None = None,
    ) -> None:
        """Record that ``reviewer`` reviewed the article as it stands (then save it).

        The only way the last-reviewed date moves. The next review falls due
        ``ARTICLE_REVIEW_INTERVAL_DAYS`` later, unless ``next_due`` says otherwise.
        """
        self.reviewed_by = reviewer
        self.last_reviewed = on or timezone.localdate()
        self.next_review_due = next_due or self.last_reviewed + datetime.timedelta(
            days=settings.ARTICLE_REVIEW_INTERVAL_DAYS
        )


@reversion.register()
class Reference(models.Model):
    """A source an article cites: listed under "References", linked from ``[@key]``."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="references"
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("References are numbered in this order.")
    )
    key = models.SlugField(_("key"), max_length=60, help_text=_("Cite it in the body as [@key]."))
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(
        _("publisher"), max_length=200, help_text=_("For example Mayo Clinic or NHS.")
    )
    url = models.URLField(
        _("link"), max_length=500, validators=[URLValidator(schemes=["http", "https"])]
    )
    accessed_on = models.DateField(_("date accessed"), null=True, blank=True)

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="unique_reference_key")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._rerender_article()

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#ref-{self.key}"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._rerender_article()
        return result

    @property
    def link(self) -> str:
        """The source's address, only if it is a web address (forms check it; data may not)."""
        return web_url(self.url)

    def _rerender_article(self) -> None:
        # The article's citations are numbered by its references: render it again, from the
        # article as stored (the instance at hand may be stale), as a change of the page.
        article = Article.objects.get(pk=self.article_id)
        article.save(update_fields=[*DERIVED_FIELDS, "updated_at"])


class ArticleDraft(models.Model):
    """What an editor typed in the article form and has not saved yet, kept by the editor's
    autosave so that a closed tab or an expired session loses nothing.

    One per person and article (``key`` is the article's id, or "new" for an article not
    saved yet); replaced on every autosave, deleted when the article is saved. Never shown to
    readers, and not a revision: saving the article records those.
    """

    NEW = "new"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="article_drafts",
    )
    key = models.CharField(_("article"), max_length=20)
    data = models.JSONField(_("form content"), default=dict)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("unsaved article draft")
        verbose_name_plural = _("unsaved article drafts")
        ordering = ["-saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_draft_per_user_and_article")
        ]

    def __str__(self):
        return f"{self.user} · {self.key}"

    def affects_public_pages(self) -> bool:
        """Readers never see a draft: autosaving leaves the page cache alone."""
        return False
