import functools
import re
from urllib.parse import unquote

from django import template
from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, When
from django.template.defaultfilters import pluralize
from django.utils.safestring import mark_safe

from articles import disclaimer, search
from articles.desk import desk
from articles.markdown import has_own_numbers, render_markdown
from articles.models import Article
from articles.structured_data import (
    article_graph,
    collection_graph,
    json_ld_script,
    profile_graph,
    site_graph,
)

register = template.Library()


@register.filter
def address_words(path: str) -> str:
    """The words of an address's last part, for the search box of its "Page not found": the
    reader of a mistyped or cut-off link ("/articles/why-nerve-pain-flar/") searches it in
    one tap. "" for an address without words ("/?p=43", "/2023/04/")."""
    last = unquote(path).rstrip("/").rpartition("/")[2]
    last = re.sub(r"\.[a-z0-9]{1,5}$", "", last, flags=re.IGNORECASE)  # .html, .php
    words = [word for word in re.split(r"[\W_]+", last) if word and not word.isdigit()]
    return search.clean_query(" ".join(words))


# Domains kept for examples (RFC 2606): no reader's email reaches an address at one of them.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
EXAMPLE_SUFFIXES = (".example", ".invalid", ".test", ".localhost")


@register.simple_tag
def example_contact_email() -> str:
    """The site's contact address when it is still an example one (the shipped
    "editors@example.org"), which readers see on Contact and Privacy and cannot write to;
    else "". For the admin's home page."""
    from articles.site_pages import site_settings

    email = (site_settings().get("contact_email") or "").strip()
    domain = email.rpartition("@")[2].lower()
    if domain in EXAMPLE_DOMAINS or domain.endswith(EXAMPLE_SUFFIXES):
        return email
    return ""


# Periods a page states that the site's settings decide: written as "{ip_days}" in a page's
# text, shown as the setting says ("30 days"), so the privacy page never says one number while
# the site keeps data for another.
PAGE_PERIODS = {
    "{ip_days}": "COMMENTS_IP_RETENTION_DAYS",  # then cleared (make clear-ips)
    "{deleted_days}": "COMMENTS_SPAM_RETENTION_DAYS",  # then emptied (make clear-spam)
}


@register.filter
def page_text(text):
    """A publisher's page (a flatpage) as readers see it: its Markdown (or the HTML it was
    written in), sanitised like an article's text, with each of ``PAGE_PERIODS`` filled in."""
    # nh3 kept only what an article may hold; the periods are numbers.
    return mark_safe(fill_page_periods(_page_html(str(text))))


def fill_page_periods(html: str) -> str:
    """Each of ``PAGE_PERIODS`` in a page's HTML as the settings say ("30 days"): for readers,
    and in the page editor's preview (``StaffMarkdownifyView``)."""
    for placeholder, setting in PAGE_PERIODS.items():
        if placeholder in html:
            days = int(getattr(settings, setting))
            html = html.replace(placeholder, f"{days} day{pluralize(days)}")
    return html


@functools.lru_cache(maxsize=32)
def _page_html(text: str) -> str:
    """Rendered once per text: flatpages are not in the page cache, and rendering the privacy
    page on every view made it cost 15.2 ms (median) instead of 7.6-9.0. An edited page is a
    new text, so a new entry."""
    return render_markdown(text)


@register.simple_tag
def article_json_ld(article, comment_count=0):
    """The article page's JSON-LD ``@graph`` in a ``<script type="application/ld+json">``."""
    return json_ld_script(article_graph(article, comment_count=comment_count))


@register.simple_tag
def profile_json_ld(person):
    """A profile page's JSON-LD: ``ProfilePage`` and the ``Person`` (or team) it is about."""
    return json_ld_script(profile_graph(person))


@register.simple_tag
def medical_disclaimer():
    """The site's medical disclaimer (``title``, ``content``), read where a page part shows it,
    so a page whose article part comes from the fragment cache does not read it."""
    return disclaimer.medical_disclaimer()


@register.filter
def own_numbers(entries) -> bool:
    """``{% if entries|own_numbers %}``: the headings of this contents list number themselves."""
    return has_own_numbers(entries or [])


@register.filter
def get_count(counts, key) -> int:
    """``{{ counts|get_count:article.pk }}``: a count from a dict of counts, 0 if absent."""
    return (counts or {}).get(key, 0)


@register.simple_tag
def collection_json_ld(obj, description=""):
    """A topic's or tag's page: ``CollectionPage`` and its ``BreadcrumbList``."""
    crumbs = getattr(obj, "page_trail", [])
    return json_ld_script(collection_graph(obj, crumbs=crumbs, description=description))


RELATED_COUNT = 4


@register.simple_tag
def related_articles(article, shown=()):
    """Up to four published articles like this one: those sharing its topic and most tags
    first, then those sharing tags, newest first among equals. One query.

    ``shown``: articles the page links to just above (the previous and next in the topic),
    left out rather than listed twice in a row."""
    tag_ids = [tag.pk for tag in article.tag_list]
    if not tag_ids and not article.topic_id:
        return []
    same_topic = Q(topic_id=article.topic_id) if article.topic_id else Q(pk__in=[])
    left_out = [article.pk, *(other.pk for other in shown if other is not None)]
    return list(
        Article.objects.published()
        .for_lists()
        .exclude(pk__in=left_out)
        .annotate(
            shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
            in_topic=Case(When(same_topic, then=1), default=0, output_field=IntegerField()),
        )
        .filter(Q(in_topic=1) | Q(shared_tags__gt=0))
        .order_by("-in_topic", "-shared_tags", "-published_at")[:RELATED_COUNT]
    )


@register.simple_tag
def topic_neighbours(article):
    """``(previous, next)``: the published articles just before and after this one in its
    topic, by publish date (None at either end, or for an article without a topic)."""
    if not article.topic_id or not article.published_at:
        return None, None
    in_topic = (
        Article.objects.published()
        .filter(topic_id=article.topic_id)
        .only("title", "slug", "published_at")
    )
    when = article.published_at
    before = in_topic.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=article.pk))
    after = in_topic.filter(Q(published_at__gt=when) | Q(published_at=when, pk__gt=article.pk))
    return (
        before.order_by("-published_at", "-pk").first(),
        after.order_by("published_at", "pk").first(),
    )


@register.simple_tag
def site_json_ld():
    """The home page's JSON-LD: ``WebSite`` with its ``SearchAction``, and the publisher."""
    return json_ld_script(site_graph())


@register.simple_tag
def editors_desk():
    """The admin home page's panels for editors (``articles.desk``)."""
    return desk()
