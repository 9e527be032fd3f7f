from django.conf import settings
from django.contrib import admin
from django.contrib.flatpages import views as flatpage_views
from django.urls import include, path
from django.views.generic import TemplateView

from articles.uploads import StaffImageUploadView, StaffMarkdownifyView

urlpatterns = [
    path("admin/", admin.site.urls),
    # markdownx's endpoints, wrapped: staff only, sanitised preview, decoded uploads.
    path("markdownx/upload/", StaffImageUploadView.as_view(), name="markdownx_upload"),
    path("markdownx/markdownify/", StaffMarkdownifyView.as_view(), name="markdownx_markdownify"),
    path("comments/", include("comments.urls")),
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
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
