from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from markdownx.widgets import AdminMarkdownxWidget
from reversion.admin import VersionAdmin

from articles import history
from articles.markdown import analyse
from articles.models import Article, CallToAction, Person, Reference, SiteSettings, Tag, Topic
from articles.readability import READING_GRADE_TARGET, reading_grade


@admin.register(CallToAction)
class CallToActionAdmin(admin.ModelAdmin):
    list_display = ["name", "heading", "button_label", "button_url"]
    search_fields = ["name", "heading", "text"]
    formfield_overrides = {models.TextField: {"widget": AdminMarkdownxWidget}}


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: editing it is the only thing to do (no adding a second, no deleting)."""

    list_display = ["__str__", "contact_email"]

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Authors, medical reviewers and the editorial team: who readers see named."""

    list_display = ["name", "credentials", "job_title", "kind", "is_public", "user"]
    list_filter = ["kind", "is_public"]
    list_select_related = ["user"]
    search_fields = ["name", "credentials", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fields = [
        "name",
        "slug",
        "kind",
        "credentials",
        "job_title",
        "bio",
        "photo",
        "same_as",
        "is_public",
        "user",
    ]


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


class ArticleAdminForm(forms.ModelForm):
    sign_off_by = forms.ModelChoiceField(
        Person.objects.filter(kind=Person.Kind.PERSON),
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
            "tags",
            "body",
            "next_review_due",
            "status",
            "published_at",
            "author",
            "byline",
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
    list_filter = ["status", ReviewStatusFilter, "topic", "published_at", "allow_comments"]
    list_select_related = ["author", "byline", "reviewed_by"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    autocomplete_fields = ["author", "tags"]
    formfield_overrides = {models.TextField: {"widget": AdminMarkdownxWidget}}
    readonly_fields = ["reading_grade", "reviewed_by", "last_reviewed"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "summary", "topic", "tags", "body", "reading_grade"]},
        ),
        (
            _("Medical review"),
            {"fields": ["reviewed_by", "last_reviewed", "sign_off_by", "next_review_due"]},
        ),
        (_("Publishing"), {"fields": ["status", "published_at", "author", "byline"]}),
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
        grade = reading_grade(analyse(obj.body_html).text) if obj and obj.body_html else None
        if grade is None:
            return _("Shown once the body is saved.")
        if grade <= READING_GRADE_TARGET:
            verdict = _("within the target")
        else:
            verdict = _("above the target: shorter sentences and everyday words help")
        return format_html(
            "Grade {} (Flesch-Kincaid) · target: grade {} or below, {}. A hint, not a rule.",
            f"{grade:.1f}",
            READING_GRADE_TARGET,
            verdict,
        )

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
        return history.history_urls(self) + super().get_urls()
