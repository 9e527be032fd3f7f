from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import notifications
from comments.models import Comment, ModerationWord, TrustedCommenter
from comments.moderation import trust_commenter
from comments.threads import effective_parent


class StateFilter(admin.SimpleListFilter):
    """Opens on the pending queue; "All" shows every state."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*Comment.State.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or Comment.State.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or Comment.State.PENDING
        if value == "all":
            return queryset
        return queryset.filter(state=value)


class ArticleFilter(admin.SimpleListFilter):
    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        from django_comments_xtd.moderation import moderator

        choices = []
        for model in moderator._registry:
            choices += [(str(obj.pk), str(obj)) for obj in model._default_manager.all()[:100]]
        return choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_pk=self.value())
        return queryset


class CommentAdminForm(forms.ModelForm):
    user_url = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    reply = forms.CharField(
        label=_("Reply as the site"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Published at once under this comment, marked as from the site. "
            "Replying to a pending comment approves it."
        ),
    )

    class Meta:
        model = Comment
        fields = ["user_name", "user_url", "comment"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    form = CommentAdminForm
    list_display = [
        "excerpt",
        "user_name",
        "user_email",
        "article",
        "reason",
        "submit_date",
        "state",
    ]
    list_display_links = ["excerpt"]
    list_filter = [StateFilter, "reason", ArticleFilter]
    list_select_related = ["content_type", "moderated_by"]
    search_fields = ["user_name", "user_email", "comment"]
    date_hierarchy = "submit_date"
    ordering = ["-submit_date"]
    actions = ["approve", "mark_spam", "remove"]
    readonly_fields = [
        "state",
        "article",
        "user_email",
        "ip_address",
        "submit_date",
        "reason",
        "reason_detail",
        "moderated_by",
        "moderated_at",
        "from_site",
        "level",
        "followup",
    ]
    fieldsets = [
        (None, {"fields": ["article", "user_name", "user_email", "user_url", "comment"]}),
        (
            _("Moderation"),
            {
                "fields": [
                    "state",
                    "reason",
                    "reason_detail",
                    "moderated_by",
                    "moderated_at",
                    "from_site",
                ]
            },
        ),
        (_("Details"), {"fields": ["submit_date", "ip_address", "level", "followup"]}),
        (_("Reply"), {"fields": ["reply"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("content_object")

    def has_add_permission(self, request):
        return False  # comments come from readers; moderators reply from a comment's page

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.comment).chars(80)

    @admin.display(description=_("article"))
    def article(self, obj):
        return obj.content_object

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "pending_count": Comment.objects.pending().count(),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        text = form.cleaned_data.get("reply", "").strip()
        if text:
            self._reply(request, obj, text)

    def _reply(self, request, parent, text):
        if parent.state == Comment.State.PENDING:
            self._moderate(request, [parent], Comment.State.PUBLISHED)
        elif parent.state != Comment.State.PUBLISHED:
            self.message_user(
                request, _("Only published comments can be replied to."), messages.ERROR
            )
            return
        target = parent.content_object
        anchor = effective_parent(target, parent.pk)
        user = request.user
        reply = Comment(
            content_object=target,
            site_id=parent.site_id,
            user=user,
            user_name=user.get_full_name() or user.get_username(),
            user_email=user.email,
            comment=text,
            submit_date=timezone.now(),
            parent_id=anchor.pk,
            state=Comment.State.PUBLISHED,
            reason=Comment.Reason.STAFF,
            from_site=True,
            moderated_by=user,
            moderated_at=timezone.now(),
        )
        reply.save()
        notifications.comment_became_public(reply)
        self.message_user(request, _("Your reply is published."), messages.SUCCESS)

    @transaction.atomic
    def _moderate(self, request, comments, state):
        changed = 0
        for comment in comments:
            if comment.moderate(state, request.user):
                changed += 1
                if state == Comment.State.PUBLISHED:
                    trust_commenter(comment, request.user)
                    notifications.comment_became_public(comment)
        return changed

    def _act(self, request, queryset, state, done):
        changed = self._moderate(request, list(queryset), state)
        self.message_user(
            request,
            ngettext("%(count)d comment %(done)s.", "%(count)d comments %(done)s.", changed)
            % {"count": changed, "done": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._act(request, queryset, Comment.State.PUBLISHED, _("approved"))

    @admin.action(description=_("Mark selected comments as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._act(request, queryset, Comment.State.SPAM, _("marked as spam"))

    @admin.action(description=_("Remove selected comments"), permissions=["moderate"])
    def remove(self, request, queryset):
        self._act(request, queryset, Comment.State.REMOVED, _("removed"))


@admin.register(ModerationWord)
class ModerationWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action"]
    list_filter = ["action"]
    search_fields = ["word"]


@admin.register(TrustedCommenter)
class TrustedCommenterAdmin(admin.ModelAdmin):
    list_display = ["email", "approved_by", "created_at"]
    search_fields = ["email"]
    readonly_fields = ["key_hash", "email", "approved_by", "created_at"]

    def has_add_permission(self, request):
        return False
