from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView

from articles import search
from articles.models import Article, Person, Tag, Topic
from articles.pagecache import honour_query_parameter


def topic_menu():
    """Main topics with their subtopics and how many published articles each lists (its own
    and its subtopics'), in two queries; topics with nothing published are left out."""
    published = Article.objects.published()
    counts = dict(
        published.filter(topic__isnull=False)
        .values_list("topic_id")
        .annotate(n=Count("pk"))
        .values_list("topic_id", "n")
    )
    menu = []
    for topic in Topic.objects.filter(parent__isnull=True).prefetch_related("children"):
        children = [child for child in topic.children.all() if counts.get(child.pk)]
        for child in children:
            child.article_count = counts[child.pk]
        topic.article_count = counts.get(topic.pk, 0) + sum(c.article_count for c in children)
        topic.listed_children = children
        if topic.article_count:
            menu.append(topic)
    return menu


class PaginatedListView(ListView):
    """A reader list whose ``?page=N`` the page cache may store (``articles.pagecache``)."""

    def paginate_queryset(self, queryset, page_size):
        paginated = super().paginate_queryset(queryset, page_size)
        if "page" in self.request.GET:  # a page in range: Django answered 404 otherwise
            honour_query_parameter(self.request, "page")
        return paginated


class ArticleListView(PaginatedListView):
    """The home page: the latest article featured, then the recent ones (with their topic,
    byline and comment count), paginated, and the topics to browse."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 10

    def get_queryset(self):
        return Article.objects.published().for_lists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["articles"])
        first_page = context["page_obj"].number == 1
        context["featured"] = page[0] if first_page and page else None
        context["recent"] = page[1:] if first_page else page
        context["topics"] = topic_menu() if first_page else []
        return context


class SearchView(ListView):
    """Site search (``?q=``): ranked published articles with highlighted snippets, ten a
    page. Without a query, or without results, the topics and how to search better.

    Outside the page cache's reader pages on purpose: no copy per query is ever stored in the
    shared cache, and the answer tells browsers and proxies to keep none either.
    """

    template_name = "articles/search.html"
    context_object_name = "articles"
    paginate_by = 10

    def get_queryset(self):
        self.query = search.clean_query(self.request.GET.get("q", ""))
        self.results = None
        self.some_words = False
        if not self.query:
            return Article.objects.none()
        articles = (
            Article.objects.published()
            .with_people()
            .select_related("topic")
            .defer("body", "body_html", "toc", "search_vector")
        )
        self.results = search.search(articles, self.query)
        # No article has every word ("nerve pain after physiotherapy"): those with some of
        # them, said so, rather than "No results found" for a reader's own words.
        self.some_words = len(search.words(self.query)) > 1 and not self.results.articles.exists()
        if self.some_words:
            self.results = search.search(articles, self.query, any_word=True)
        return self.results.articles

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["articles"])
        if self.results is not None:
            self.results.highlight(page)
        context.update(
            articles=page,
            search_query=self.query,
            # Said between quotes: a query in quotes of its own read “"nerve pain"”.
            query_words=self.query.strip("\"'\u201c\u201d\u2018\u2019 ") or self.query,
            result_count=context["paginator"].count if self.query else 0,
            topics=topic_menu() if not page else [],
            long_query=len(search.words(self.query)) > 2,
            some_words=self.some_words,
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_cache_control(response, private=True, no_cache=True)
        return response


class TopicListView(ListView):
    """Every main topic with its subtopics and article counts."""

    template_name = "articles/topic_list.html"
    context_object_name = "topics"

    def get_queryset(self):
        return topic_menu()


class TopicDetailView(PaginatedListView):
    """A topic's page: its description, subtopics and articles (its own and its subtopics'),
    newest first, paginated, with a feed. Queries: the topic (with its parent), its
    subtopics, the count and the page of articles with their people."""

    template_name = "articles/topic_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.topic = get_object_or_404(
            Topic.objects.select_related("parent").prefetch_related(
                Prefetch("children", queryset=Topic.objects.order_by("position", "name"))
            ),
            slug=self.kwargs["slug"],
        )
        return Article.objects.published().for_lists().in_topic(self.topic)

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)


class TagDetailView(PaginatedListView):
    """A tag's page: the articles carrying it, newest first, paginated, with a feed."""

    template_name = "articles/tag_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().for_lists().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArticleDetailView(DetailView):
    """One article. Staff may preview drafts and scheduled articles; readers get 404.

    A fixed number of queries, whatever the number of comments: for readers none once the
    article and the page parts are cached (under the page version, see ``articles.pagecache``);
    otherwise the article with its author, reviewer and call-to-action, its references when
    the article part is rendered, and the comments (``comments.templatetags.discussion``).
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # References (``Article.reference_list``) and the disclaimer are read only when the
        # article part of the page is rendered, not when it comes from the fragment cache.
        articles = Article.objects.with_people().select_related("call_to_action", "topic__parent")
        return articles if self._previews() else articles.published()

    def _previews(self) -> bool:
        return self.request.user.is_active and self.request.user.is_staff

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            article = self._guessed(self.kwargs[self.slug_url_kwarg])
            if article is None:
                raise
            return HttpResponsePermanentRedirect(article.get_absolute_url())

    # A shorter start than this guesses from too little ("why-" would pick one of many).
    GUESS_MIN_LENGTH = 12

    @classmethod
    def _guessed(cls, slug: str):
        """The published article an address that is not one meant, as WordPress guesses
        (``redirect_guess_404_permalink``): its slug in capitals (typed, or from an old
        link), or the start of exactly one slug (a link cut short in a message); else None."""
        published = Article.objects.published().only("slug")
        lower = slug.lower()
        if lower != slug and (article := published.filter(slug=lower).first()):
            return article
        if len(lower) < cls.GUESS_MIN_LENGTH:
            return None
        found = list(published.filter(slug__startswith=lower)[:2])
        return found[0] if len(found) == 1 else None

    def get_object(self, queryset=None):
        """Readers' articles come from the cache, under the page version like the page parts
        (any change to what pages show moves it on); staff previews are always read."""
        version = getattr(self.request, "page_version", None)
        if self._previews() or version is None or settings.FRAGMENT_CACHE_SECONDS <= 0:
            return super().get_object(queryset)
        key = f"articles:published:{self.kwargs[self.slug_url_kwarg]}:{version}"
        article = cache.get(key)
        if article is None:
            article = super().get_object(queryset)
            cache.set(key, article, settings.FRAGMENT_CACHE_SECONDS)
        return article


class PersonDetailView(PaginatedListView):
    """A public person's profile (or the editorial team's) and the articles they wrote or
    reviewed, paginated. People without a public profile have no page (404).

    Queries: the person, the count and the page of articles with their people.
    """

    template_name = "articles/person_detail.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        self.person = get_object_or_404(Person.objects.public(), slug=self.kwargs["slug"])
        person = self.person
        written = Q(byline=person) | Q(byline__isnull=True, author__profile=person)
        reviewed = Q(reviewed_by=person, last_reviewed__isnull=False)
        return Article.objects.published().with_people().filter(written | reviewed)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


def sitemap(request, sitemaps):
    """Django's sitemap.xml; its further pages (``?p=2``, past 50,000 articles) are its own
    addresses, and it answers 404 for a page out of range."""
    response = sitemap_views.sitemap(request, sitemaps)
    if "p" in request.GET:
        honour_query_parameter(request, "p")
    return response
