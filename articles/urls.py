from django.urls import path

from articles import feeds, views
from articles.sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("topics/", views.TopicListView.as_view(), name="topics"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic"),
    path("topics/<slug:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("sitemap.xml", views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
