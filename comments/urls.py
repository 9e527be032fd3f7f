from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("token/", views.form_token, name="token"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
