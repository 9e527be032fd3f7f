from django.http import Http404, HttpResponsePermanentRedirect
from django.views.generic import DetailView, ListView

from articles.disclaimer import medical_disclaimer
from articles.models import Article
from articles.wordpress import wordpress_slug

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
            "title", "slug", "summary", "published_at", "status"
        )


class ArticleDetailView(DetailView):
    """One article. Staff may preview drafts and scheduled articles; readers get 404.

    A fixed number of queries: the article with its author, reviewer and call-to-action, then
    its references; the medical disclaimer comes from the cache.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        articles = Article.objects.select_related(
            "call_to_action", "author", "reviewed_by"
        ).prefetch_related("references")
        if self.request.user.is_active and self.request.user.is_staff:
            return articles
        return articles.published()

    def get_context_data(self, **kwargs):
        return super().get_context_data(disclaimer=medical_disclaimer(), **kwargs)


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
    slug = wordpress_slug(slug)
    if not slug:
        raise Http404("No article has this old address.")
    return _moved_permanently(Article.objects.filter(slug=slug))
