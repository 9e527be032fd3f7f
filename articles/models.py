import datetime
from urllib.parse import urlsplit

import reversion
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from articles.markdown import (
    analyse,
    broken_link,
    missing_scheme,
    narrower_copies,
    plain_text,
    reading_minutes,
    relative_link,
    render_markdown,
    table_of_contents,
)

# The fields Article.save() derives from the body (and its references); never edited by hand.
DERIVED_FIELDS = ("body_html", "toc", "word_count", "search_headings", "search_text")


def web_url(value: str) -> str:
    """``value`` if it is an http(s) address, else "": what a template may put in an href."""
    return value if urlsplit(value or "").scheme.lower() in {"http", "https"} else ""


def validate_link(value: str) -> None:
    """Accept a relative link, an in-page anchor, or an http(s)/mailto URL; nothing else."""
    parts = urlsplit(value.strip())
    if parts.scheme and parts.scheme.lower() not in {"http", "https", "mailto", "tel"}:
        raise ValidationError(
            _("Use a link to a page (https://…, /path or #anchor), mailto: or tel:.")
        )
    if broken_link(value):  # "mailto:" or "tel:" with nothing after it
        raise ValidationError(
            _("Finish the link's address: %(link)s leads nowhere."), params={"link": value.strip()}
        )
    if parts.scheme.lower() in {"http", "https"} and not parts.netloc:
        raise ValidationError(_("A web address needs a host name."))
    if missing_scheme(value):  # "example.org/join" led to this site's "Page not found"
        raise ValidationError(
            _(
                "Begin a link to another site with https:// (an email address with mailto:), "
                "or link to this site with /path or #anchor."
            )
        )
    if relative_link(value):  # "respond" led to /articles/<slug>/respond, "Page not found"
        raise ValidationError(
            _(
                "Begin a link to this site with / (as /articles/…), or to a part of the page "
                "with # (#respond is the comment form)."
            )
        )


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


class SiteSettings(models.Model):
    """What editors set once for the whole site: the address readers write to.

    One row (``load()``); the Contact and Privacy pages show the address, read from the shared
    cache and forgotten whenever the row is saved (``articles.site_pages``).
    """

    contact_email = models.EmailField(
        _("contact email"),
        help_text=_("Where readers write to the editors; shown on the Contact and Privacy pages."),
    )
    postal_address = models.TextField(
        _("postal address"), blank=True, help_text=_("Optional; shown on the Contact page.")
    )

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    def __str__(self):
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        self.pk = 1  # one row for the whole site
        super().save(*args, **kwargs)


class PublisherPage(FlatPage):
    """The publisher's pages (About, Editorial policy, Contact, Privacy, the medical disclaimer,
    and any page an editor adds): Django's flatpages, as editors meet them in the admin, where
    they are "Pages" named by their titles, not "Flat pages" named "/about/ -- About ..."."""

    class Meta:
        proxy = True
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title


class PageLink(models.Model):
    """A page linked from a part of every page (the header, the footer), in the words and
    order editors choose. Read once into the shared cache (``articles.site_pages.site_links``).
    """

    label = models.CharField(
        _("link text"),
        max_length=40,
        help_text=_("A word or two, as readers see the link: About, Privacy, Contact..."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=100,
        help_text=_("Links run from the lowest number to the highest; 100 puts a link at the end."),
    )

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class FooterLink(PageLink):
    """A page linked from every page's footer (a page with no link anywhere is reached only
    from links in the text). The shipped pages are at 10, 20, 30, 40 and 50."""

    page = models.OneToOneField(
        FlatPage, on_delete=models.CASCADE, related_name="footer_link", verbose_name=_("page")
    )

    class Meta(PageLink.Meta):
        verbose_name = _("footer link")
        verbose_name_plural = _("footer links")


class HeaderLink(PageLink):
    """A page linked from every page's header, after Topics: kept to a few, as the header
    shares a phone's width with the site's name (About, shipped at 10)."""

    page = models.OneToOneField(
        FlatPage, on_delete=models.CASCADE, related_name="header_link", verbose_name=_("page")
    )

    class Meta(PageLink.Meta):
        verbose_name = _("header link")
        verbose_name_plural = _("header links")


# Versions of a proxy's objects are kept under its concrete model (django-reversion's
# ``for_concrete_model``), which must be registered too: a page's History, revert and
# "Recover deleted pages" read them as flatpages.
reversion.register(FlatPage)


def validate_same_as(value: str) -> None:
    """One https/http address per line: the person's pages elsewhere."""
    check = URLValidator(schemes=["http", "https"])
    for line in value.splitlines():
        if line.strip():
            try:
                check(line.strip())
            except ValidationError:
                raise ValidationError(
                    _("Not a web address: %(line)s. Put one https://… address per line."),
                    params={"line": line.strip()[:80]},
                ) from None


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People (and teams) with a profile page readers may open."""
        return self.filter(is_public=True)


class Person(models.Model):
    """Someone readers see named on an article: its author, or the health professional who
    reviewed it; or the editorial team, for articles no one person wrote.

    The public side of a person (the login is ``user``, optional). Only a public person has a
    profile page; bylines and review lines link to it then, and name the person either way.
    """

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        TEAM = "team", _("Team or organisation")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=140, unique=True, help_text=_("The profile's address: /people/slug/")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    credentials = models.CharField(
        _("credentials"),
        max_length=60,
        blank=True,
        help_text=_("Letters after the name, for example MD or DPT."),
    )
    job_title = models.CharField(
        _("role"),
        max_length=120,
        blank=True,
        help_text=_("For example Consultant neurologist, or Health writer."),
    )
    bio = models.TextField(
        _("short bio"),
        blank=True,
        help_text=_("A few sentences, plain text, shown on the profile."),
    )
    photo = models.ImageField(
        _("photo"),
        upload_to="people/",
        blank=True,
        help_text=_(
            "A portrait, shown as a small circle: kept as the square at its centre, without "
            "the camera's details (such as where it was taken)."
        ),
    )
    same_as = models.TextField(
        _("links"),
        blank=True,
        validators=[validate_same_as],
        help_text=_(
            "Optional: the person's pages elsewhere (professional register, university, "
            "LinkedIn), one https://… address per line."
        ),
    )
    is_public = models.BooleanField(
        _("public profile"),
        default=False,
        help_text=_("Show a profile page and link bylines to it."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="profile",
        help_text=_("Optional: the account this person signs in with, if any."),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    def get_absolute_url(self):
        return reverse("articles:person", kwargs={"slug": self.slug})

    @property
    def is_team(self) -> bool:
        return self.kind == self.Kind.TEAM

    @property
    def links(self) -> list[str]:
        """The ``same_as`` addresses that are web addresses (forms check them; data may not)."""
        return [url for url in (web_url(line.strip()) for line in self.same_as.splitlines()) if url]


class Topic(models.Model):
    """What an article is mainly about, like a WordPress category: each article has one.

    Two levels at most (a topic and its subtopics), which is all a small publisher's menu
    needs and keeps breadcrumbs to one query.
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text=_("Optional: makes this a subtopic. Subtopics cannot have subtopics."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("A sentence or two for the topic's page and its meta description."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Topics are listed in this order, then by name.")
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        return reverse("articles:topic", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id is not None:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("A topic cannot be its own parent.")})
            if self.parent.parent_id is not None:
                raise ValidationError({"parent": _("Choose a main topic: subtopics stop here.")})
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": _("This topic has subtopics, so it must stay a main topic.")}
                )

    @property
    def crumbs(self) -> list:
        """The topics above this one, for breadcrumbs (its parent, if it has one)."""
        return [self.parent] if self.parent_id else []

    @property
    def page_trail(self) -> list:
        """The way up from the topic's own page: Topics (the list every topic page is in, as its
        address says), then the parent, if any. A main topic's page had no trail, so the list
        of all topics was reached only through the header (NHS.UK: Home > Health A to Z >)."""
        return [TopicsPage(), *self.crumbs]


class TopicsPage:
    """The list of all topics as a breadcrumb step: a name and an address, as a topic has."""

    @property
    def name(self) -> str:
        return str(_("Topics"))

    def get_absolute_url(self):
        return reverse("articles:topics")


class Tag(models.Model):
    """A keyword articles share (many per article): treatments, symptoms, body parts."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: published, with a publish date that has arrived."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_people(self):
        """With who wrote and who reviewed each article, in the same query."""
        return self.select_related("byline", "author__profile", "reviewed_by")

    def for_lists(self):
        """What a list of articles shows (title, summary, topic, people), in one query."""
        return self.with_people().select_related("topic").defer(*self.LIST_DEFERRED)

    # What lists never show: the body in its forms, and what search reads.
    LIST_DEFERRED = (
        "body",
        "body_html",
        "toc",
        "search_headings",
        "search_text",
        "search_topics",
        "search_vector",
    )

    def in_topic(self, topic):
        """Articles whose main topic is ``topic`` or one of its subtopics."""
        return self.filter(Q(topic=topic) | Q(topic__parent=topic))

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
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_(
            "The main topic: the condition the article is about, for example Peripheral "
            "neuropathy. The article is listed on its page (and its parent topic's)."
        ),
    )
    tags = models.ManyToManyField(
        Tag,
        verbose_name=_("tags"),
        blank=True,
        related_name="articles",
        help_text=_("Keywords readers may follow to similar articles."),
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
    # What site search reads (articles.search): the headings' and the body's plain text, and
    # on PostgreSQL the weighted tsvector of title, summary, headings and body.
    search_headings = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    # Its topic's, the topic's parent's and its tags' names: a reader searching "neuropathy"
    # finds the articles filed under Peripheral neuropathy (``articles.search.refresh``).
    search_topics = models.TextField(editable=False, default="")
    search_vector = SearchVectorField(null=True, editable=False)
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
    byline = models.ForeignKey(
        Person,
        verbose_name=_("byline"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_(
            "Who readers see as the writer: a person, or the editorial team. Empty: the "
            "author's own profile."
        ),
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
        Person,
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
        self.update_search_vector()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def modified_at(self):
        """When the article last changed for readers: its last save, or its publication when
        that came later (an article saved, then published on its scheduled date)."""
        if self.published_at and (self.updated_at is None or self.published_at > self.updated_at):
            return self.published_at
        return self.updated_at

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._loaded_slug = article.__dict__.get("slug")  # a renamed page is purged too
        article._loaded_topic_id = article.__dict__.get("topic_id")  # and a topic it left
        return article

    @property
    def surrogate_key(self) -> str:
        """The front-cache key of this article's own page (``articles.frontcache.PAGE_KEYS``)."""
        return f"article:{self.slug}"

    def surrogate_keys(self) -> set[str]:
        """The keys of every page that shows this article: its own (under its old address
        too, if the slug changed), the home page, the feeds, the sitemap, the topics list, its
        topics' pages (the one it left too), its tags' pages, its people's profiles, and the
        pages of the articles that may list it as related or previous/next (same topic, or
        a shared tag)."""
        keys = {self.surrogate_key, "home", "feeds", "sitemap", "topics"}
        loaded = getattr(self, "_loaded_slug", None)
        if loaded and loaded != self.slug:
            keys.add(f"article:{loaded}")
        topic_ids = {self.topic_id, getattr(self, "_loaded_topic_id", None)} - {None}
        topics = Topic.objects.filter(Q(pk__in=topic_ids) | Q(children__in=topic_ids))
        keys.update(f"topic:{slug}" for slug in topics.values_list("slug", flat=True))
        people = Q(pk__in={self.byline_id, self.reviewed_by_id} - {None})
        if self.author_id:
            people |= Q(user_id=self.author_id)
        keys.update(
            f"person:{slug}"
            for slug in Person.objects.filter(people).values_list("slug", flat=True)
        )
        if self.pk:
            tags = list(self.tags.values_list("pk", "slug"))
            keys.update(f"tag:{slug}" for _, slug in tags)
            neighbours = Article.objects.filter(
                Q(topic_id__in=topic_ids) | Q(tags__in=[pk for pk, _ in tags])
            ).exclude(pk=self.pk)
            keys.update(
                f"article:{slug}" for slug in neighbours.values_list("slug", flat=True).distinct()
            )
        return keys

    @property
    def topic_trail(self) -> list:
        """The way up from the article, for breadcrumbs: Topics, its topic's parent, then its
        topic, as its topic's own page leads up (NHS.UK: Home > Health A to Z > ...). Without
        Topics the two trails differed by a step, and the list of all topics was a step the
        article's trail skipped."""
        return [*self.topic.page_trail, self.topic] if self.topic_id else []

    @property
    def writer(self) -> "Person | None":
        """Who the byline names: the chosen byline, else the author's profile, if any."""
        if self.byline_id:
            return self.byline
        author = self.author
        return getattr(author, "profile", None) if author is not None else None

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
    def tag_list(self) -> list:
        """The tags, read once, when a page part that shows them is rendered (the tag list,
        related articles and the structured data share it)."""
        return list(self.tags.all()) if self.pk else []  # an editor's unsaved preview: none yet

    @cached_property
    def reference_list(self) -> list:
        """The references, read once (and only when a page part that shows them is rendered),
        however many parts show them: the reference list and the structured data."""
        return self.mark_cited(list(self.references.all()))

    def mark_cited(self, references: list) -> list:
        """Each reference's ``cited``: whether the rendered body cites it, for its "Back to
        text" link (``render_markdown`` gives its first citation an id)."""
        for reference in references:
            reference.cited = f'id="cite-{reference.key}"' in self.body_html
        return references

    def render_body(self, keys: list[str] | None = None) -> None:
        """Render the body, with citations numbered like the references (``keys``, in order;
        by default the stored ones), and what derives from it: the contents and word count."""
        if keys is None:
            keys = list(self.references.values_list("key", flat=True)) if self.pk else []
        self.body_html = render_markdown(self.body, citations=keys)
        analysis = analyse(self.body_html)
        self.toc = table_of_contents(analysis.headings)
        self.word_count = analysis.word_count
        self.search_headings = plain_text(" ".join(h["title"] for h in analysis.headings))
        self.search_text = plain_text(analysis.search_text)

    def update_search_vector(self) -> None:
        """Store what site search reads besides the text: its topics' and tags' names, and on
        PostgreSQL the weighted document (``articles.search.refresh``)."""
        from articles.search import refresh

        if self.pk:
            refresh([self.pk])

    def sign_off_review(
        self,
        reviewer: "Person",
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
    shown_to_readers = False  # autosaving leaves the page cache alone

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


class BodyImage(models.Model):
    """An image uploaded in an editor (an article's, a page's, a call-to-action's) or under
    Articles, Images, as stored (``uploads/<random>-<w>x<h>.<ext>``, its narrower copies
    beside it). That list says what shows each, and deletes one nothing shows, with its copies.
    """

    shown_to_readers = False  # uploading or deleting one changes no page by itself

    path = models.CharField(_("stored as"), max_length=255, unique=True)
    # What the file was called where it came from ("knee-stretch.jpg"): how editors find it
    # again. Staff see it; readers see only the stored name.
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.original_name or self.stored_name

    @property
    def stored_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        return default_storage.url(self.path)

    @property
    def thumb_url(self) -> str:
        """Its narrowest copy (480 pixels wide), or itself if it has none: for lists."""
        files = self.stored_files()
        return default_storage.url(files[1] if len(files) > 1 else files[0])

    def stored_files(self) -> list[str]:
        """The image and its narrower copies, as the upload stored them."""
        return [self.path, *(name for _width, name in narrower_copies(self.path, self.width))]
