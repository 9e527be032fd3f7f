from django.views.generic import DetailView, ListView

from articles.disclaimer import medical_disclaimer
from articles.models import Article


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = 20

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
