"""The admin site: Django's, plus a badge beside a model's name when its admin offers one."""

from django.contrib import admin
from django.utils.html import format_html


class AdminSite(admin.AdminSite):
    """A ModelAdmin with a ``nav_badge(request)`` method returning a number (or None) gets it
    shown beside its name in the sidebar and the app list, on every admin page: the comments'
    pending count. Each badge costs its admin one query per page."""

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for entry in app["models"]:
                model_admin = self._registry.get(entry["model"])
                count = self._badge(request, model_admin)
                if count:
                    # format_html escapes the name; the number is an int.
                    entry["name"] = format_html(
                        '{} <span class="nav-badge">{}<span class="visually-hidden"> waiting'
                        "</span></span>",
                        entry["name"],
                        count,
                    )
        return app_list

    @staticmethod
    def _badge(request, model_admin):
        """Once per request, however many times the page lists the apps."""
        badge = getattr(model_admin, "nav_badge", None)
        if badge is None:
            return None
        badges = request.__dict__.setdefault("_nav_badges", {})
        if model_admin not in badges:
            badges[model_admin] = badge(request)
        return badges[model_admin]
