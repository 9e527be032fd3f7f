"""RSS and Atom feeds of published articles, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article
from articles.structured_data import absolute

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """RSS 2.0. Links are absolute from ``SITE_URL``, like the rest of the site's metadata."""

    def title(self):
        return f"{settings.SITE_NAME}: health articles"

    def description(self):
        return settings.SITE_DESCRIPTION

    subtitle = description

    def link(self):
        return absolute(reverse("articles:list"))

    def feed_url(self):
        return absolute(reverse("articles:feed_rss"))

    def items(self):
        return Article.objects.published().select_related("author")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return (item.author.get_full_name() if item.author else "") or None


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The same articles as Atom 1.0."""

    feed_type = Atom1Feed

    def feed_url(self):
        return absolute(reverse("articles:feed_atom"))
