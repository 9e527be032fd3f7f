from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles import feeds, views
from articles.sitemaps import ArticleSitemap

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": {"articles": ArticleSitemap}}, name="sitemap"),
]
