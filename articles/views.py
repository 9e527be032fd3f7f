from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponsePermanentRedirect
from django.views.generic import DetailView, ListView

from articles.models import Article

# WordPress's addresses for one post or page: /?p=123 and /?page_id=123.
WORDPRESS_ID_PARAMETERS = ("p", "page_id")


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        for parameter in WORDPRESS_ID_PARAMETERS:
            if parameter in request.GET:
                return wordpress_id_redirect(request.GET[parameter])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().only(
            "title",
            "slug",
            "summary",
            "published_at",
            "status",
            "featured_image",
            "featured_image_alt",
            "featured_image_width",
            "featured_image_height",
        )


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


def _moved_permanently(articles):
    article = articles.published().only("slug").first()
    if article is None:
        raise Http404("No article has this old address.")
    return HttpResponsePermanentRedirect(article.get_absolute_url())


def wordpress_id_redirect(post_id: str):
    """``/?p=ID``: the article imported from that WordPress post, if readers may see it."""
    if not post_id.isdigit():
        raise Http404("Not a WordPress post id.")
    return _moved_permanently(Article.objects.filter(wp_post_id=int(post_id)))


def wordpress_permalink_redirect(request, slug, year=None, month=None, day=None):
    """Old WordPress permalinks (``/2023/04/01/slug/``, ``/2023/04/slug/``, ``/slug/``).

    The slug decides: dates in old links were often wrong after edits, and WordPress itself
    finds a post by its slug. Only articles readers may see; anything else is 404.
    """
    from articles.wordpress import wordpress_slug  # with the importer's HTML libraries: lazily

    slug = wordpress_slug(slug)
    if not slug:
        raise Http404("No article has this old address.")
    return _moved_permanently(Article.objects.filter(slug=slug))
