from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin

from articles import editor, history
from articles.markdown import analyse
from articles.models import Article, CallToAction, Reference, Reviewer
from articles.readability import grade_hint, reading_grade


@admin.register(CallToAction)
class CallToActionAdmin(admin.ModelAdmin):
    list_display = ["name", "heading", "button_label", "button_url"]
    search_fields = ["name", "heading", "text"]
    formfield_overrides = {models.TextField: {"widget": AdminMarkdownxWidget}}


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ["name", "credentials", "job_title", "profile_url"]
    search_fields = ["name", "credentials", "job_title"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ReviewStatusFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue or never reviewed")), ("current", _("Up to date"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "current":
            return queryset.exclude(pk__in=Article.objects.review_overdue().values("pk"))
        return queryset


class ArticleEditorWidget(forms.Textarea):
    """The body's editor: the Markdown text beside a preview drawn by the public page's own
    templates (``static/js/article-editor.js`` and ``articles.editor``). Without script it is
    a plain text area."""

    template_name = "articles/widgets/editor.html"  # app templates: the form renderer finds it

    def __init__(self, attrs=None):
        super().__init__({"rows": 30, "class": "editor-input", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["frame_url"] = reverse("admin:articles_article_preview_frame")
        return context


class ArticleAdminForm(forms.ModelForm):
    # Declared: markdownx's form field would put its own widget back in place of the editor.
    body = forms.CharField(
        label=_("Body"),
        widget=ArticleEditorWidget,
        help_text=Article._meta.get_field("body").help_text,
    )
    sign_off_by = forms.ModelChoiceField(
        Reviewer.objects.all(),
        required=False,
        label=_("Record a review sign-off by"),
        help_text=_(
            "Only when this reviewer has reviewed the text you are saving: today becomes "
            "its last-reviewed date. Leave empty for an ordinary edit, which never changes the "
            "review date."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "summary",
            "topic",
            "body",
            "next_review_due",
            "status",
            "published_at",
            "author",
            "allow_comments",
            "moderate_all_comments",
            "call_to_action",
        ]


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ["position", "key", "title", "publisher", "url", "accessed_on"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    inlines = [ReferenceInline]
    list_display = [
        "title",
        "status",
        "published_at",
        "is_published",
        "last_reviewed",
        "next_review_due",
        "review_overdue",
        "updated_at",
    ]
    list_filter = ["status", ReviewStatusFilter, "published_at", "allow_comments"]
    list_select_related = ["author", "reviewed_by"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["author"]
    readonly_fields = ["reading_grade", "reviewed_by", "last_reviewed"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "topic", "body", "reading_grade"]}),
        (
            _("Medical review"),
            {"fields": ["reviewed_by", "last_reviewed", "sign_off_by", "next_review_due"]},
        ),
        (_("Publishing"), {"fields": ["status", "published_at", "author"]}),
        (_("Discussion"), {"fields": ["allow_comments", "moderate_all_comments"]}),
        (_("Call-to-action"), {"fields": ["call_to_action"]}),
    ]
    object_history_template = "admin/articles/article/object_history.html"

    @admin.display(boolean=True, description=_("is published"))
    def is_published(self, obj):
        return obj.is_published

    @admin.display(boolean=True, description=_("review overdue"))
    def review_overdue(self, obj):
        return obj.review_is_overdue

    @admin.display(description=_("reading grade"))
    def reading_grade(self, obj):
        if not (obj and obj.body_html):
            return _("Shown once the body is saved.")
        return grade_hint(reading_grade(analyse(obj.body_html).text))

    def save_model(self, request, obj, form, change):
        if not change and obj.author_id is None:
            obj.author = request.user
        reviewer = form.cleaned_data.get("sign_off_by")
        if reviewer is not None:
            # An explicit next-review date typed with the sign-off wins over the default.
            next_due = None
            if "next_review_due" in form.changed_data:
                next_due = form.cleaned_data.get("next_review_due")
            obj.sign_off_review(reviewer, on=timezone.localdate(), next_due=next_due)
        super().save_model(request, obj, form, change)

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        context = {
            "versions": history.history_rows(self, article) if article is not None else [],
            "can_restore": history.can_restore(request, self),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def get_urls(self):
        return history.history_urls(self) + editor.editor_urls(self) + super().get_urls()
