import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import notifications
from comments.health import MATCH_SEPARATOR as MATCHES
from comments.models import (
    Comment,
    CommentReport,
    CommentVersion,
    CrisisPhrase,
    CrisisSupport,
    MedicalClaimPattern,
    ModerationWord,
    SpamSignature,
    TrustedCommenter,
)
from comments.moderation import trust_commenter
from comments.privacy import ERASED_TEXT, comments_by, erase_commenter, export_commenter, log_export
from comments.threads import effective_parent

HIGHLIGHTED_REASONS = {Comment.Reason.CRISIS, Comment.Reason.MEDICAL, Comment.Reason.HOLD_WORD}
NOTE_MAX_LENGTH = Comment._meta.get_field("site_note").max_length
DEFAULT_NOTE = "Please talk to your doctor before changing any medication or treatment."


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
        "attention",
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
    ordering = list(Comment.QUEUE_ORDER)  # urgent first: see CommentQuerySet.queue_order
    actions = [
        "approve",
        "publish_with_note",
        "mark_spam",
        "not_spam",
        "remove",
        "export_commenter_data",
        "erase_commenter_data",
    ]
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
        # Readers' reports are counted in the same query (the "attention" column).
        return (
            super()
            .get_queryset(request)
            .prefetch_related("content_object")
            .annotate(report_count=Count("reports", distinct=True))
        )

    def has_add_permission(self, request):
        return False  # comments come from readers; moderators reply from a comment's page

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    def has_privacy_permission(self, request):
        return request.user.has_perm("comments.privacy_request")

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.comment).chars(80)

    @admin.display(description=_("needs attention"))
    def attention(self, obj):
        """Urgent (crisis), readers' reports, and the words that held it (marked)."""
        urgent = (
            format_html('<strong class="urgent">{}</strong> ', _("URGENT")) if obj.urgent else ""
        )
        reports = getattr(obj, "report_count", 0)
        if reports:
            url = reverse("admin:comments_commentreport_changelist")
            label = ngettext("%(n)d report", "%(n)d reports", reports) % {"n": reports}
            urgent = format_html(
                '{}<a class="reports" href="{}?comment__id__exact={}">{}</a> ',
                urgent,
                url,
                obj.pk,
                label,
            )
        words = obj.reason_detail if obj.reason in HIGHLIGHTED_REASONS else ""
        if not words:
            return urgent or "-"
        # The matched words alone; highlight_matches(obj) marks them in the whole text.
        marks = format_html_join(" ", "<mark>{}</mark>", ((w,) for w in words.split(MATCHES)))
        return format_html('{}<span class="matched">{}</span>', urgent, marks)

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
    def _moderate(self, request, comments, state, note=None):
        changed = 0
        for comment in comments:
            if comment.moderate(state, request.user, note=note):
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

    @admin.action(
        description=_("Publish selected comments with a note from the site…"),
        permissions=["moderate"],
    )
    def publish_with_note(self, request, queryset):
        """Publish with a short public note shown under each comment, marked as from the site
        (for a medical claim: "Please talk to your doctor before changing medication")."""
        note = request.POST.get("site_note", "").strip()
        if request.POST.get("confirm") == "yes":
            if not note or len(note) > NOTE_MAX_LENGTH:
                self.message_user(
                    request,
                    _("Write a note of 1 to %(max)d characters; nothing was published.")
                    % {"max": NOTE_MAX_LENGTH},
                    messages.ERROR,
                )
            else:
                changed = self._moderate(request, list(queryset), Comment.State.PUBLISHED, note)
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d comment published with the note.",
                        "%(count)d comments published with the note.",
                        changed,
                    )
                    % {"count": changed},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish with a note from the site"),
            "opts": self.model._meta,
            "comments": list(queryset),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action": "publish_with_note",
            "note": note or DEFAULT_NOTE,
            "note_max_length": NOTE_MAX_LENGTH,
        }
        return TemplateResponse(request, "admin/comments/comment/publish_with_note.html", context)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._act(request, queryset, Comment.State.SPAM, _("marked as spam"))

    @admin.action(
        description=_("Not spam: back to the queue, forgetting what they taught the spam list"),
        permissions=["moderate"],
    )
    def not_spam(self, request, queryset):
        spam = queryset.filter(state=Comment.State.SPAM)
        self._act(request, spam, Comment.State.PENDING, _("put back in the queue"))

    @admin.action(description=_("Remove selected comments"), permissions=["moderate"])
    def remove(self, request, queryset):
        self._act(request, queryset, Comment.State.REMOVED, _("removed"))

    # Privacy requests: one commenter is one email address, whichever of their comments is
    # selected. See comments.privacy.

    @staticmethod
    def _commenters(queryset) -> list[str]:
        emails = queryset.exclude(user_email="").values_list("user_email", flat=True)
        return sorted({email.strip().lower() for email in emails})

    def _log(self, request, comments, message):
        if comments:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=comments,
                action_flag=CHANGE,
                change_message=message,
            )

    @admin.action(
        description=_("Export the data of the selected comments' authors (JSON)"),
        permissions=["privacy"],
    )
    def export_commenter_data(self, request, queryset):
        emails = self._commenters(queryset)
        if not emails:
            self.message_user(request, _("The selected comments have no email address."))
            return None
        commenters = [export_commenter(email) for email in emails]
        by = f"admin:{request.user.get_username()}"
        for email, data in zip(emails, commenters, strict=True):
            log_export(email, len(data["comments"]), by)
            self._log(request, list(comments_by(email)), "Exported the author's data on request.")
        body = json.dumps({"commenters": commenters}, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        filename = f"commenter-data-{timezone.now():%Y%m%d-%H%M%S}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(
        description=_("Erase the data of the selected comments' authors…"),
        permissions=["privacy"],
    )
    def erase_commenter_data(self, request, queryset):
        emails = self._commenters(queryset)
        if not emails:
            self.message_user(request, _("The selected comments have no email address."))
            return None
        text_choice = request.POST.get("text")
        if request.POST.get("confirm") == "yes" and text_choice in {"remove", "keep"}:
            keep_text = text_choice == "keep"
            by = f"admin:{request.user.get_username()}"
            erased = 0
            for email in emails:
                result = erase_commenter(email, keep_text=keep_text, by=by)
                erased += len(result.comments)
                message = "Erased the author's data on request (text %s)." % (
                    "kept" if keep_text else "removed"
                )
                self._log(request, list(Comment.objects.filter(pk__in=result.comments)), message)
            self.message_user(
                request,
                ngettext(
                    "Erased the data of %(people)d commenter (%(count)d comment).",
                    "Erased the data of %(people)d commenters (%(count)d comments).",
                    len(emails),
                )
                % {"people": len(emails), "count": erased},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase commenters' data"),
            "opts": self.model._meta,
            "commenters": [(email, comments_by(email).count()) for email in emails],
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action": "erase_commenter_data",
            "erased_text": ERASED_TEXT,
        }
        return TemplateResponse(
            request, "admin/comments/comment/erase_commenter_data.html", context
        )


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


@admin.register(CrisisPhrase)
class CrisisPhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "language"]
    list_filter = ["language"]
    search_fields = ["phrase"]


@admin.register(CrisisSupport)
class CrisisSupportAdmin(admin.ModelAdmin):
    """The one row of crisis support text: edited, never added twice nor deleted."""

    list_display = ["heading"]

    def has_add_permission(self, request):
        return not CrisisSupport.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MedicalClaimPattern)
class MedicalClaimPatternAdmin(admin.ModelAdmin):
    list_display = ["pattern", "kind", "category"]
    list_filter = ["category", "kind"]
    search_fields = ["pattern"]


@admin.register(SpamSignature)
class SpamSignatureAdmin(admin.ModelAdmin):
    """The local spam list: learned when a moderator marks spam, read-only; an entry can be
    deleted (or "Not spam" on its comment removes all it taught)."""

    list_display = ["value", "kind", "comment", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value"]
    list_select_related = ["comment"]
    readonly_fields = ["kind", "value", "comment", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept for moderators: read, never written here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommentReport)
class CommentReportAdmin(ReadOnlyAdmin):
    list_display = ["comment_excerpt", "reason", "text", "created_at"]
    list_filter = ["reason", "created_at"]
    list_select_related = ["comment"]
    search_fields = ["comment__comment", "text"]
    fields = ["comment", "reason", "text", "created_at"]

    @admin.display(description=_("comment"))
    def comment_excerpt(self, obj):
        url = reverse("admin:comments_comment_change", args=[obj.comment_id])
        return format_html('<a href="{}">{}</a>', url, Truncator(obj.comment.comment).chars(80))


@admin.register(CommentVersion)
class CommentVersionAdmin(ReadOnlyAdmin):
    """Every earlier text of a comment its writer edited or deleted."""

    list_display = ["comment", "change", "state", "changed_at", "text"]
    list_filter = ["change"]
    list_select_related = ["comment"]
    search_fields = ["text"]
    fields = ["comment", "change", "state", "changed_at", "text"]
