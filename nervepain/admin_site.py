"""The admin site: Django's, plus a badge beside a model's name when its admin offers one; and
text boxes that keep line breaks as stored."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.text import normalize_newlines


class AdminSite(admin.AdminSite):
    """A ModelAdmin with a ``nav_badge(request)`` method returning a number (or None) gets it
    shown beside its name in the sidebar and the app list, on every admin page: the comments'
    pending count. Each badge costs its admin one query per page."""

    # Moderators and editors work in the site's admin, not "Django administration". Read
    # when a page is drawn: set once when the URLs were first loaded, a test that renamed the
    # site then left its name in every later test's titles.
    @property
    def site_header(self):
        return f"{settings.SITE_NAME} administration"

    @property
    def site_title(self):
        return f"{settings.SITE_NAME} admin"

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


class TextField(forms.CharField):
    """A text box's text, with its line breaks as they are stored (``\\n``).

    Browsers send every line break of a text box as ``\\r\\n``. Saving an article whose
    title alone had changed therefore rewrote its body too: History said "Changed Title and
    Body", comparing the two versions listed the body with no line changed, and the body was
    stored with the other line breaks from then on. A text stored with a final line break (the
    seed's, an import's) was "changed" by its first save in the same way."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if isinstance(value, str) else value

    def has_changed(self, initial, data):
        # The stored text read as the box's would be (a trailing line break is dropped).
        return super().has_changed(self.to_python(initial), data)


class TextAsStored:
    """For a ModelAdmin (listed before it): its text boxes are ``TextField``."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", TextField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LinksItMayOpen:
    """For a ModelAdmin (listed before it): its page for a user who may view the object but
    not change it links a foreign key to the related object's admin page only if that user may
    open it. Django links it whatever the user's permissions: a moderator viewing an article
    met "You cannot open this page" behind its topic and its call-to-action."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        closed = {
            field.name: _as_text(field)
            for field in self.model._meta.get_fields()
            if (field.many_to_one or field.one_to_one)
            and field.concrete
            and not self._may_open(request, field.related_model)
        }
        if not closed:
            return fieldsets

        def named(fields):
            return [
                tuple(named(name)) if isinstance(name, (list, tuple)) else closed.get(name, name)
                for name in fields
            ]

        return [
            (title, {**options, "fields": named(options["fields"])}) for title, options in fieldsets
        ]

    def _may_open(self, request, model):
        model_admin = self.admin_site._registry.get(model)
        return model_admin is not None and model_admin.has_view_permission(request)


def _as_text(field):
    """A read-only field showing the related object's name, as Django's without the link."""

    def shown(obj):
        return getattr(obj, field.name)

    shown.__name__ = field.name  # its CSS class and its help text stay the field's
    shown.short_description = field.verbose_name
    return shown


def without_listed(listed, prefix):
    """Django's nested list of what a deletion takes, less the items starting with
    ``prefix``."""
    kept = []
    for item in listed:
        if isinstance(item, list):
            item = without_listed(item, prefix)
            if item:
                kept.append(item)
        elif not str(item).startswith(prefix):
            kept.append(item)
    return kept
