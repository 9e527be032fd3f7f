from django.urls import path

from comments import feeds, reader_views, views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("token/", views.form_token, name="token"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<comment_id:pk>/edit/", reader_views.edit_comment, name="edit"),
    path("<comment_id:pk>/delete/", reader_views.delete_comment, name="delete"),
    path("<comment_id:pk>/deleted/", reader_views.comment_deleted, name="deleted"),
    path("<comment_id:pk>/report/", reader_views.report_comment, name="report"),
    path("<comment_id:pk>/reported/", reader_views.comment_reported, name="reported"),
    path("feed/<int:pk>/", feeds.ArticleCommentsFeed(), name="feed_rss"),
    path("feed/<int:pk>/atom/", feeds.ArticleCommentsAtomFeed(), name="feed_atom"),
]
