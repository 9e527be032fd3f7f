"""RSS and Atom feeds of published articles, newest first: all of them, a topic's, a tag's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article, Tag, Topic
from articles.structured_data import absolute

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    """RSS 2.0. Links are absolute from ``SITE_URL``, like the rest of the site's metadata."""

    def title(self):
        return f"{settings.SITE_NAME}: health articles"

    def description(self):
        return settings.SITE_DESCRIPTION

    subtitle = description

    def author_name(self):
        # Atom requires an author for the feed or for every entry: the publisher's name.
        return settings.SITE_NAME

    def link(self):
        return absolute(reverse("articles:list"))

    def feed_url(self):
        return absolute(reverse("articles:feed_rss"))

    def items(self):
        return Article.objects.published().select_related("author__profile", "byline")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        """Who the article's byline names (``includes/byline.html``), with credentials."""
        writer = item.writer
        if writer is not None:
            return f"{writer.name}, {writer.credentials}" if writer.credentials else writer.name
        return (item.author.get_full_name() if item.author else "") or None

    def item_author_link(self, item):
        writer = item.writer
        return absolute(writer.get_absolute_url()) if writer and writer.is_public else None


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The same articles as Atom 1.0."""

    feed_type = Atom1Feed

    def feed_url(self):
        return absolute(reverse("articles:feed_atom"))


class TopicFeed(LatestArticlesFeed):
    """RSS of one topic's articles (and its subtopics'), newest first."""

    def get_object(self, request, slug):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj):
        return obj.description or f"Articles about {obj.name} on {settings.SITE_NAME}."

    subtitle = description

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse("articles:topic_feed", kwargs={"slug": obj.slug}))

    def items(self, obj):
        return (
            Article.objects.published()
            .in_topic(obj)
            .select_related("author__profile", "byline")[:FEED_LENGTH]
        )


class TagFeed(LatestArticlesFeed):
    """RSS of the articles carrying one tag, newest first."""

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj):
        return f"{settings.SITE_NAME}: articles tagged {obj.name}"

    def description(self, obj):
        return obj.description or f"Articles tagged {obj.name} on {settings.SITE_NAME}."

    subtitle = description

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse("articles:tag_feed", kwargs={"slug": obj.slug}))

    def items(self, obj):
        return (
            Article.objects.published()
            .filter(tags=obj)
            .select_related("author__profile", "byline")[:FEED_LENGTH]
        )
