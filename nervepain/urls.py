from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path, re_path
from django.views.generic import RedirectView, TemplateView

from articles.uploads import StaffImageUploadView, StaffMarkdownifyView, StaffUploadedImagesView
from articles.views import SearchView
from comments.email_settings import email_settings
from comments.overview import overview as comments_overview
from nervepain.login import admin_login

# A database error outside a view is the "back in a minute" page too (nervepain.outage).
handler500 = "nervepain.outage.server_error"
# 400.html with the site's name in its header (Django renders it without any context).
handler400 = "nervepain.errors.bad_request"

urlpatterns = [
    path(f"{settings.ADMIN_PATH}login/", admin_login),
    # The moderators' overview: an admin page of the comments app, outside CommentAdmin.
    path(
        f"{settings.ADMIN_PATH}comments/overview/",
        admin.site.admin_view(comments_overview),
        name="comments-overview",
    ),
    # A moderator's own choice of moderation emails, linked from the admin's user tools and
    # from the emails' footer.
    path(
        f"{settings.ADMIN_PATH}comments/email-settings/",
        admin.site.admin_view(email_settings),
        name="comments-email-settings",
    ),
    # The publisher's pages moved from "Flat pages" to "Pages" under Articles: old bookmarks
    # follow them.
    re_path(
        rf"^{settings.ADMIN_PATH}flatpages/flatpage/(?P<rest>.*)$",
        RedirectView.as_view(
            url=f"/{settings.ADMIN_PATH}articles/publisherpage/%(rest)s", query_string=True
        ),
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
    # markdownx's endpoints, wrapped: staff only, sanitised preview, decoded uploads.
    path("markdownx/upload/", StaffImageUploadView.as_view(), name="markdownx_upload"),
    path("markdownx/uploaded/", StaffUploadedImagesView.as_view(), name="markdownx_uploaded"),
    path("markdownx/markdownify/", StaffMarkdownifyView.as_view(), name="markdownx_markdownify"),
    path("comments/", include("comments.urls")),
    # Browsers ask for these on pages that name no icon (the admin's, a feed). Not permanent:
    # the static file's name changes with its content in production.
    path("favicon.ico", lambda request: redirect(static_url("img/favicon.svg"))),
    path("apple-touch-icon.png", lambda request: redirect(static_url("img/logo.png"))),
    path("apple-touch-icon-precomposed.png", lambda request: redirect(static_url("img/logo.png"))),
    # Staff edit it in the admin (Pages, under Articles); a migration creates it.
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
    # The publisher's pages: flatpages a migration creates, staff edit under Flat pages.
    path("about/", flatpage_views.flatpage, {"url": "/about/"}, name="about"),
    path(
        "editorial-policy/",
        flatpage_views.flatpage,
        {"url": "/editorial-policy/"},
        name="editorial-policy",
    ),
    path("contact/", flatpage_views.flatpage, {"url": "/contact/"}, name="contact"),
    # Site search: outside the "articles" namespace, so the page cache never stores a query.
    path("search/", SearchView.as_view(), name="search"),
    path("", include("articles.urls")),
    # Keep last: old WordPress permalinks (/slug/, /2023/04/slug/...) redirect to articles.
    path("", include("wordpress.urls")),
]
# Uploaded images (MEDIA_URL) are served by nervepain.media.MediaMiddleware, debug mode or not.
