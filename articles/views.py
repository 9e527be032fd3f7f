from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.views.generic import DetailView, ListView

from articles.models import Article
from articles.pagecache import honour_query_parameter


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().only(
            "title", "slug", "summary", "published_at", "status"
        )

    def paginate_queryset(self, queryset, page_size):
        paginated = super().paginate_queryset(queryset, page_size)
        if "page" in self.request.GET:  # a page in range: Django answered 404 otherwise
            honour_query_parameter(self.request, "page")
        return paginated


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
        articles = Article.objects.select_related("call_to_action", "author", "reviewed_by")
        return articles if self._previews() else articles.published()

    def _previews(self) -> bool:
        return self.request.user.is_active and self.request.user.is_staff

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


def sitemap(request, sitemaps):
    """Django's sitemap.xml; its further pages (``?p=2``, past 50,000 articles) are its own
    addresses, and it answers 404 for a page out of range."""
    response = sitemap_views.sitemap(request, sitemaps)
    if "p" in request.GET:
        honour_query_parameter(request, "p")
    return response
