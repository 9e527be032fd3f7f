from django.views.generic import DetailView, ListView

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
    """One article. Staff may preview drafts and scheduled articles; readers get 404."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        articles = Article.objects.select_related("call_to_action", "author")
        if self.request.user.is_active and self.request.user.is_staff:
            return articles
        return articles.published()
