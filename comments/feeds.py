"""The comments feed of an article: RSS and Atom, public comments only, names but no emails."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from comments.models import Comment, comment_url
from comments.moderation import moderator
from comments.notifications import absolute
from comments.render import visible_rows

FEED_LENGTH = 50


def commented_article(pk):
    """The published article (of the model registered for discussion) with this id."""
    for model in moderator._registry:
        found = model._default_manager.published().filter(pk=pk).first()
        if found is not None:
            return found
    raise Http404("No such article.")


def _not_on_the_page(article) -> list[int]:
    """Public replies the article's page does not show: those ``visible_rows`` leaves out,
    under a comment it does not show (held, spam or removed by a moderator); almost always
    none. A comment deleted by its writer keeps its place for the replies under it."""
    threads = Comment.objects.for_object(article).in_threads().select_related(None)
    rows = list(threads.order_by("level").values_list("pk", "parent_id", "state"))  # parents first
    shown = {row[0] for row in visible_rows(rows, state_at=2)}
    return [pk for pk, _parent, state in rows if pk not in shown and state != Comment.State.REMOVED]


class ArticleCommentsFeed(Feed):
    """RSS 2.0: the newest public comments of one article."""

    def get_object(self, request, pk):
        return commented_article(pk)

    def title(self, article):
        return f"Comments on {article.title} | {settings.SITE_NAME}"

    def link(self, article):
        return absolute(article.get_absolute_url() + "#comments")

    def description(self, article):
        return f"The newest public comments on {article.title}."

    subtitle = description

    def feed_url(self, article):
        return absolute(reverse("comments:feed_rss", args=[article.pk]))

    def items(self, article):
        public = Comment.objects.for_object(article).public().select_related(None)
        comments = list(
            public.exclude(pk__in=_not_on_the_page(article))
            .only("pk", "user_name", "submit_date", "comment_html", "site_note")
            .order_by("-submit_date", "-pk")[:FEED_LENGTH]
        )
        for comment in comments:  # titles and links name the article without a query each
            comment.feed_article = article
        return comments

    def item_title(self, item):
        return f"{item.user_name} on {item.feed_article.title}"

    def item_description(self, item):
        # comment_html was escaped and sanitised by comments.text when the comment was saved.
        # A note from the site was the condition of publishing a comment (a medical claim's
        # "Please talk to your doctor…"): it goes with it, as on the page.
        if not item.site_note:
            return item.comment_html
        return format_html(
            '{}<p class="site-note"><strong>From {}:</strong> {}</p>',
            mark_safe(item.comment_html),  # sanitised when saved, as above
            settings.SITE_NAME,
            item.site_note,
        )

    def item_link(self, item):
        return absolute(comment_url(item.feed_article, item.pk))

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.submit_date

    def item_author_name(self, item):
        return item.user_name


class ArticleCommentsAtomFeed(ArticleCommentsFeed):
    """The same comments as Atom 1.0."""

    feed_type = Atom1Feed

    def feed_url(self, article):
        return absolute(reverse("comments:feed_atom", args=[article.pk]))
