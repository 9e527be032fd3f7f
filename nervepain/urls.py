from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from articles.uploads import StaffImageUploadView, StaffMarkdownifyView
from comments.overview import overview as comments_overview
from nervepain.login import admin_login

urlpatterns = [
    path(f"{settings.ADMIN_PATH}login/", admin_login),
    # The moderators' overview: an admin page of the comments app, outside CommentAdmin.
    path(
        f"{settings.ADMIN_PATH}comments/overview/",
        admin.site.admin_view(comments_overview),
        name="comments-overview",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
    # markdownx's endpoints, wrapped: staff only, sanitised preview, decoded uploads.
    path("markdownx/upload/", StaffImageUploadView.as_view(), name="markdownx_upload"),
    path("markdownx/markdownify/", StaffMarkdownifyView.as_view(), name="markdownx_markdownify"),
    path("comments/", include("comments.urls")),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", lambda request: redirect(static("img/favicon.svg"), permanent=True)),
    # Staff edit it in the admin (Flat pages); a migration creates it.
    path("privacy/", flatpage_views.flatpage, {"url": "/privacy/"}, name="privacy"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    # The site-wide medical disclaimer: a flatpage staff edit in the admin.
    path(
        "medical-disclaimer/",
        flatpage_views.flatpage,
        {"url": "/medical-disclaimer/"},
        name="medical-disclaimer",
    ),
    path("", include("articles.urls")),
    # Keep last: old WordPress permalinks (/slug/, /2023/04/slug/...) redirect to articles.
    path("", include("wordpress.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
