from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from articles.markdown import render_markdown


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


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: published, with a publish date that has arrived."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())


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
    body = MarkdownxField(_("body"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False, default="")
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

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

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
