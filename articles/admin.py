from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import AdminMarkdownxWidget

from articles.models import Article, CallToAction


@admin.register(CallToAction)
class CallToActionAdmin(admin.ModelAdmin):
    list_display = ["name", "heading", "button_label", "button_url"]
    search_fields = ["name", "heading", "text"]
    formfield_overrides = {models.TextField: {"widget": AdminMarkdownxWidget}}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "is_published", "updated_at"]
    list_filter = ["status", "published_at", "allow_comments"]
    list_select_related = ["author"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["author"]
    formfield_overrides = {models.TextField: {"widget": AdminMarkdownxWidget}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "author"]}),
        (_("Discussion"), {"fields": ["allow_comments", "moderate_all_comments"]}),
        (_("Call-to-action"), {"fields": ["call_to_action"]}),
    ]

    @admin.display(boolean=True, description=_("is published"))
    def is_published(self, obj):
        return obj.is_published

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
