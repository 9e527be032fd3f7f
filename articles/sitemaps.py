"""sitemap.xml: the home page and the topics index, published articles with their
last-modified date, the topics and tags that list any, the public profiles and the
publisher's pages."""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Person, Tag, Topic


class SiteSitemap(Sitemap):
    """Addresses come from ``SITE_URL`` (not from contrib.sites' placeholder domain)."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class IndexSitemap(SiteSitemap):
    """The pages that lead to every article: the home page and the topics index."""

    def items(self):
        return ["articles:list", "articles:topics"]

    def location(self, item):
        return reverse(item)

    @functools.cached_property
    def _latest_change(self):
        latest = Article.objects.published().order_by("-updated_at").only("updated_at").first()
        return latest.updated_at if latest else None

    def lastmod(self, item):
        return self._latest_change  # they change when an article is published or updated


class ArticleSitemap(SiteSitemap):
    def items(self):
        return (
            Article.objects.published()
            .only("slug", "published_at", "updated_at")
            .order_by("-published_at")
        )

    def lastmod(self, item):
        return item.modified_at


def _listing(model, lookup):
    """Rows of ``model`` that list at least one published article (through ``lookup``)."""
    published = Article.objects.published()
    return model.objects.filter(pk__in=published.values(lookup)).order_by("pk")


class TopicSitemap(SiteSitemap):
    def items(self):
        parents = _listing(Topic, "topic__parent")
        return (_listing(Topic, "topic") | parents).distinct().order_by("pk")


class TagSitemap(SiteSitemap):
    def items(self):
        return _listing(Tag, "tags")


class PersonSitemap(SiteSitemap):
    def items(self):
        return Person.objects.public().order_by("pk")


class PageSitemap(SiteSitemap):
    """The publisher's pages anyone may read (About, Privacy... and those editors add)."""

    def items(self):
        pages = FlatPage.objects.filter(sites=settings.SITE_ID, registration_required=False)
        return pages.order_by("url")


SITEMAPS = {
    "index": IndexSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "tags": TagSitemap,
    "people": PersonSitemap,
    "pages": PageSitemap,
}
