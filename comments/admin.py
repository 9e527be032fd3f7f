import copy
import ipaddress
import json
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin import ArticleAdmin
from articles.models import Article
from comments import decisions, queue
from comments.models import (
    MODERATORS_REASONS,
    Comment,
    CommentReport,
    CommentVersion,
    CrisisPhrase,
    CrisisSupport,
    MedicalClaimPattern,
    ModerationWord,
    ModeratorProfile,
    SpamFingerprintMinimum,
    SpamSignature,
    TrustedCommenter,
)
from comments.privacy import ERASED_TEXT, comments_by, erase_commenter, export_commenter, log_export
from nervepain.admin_site import TextAsStored, without_listed

# The comment page's query parameter for "Reply with the crisis resources".
CRISIS_REPLY = "crisis_reply"
# What a decision other than Approve does, in the words of the message refusing it with a reply.
DOING = {
    "unapprove": _("send it back to pending"),
    "spam": _("mark it as spam"),
    "remove": _("remove it"),
}
NOTE_MAX_LENGTH = Comment._meta.get_field("site_note").max_length
DEFAULT_NOTE = "Please talk to your doctor before changing any medication or treatment."
# The queue's bulk action "Publish with a note from the site", on a comment's own page: a
# decision of its form as the others are (comments.queue.ACTIONS), not one of the queue card's.
PUBLISH_WITH_NOTE = queue.Action(
    "publish_with_note",
    _("Publish with this note"),
    Comment.State.PUBLISHED,
    frozenset({Comment.State.PENDING, Comment.State.SPAM, Comment.State.REMOVED}),
    "",
)
WORRIES_SHOWN = 3  # the worried readers' own words on the comment's page, newest first
# The reports' filter said the reader's words while each row's badge said the moderators'.
REPORT_REASONS = MODERATORS_REASONS


def _shared_note(comments) -> str:
    """The note from the site the comments all have, or "" (none, or not the same)."""
    notes = list(comments.order_by().values_list("site_note", flat=True).distinct()[:2])
    return notes[0] if len(notes) == 1 else ""


def note_text(value: str) -> str:
    """A note as typed, a line break as one character: browsers send "\r\n", which made a
    note the box counted at 300 characters (admin-char-count.js) "301 characters long"."""
    return value.replace("\r\n", "\n").strip()


def note_error(note: str) -> str | None:
    """Why a note from the site cannot be published (empty or too long), or None: for the
    queue's bulk action and the comment's page alike."""
    if note and len(note) <= NOTE_MAX_LENGTH:
        return None
    if note:  # the box has no maxlength: a browser cut a longer note short without a word
        return _(
            "This note is %(length)s characters long; the limit is %(max)d. Shorten it: "
            "nothing was published."
        ) % {"length": number_format(len(note), force_grouping=True), "max": NOTE_MAX_LENGTH}
    return _("Write a note of 1 to %(max)d characters; nothing was published.") % {
        "max": NOTE_MAX_LENGTH
    }


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
    user_url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    reply = forms.CharField(
        label=_("Reply as the site"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Published at once under this comment, marked as from the site; it marks "
            "readers' worry about its writer as handled. Replying to a pending comment "
            "approves it."
        ),
    )

    site_note = forms.CharField(
        label=_("Note from the site"),
        required=False,
        initial=DEFAULT_NOTE,
        # Counted under the box (admin-char-count.js); no maxlength, which cut a pasted note.
        widget=forms.Textarea(attrs={"rows": 3, "data-maxlength": NOTE_MAX_LENGTH}),
        help_text=_("Short and public, up to %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
    )

    # The decision button pressed with the form on the comment's page, if any (an Action of
    # comments.queue, set by CommentAdmin.get_form): the edits and the reply go with it.
    decision = None

    @cached_property
    def changed_data(self):
        """The comment's own fields changed. The reply and the note are what a decision
        publishes, logged with it (``decisions``), not edits: History read "Changed Note from
        the site." after every save, with no note saved."""
        return [name for name in super().changed_data if name not in ("reply", "site_note")]

    class Meta:
        model = Comment
        fields = ["user_name", "user_url", "comment"]

    def clean(self):
        """A reply the site cannot publish is refused here, so the page comes back with every
        word typed still in it (it was dropped with an error message after saving)."""
        cleaned = super().clean()
        if self.decision is PUBLISH_WITH_NOTE:
            error = note_error(note_text(cleaned.get("site_note", "")))
            if error:
                self.add_error("site_note", error)
        if cleaned.get("reply", "").strip():
            approving = self.decision is not None and self.decision.state == Comment.State.PUBLISHED
            if self.decision is not None and not approving:
                self.add_error(
                    "reply",
                    _(
                        "A reply is published only with Approve or Save. Clear the reply first "
                        "to choose “%(action)s”."
                    )
                    % {"action": self.decision.label},
                )
            elif not approving and self.instance.state not in (
                Comment.State.PENDING,
                Comment.State.PUBLISHED,
            ):
                self.add_error(
                    "reply",
                    _(
                        "Only published or pending comments can be replied to: Approve publishes "
                        "this one with your reply."
                    ),
                )
        return cleaned


class PublicNameForm(forms.ModelForm):
    class Meta:
        model = ModeratorProfile
        fields = ["public_name"]


def _is_fragment(request) -> bool:
    """The queue's script asks for the row's new HTML instead of a redirect."""
    return request.headers.get("X-Fragment") == "row"


def replies_hidden(decided) -> str:
    """What readers no longer see of the site's replies under comments taken off the page
    (an approval undone, Unapprove, Spam, Remove): they stay published, hidden with the
    comments they answer. "" if none."""
    hidden = [c for c in decided if c.state != Comment.State.PUBLISHED]
    replies = Comment.objects.filter(
        parent_id__in=[c.pk for c in hidden], from_site=True, state=Comment.State.PUBLISHED
    ).count()
    if not replies:
        return ""
    return ngettext(
        "The site's reply under it stays published, but hidden with it until it is approved again.",
        "The site's %(count)d replies stay published, but hidden with the comments they answer "
        "until those are approved again.",
        replies,
    ) % {"count": replies}


@admin.register(Comment)
class CommentAdmin(TextAsStored, admin.ModelAdmin):
    """The moderation queue: tabs by state, one card per comment, one click or key per decision.

    Row actions, the reply, the undo and the email's links are views of this admin
    (``get_urls``); each checks the moderation permission, is POST-only for changes (CSRF
    checked by the middleware) and goes through ``comments.decisions``.
    """

    form = CommentAdminForm
    list_display = ["card"]
    list_display_links = None
    list_filter = [StateFilter, "reason", ArticleFilter]
    list_select_related = ["content_type", "moderated_by"]
    list_per_page = 20  # as WordPress: a screenful of whole comments
    # The full count would count every comment on the site on each page view.
    show_full_result_count = False
    sortable_by = ()
    search_fields = ["user_name", "user_email", "comment"]

    def get_search_results(self, request, queryset, search_term):
        """An IP address searched finds the comments sent from it, as WordPress's search does
        (it found none: the address is on each card, not in the fields searched)."""
        term = search_term.strip()
        if term and not term.strip("'\""):
            # Quotes alone: Django reads them as an empty quoted phrase, which matched every
            # comment ("82 results" for ').
            return queryset.filter(
                Q(user_name__contains=term)
                | Q(user_email__contains=term)
                | Q(comment__contains=term)
            ), False
        try:
            ipaddress.ip_address(term)
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(ip_address=term), False

    actions = [
        "approve",
        "unapprove",
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
        "writer_email",
        "ip_shown",
        "submit_date",
        "reason",
        "reason_detail",
        "moderated_by",
        "moderated_at",
        "written_by_site",
        "replies_by_email",
        "readers_reports",
    ]
    fieldsets = [
        # The text first, then (in the template) the Status box, then who wrote it: on a phone
        # the name, email and website stood between the text and the decisions.
        (None, {"fields": ["article", "comment"]}),
        (_("Commenter"), {"fields": ["user_name", "writer_email", "user_url"]}),
        (
            _("Moderation"),
            {
                "fields": [
                    "state",
                    "reason",
                    "reason_detail",
                    "moderated_by",
                    "moderated_at",
                    "written_by_site",
                    "readers_reports",
                ]
            },
        ),
        (_("Details"), {"fields": ["submit_date", "ip_shown", "replies_by_email"]}),
        (_("Reply"), {"fields": ["reply"]}),
    ]

    @admin.display(description=_("Readers' reports"))
    def readers_reports(self, obj):
        """Why readers reported it, most frequent first, linking to the reports: a moderator
        who follows the "a reader is worried" email lands here and must see why. Once some
        came before the last decision, each reason says how many are new since, in the
        queue card's words ("Spam: 2, none new; Abusive: 1, 1 new"). The last handling of a
        worry is said after them (whom, when)."""
        counts = {}
        handled = None
        for reason, created, worried, at, by in obj.reports.values_list(
            "reason", "created_at", "worried_at", "handled_at", "handled_by__username"
        ):
            n, new = counts.get(reason, (0, 0))
            counts[reason] = (n + 1, new + obj.is_report_since_decision(created, worried))
            if at and (handled is None or at > handled[0]):
                handled = (at, by)
        if not counts:
            return _("None")
        labels = REPORT_REASONS
        # As the card: the new ones are told apart only when some are not new, since a
        # moderator's decision (readers' reports holding it are none: they are what is new).
        some_old = obj.moderated_by_id is not None and any(new < n for n, new in counts.values())
        parts = []
        for reason, (n, new) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0])):
            part = f"{labels.get(reason, reason)}: {n}"
            if some_old:
                part += ", " + (_("%(n)d new") % {"n": new} if new else _("none new"))
            parts.append(part)
        url = reverse("admin:comments_commentreport_changelist") + f"?comment__id__exact={obj.pk}"
        reports = format_html('<a href="{}">{}</a>', url, "; ".join(parts))
        if handled is None:
            return reports
        return format_html('{}<div class="report-handled">{}</div>', reports, handled_by(*handled))

    @admin.display(description=_("User's email address"))
    def writer_email(self, obj):
        """A mailto link: "write to its writer", one tap from the "a reader is worried" email
        on a phone, the subject naming the article; and the queue's "All from this email"."""
        if not obj.user_email:
            return "-"
        subject = _("Your comment on %(article)s") % {"article": obj.content_object}
        return format_html(
            '<a href="mailto:{}?subject={}">{}</a> <a class="qc-filter" href="{}">{}</a>',
            quote(obj.user_email, safe="@"),
            quote(str(subject)),
            obj.user_email,
            self._all_from("user_email", obj.user_email),
            _("All from this email"),
        )

    @admin.display(description=_("IP address"))
    def ip_shown(self, obj):
        """The address, and the queue's "From this IP", as on its card: a worried reader's
        "they have posted on other threads" was a search away from this page."""
        if not obj.ip_address:
            return "-"
        return format_html(
            '{} <a class="qc-filter" href="{}">{}</a>',
            obj.ip_address,
            self._all_from("ip_address", obj.ip_address),
            _("From this IP"),
        )

    def _all_from(self, field, value):
        changelist = reverse("admin:comments_comment_changelist")
        return changelist + "?" + urlencode({"state": "all", field: value})

    @admin.display(description=_("Written by the site"))
    def written_by_site(self, obj):
        """Whether a moderator wrote it for the site, in words: a reader's comment showed
        Django's red cross ("From the site: ✕"), which read as something wrong with it."""
        return _("Yes") if obj.from_site else _("No")

    @admin.display(description=_("Replies by email"))
    def replies_by_email(self, obj):
        """django-comments-xtd's "followup" ("Notify follow-up comments"): whether the writer
        asked to hear of replies, in words, as "Written by the site": Django's red cross for a
        writer who did not ask read as something wrong."""
        return _("Yes") if obj.followup else _("No")

    def get_queryset(self, request):
        # Who moderated it comes with the comment: its page names them (a query of its own).
        queryset = super().get_queryset(request).select_related("moderated_by")
        return queryset.prefetch_related("content_object")

    def get_object(self, request, object_id, from_field=None):
        # A number past SQLite's integers names no comment (the admin then says so): Django
        # lets OverflowError through for a primary key that is a relation, as here.
        try:
            return super().get_object(request, object_id, from_field)
        except OverflowError:
            return None

    def get_ordering(self, request):
        # Urgent (crisis) comments lead the pending queue; the other tabs, with up to a
        # million rows, keep the plain date order their index serves.
        if request.GET.get("state", Comment.State.PENDING) == Comment.State.PENDING:
            return list(Comment.QUEUE_ORDER)
        return ["-submit_date", "-pk"]

    def has_add_permission(self, request):
        return False  # comments come from readers; moderators reply from a comment's page

    def has_moderate_permission(self, request):
        return decisions.can_moderate(request.user)

    def has_privacy_permission(self, request):
        return request.user.has_perm("comments.privacy_request")

    def get_actions(self, request):
        """Django's permanent "Delete selected" (no Undo) only where WordPress offers it: under
        Spam and Removed, last. Elsewhere Remove sets a comment aside, and can be undone. The
        tab is in the address, for the list and for its form's POST alike, so an action posted
        from another tab is not one of the choices and does nothing."""
        actions = super().get_actions(request)
        delete = actions.pop("delete_selected", None)  # present only with the delete permission
        if delete is not None and request.GET.get("state") in (
            Comment.State.SPAM,
            Comment.State.REMOVED,
        ):
            function, name, _description = delete
            actions[name] = (function, name, _("Delete selected comments permanently"))
        return actions

    def lookup_allowed(self, lookup, value, request=None):
        # The card's "all from this email" / "from this IP" links.
        return lookup in {"user_email", "ip_address"} or super().lookup_allowed(
            lookup, value, request
        )

    def nav_badge(self, request):
        """The pending count beside "Comments" in the sidebar and app list (one COUNT)."""
        if not request.user.has_perm("comments.view_comment"):
            return None
        return queue.pending_count(request)

    # The queue

    @admin.display(description=_("comment"))
    def card(self, obj):
        return queue.render_card(obj, getattr(obj, "queue", {}))

    @admin.display(description=_("article"))
    def article(self, obj):
        return obj.content_object

    paginator = queue.CappedPaginator

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        comments = list(changelist.result_list)
        queue.prepare(comments, request)
        self._restore_drafts(request, comments)
        # After a decision without script the page's messages go above the next card, where
        # the page comes back (queue.landing); at the top if that card is not on the page.
        landing = queue.take_landing(request)
        changelist.messages_above_card = False
        for comment in comments:
            if comment.pk == landing:
                comment.queue["landing_messages"] = list(messages.get_messages(request))
                changelist.messages_above_card = True
        return changelist

    def _restore_drafts(self, request, comments):
        """Replies typed in other cards when a decision was posted without script
        (``queue.keep_drafts``): back in their boxes, unpublished, and said so; one whose card
        is not on this page any more is quoted, so that no typed word is lost."""
        drafts = queue.take_drafts(request)
        if not drafts:
            return
        shown = {c.pk: c for c in comments if c.pk in drafts and queue.can_reply(c)}
        for pk, comment in shown.items():
            comment.queue["draft"] = drafts[pk]
        if shown:
            # Each name links to its card, to find the box on a long page.
            names = format_html_join(
                ", ", '<a href="#qc-{}">{}</a>', ((c.pk, c.user_name) for c in shown.values())
            )
            text = ngettext(
                "Your reply to %(names)s is not published: it is still in its box below.",
                "Your replies to %(names)s are not published: they are still in their boxes below.",
                len(shown),
            )
            self.message_user(
                request, format_html(text.replace("%(names)s", "{}"), names), messages.WARNING
            )
        missing = [pk for pk in drafts if pk not in shown]
        names = dict(Comment.objects.filter(pk__in=missing).values_list("pk", "user_name"))
        for pk in missing:
            self.message_user(
                request,
                format_html(
                    "{} <q>{}</q>",
                    _(
                        "Your reply to %(name)s is not published, and their comment is not on "
                        "this page to reply to. Your reply was:"
                    )
                    % {"name": names.get(pk, _("comment %(pk)s") % {"pk": pk})},
                    drafts[pk],
                ),
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":  # a bulk action: the reply boxes come with it
            queue.keep_drafts(request)
        state = request.GET.get("state", Comment.State.PENDING)
        extra_context = {
            **(extra_context or {}),
            "title": _("Comments"),
            "tabs": queue.tabs(state, request.GET, queue.pending_count(request)),
            "public_name": queue.reply_name(request),
            "can_moderate": self.has_moderate_permission(request),
            "keys": queue.KEYS,
            "empty": queue.empty_state(state, request.GET),
            "narrowed": queue.narrowed_to(request.GET),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<comment_id:object_id>/moderate/<slug:action>/",
                wrap(self.moderate_view),
                name=f"{prefix}_moderate",
            ),
            path("<comment_id:object_id>/reply/", wrap(self.reply_view), name=f"{prefix}_reply"),
            path(
                "<comment_id:object_id>/worry-handled/",
                wrap(self.worry_handled_view),
                name=f"{prefix}_worry_handled",
            ),
            path(
                "<comment_id:object_id>/in-queue/",
                wrap(self.in_queue_view),
                name=f"{prefix}_in_queue",
            ),
            path("undo/", wrap(self.undo_view), name=f"{prefix}_undo"),
            path("email/<str:token>/", wrap(self.email_view), name=f"{prefix}_email"),
            path("public-name/", wrap(self.public_name_view), name=f"{prefix}_public_name"),
            *super().get_urls(),
        ]

    def in_queue_view(self, request, object_id):
        """The queue's page holding the comment, at its card: where the moderators' email and
        the email's decision page send "Open in the queue". They named the first page, where a
        comment with 20 newer ones waiting was not, and nothing said so. Its tab is its state's
        now (decided since the email, it is under Published, Spam or Removed)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        comment = Comment.objects.select_related(None).filter(pk=object_id).first()
        if comment is None:  # an old email's link: as Django's own pages answer one
            self.message_user(
                request,
                _("That comment no longer exists: it may have been deleted."),
                messages.WARNING,
            )
            return redirect(reverse("admin:comments_comment_changelist"))
        newer = Q(submit_date__gt=comment.submit_date) | Q(
            submit_date=comment.submit_date, pk__gt=comment.pk
        )
        same_state = Comment.objects.filter(state=comment.state)
        query = {}
        if comment.state == Comment.State.PENDING:  # urgent ones first (QUEUE_ORDER)
            before = same_state.filter(
                Q(urgent__gt=comment.urgent) | Q(urgent=comment.urgent) & newer
            )
        else:
            before = same_state.filter(newer)
            query["state"] = comment.state
        page = before.count() // self.list_per_page + 1
        if page > 1:
            query["p"] = page
        changelist = reverse("admin:comments_comment_changelist")
        return redirect(f"{changelist}{'?' + urlencode(query) if query else ''}#qc-{comment.pk}")

    def _check(self, request, obj=None):
        if not (self.has_moderate_permission(request) and self.has_change_permission(request, obj)):
            raise PermissionDenied

    def _back_to_next_card(self, request, decided):
        """Back to the queue's page at the card after the one decided on (``queue.landing``);
        anywhere else (the article, the comment's page), back as ``_back`` goes."""
        target = request.POST.get("next", "").partition("#")[0]
        if target.partition("?")[0] == reverse("admin:comments_comment_changelist"):
            return self._back(request, decided, anchor=queue.landing(request, decided.pk) or None)
        return self._back(request, decided)

    def _back(self, request, obj=None, anchor=None):
        """Where a decision without script returns: the page it came from (same site only),
        at ``anchor`` ("#moderated") instead of its own if given."""
        target = request.POST.get("next") or request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            if anchor:
                target = target.partition("#")[0] + anchor
            return redirect(target)
        return redirect(reverse("admin:comments_comment_changelist"))

    @staticmethod
    def _from_article(request) -> bool:
        """The decision came from the article page's in-place controls (not from the admin)."""
        target = request.POST.get("next", "")
        return bool(target) and not target.startswith(reverse("admin:index"))

    def _undo_message(self, request, text, changed, state):
        if not changed:
            self.message_user(request, text, messages.INFO)
            return
        url = queue.undo_url(decisions.undo_token(changed, state), request.POST.get("next", ""))
        messages.success(
            request, format_html('{} <a class="undo-link" href="{}">Undo</a>', text, url)
        )

    @staticmethod
    def _done(count, state, noted=False):
        if noted:  # some may have been published already: their note alone changed
            return ngettext(
                "%(count)d comment published with the note from the site.",
                "%(count)d comments published with the note from the site.",
                count,
            ) % {"count": count}
        return ngettext("%(count)d comment %(done)s.", "%(count)d comments %(done)s.", count) % {
            "count": count,
            "done": decisions.DONE[state],
        }

    def moderate_view(self, request, object_id, action):
        """One row action: Approve, Unapprove, Spam, Not spam, Remove or Restore (POST)."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        if action not in queue.ACTIONS:
            return HttpResponseBadRequest("Unknown action.")
        comment = get_object_or_404(Comment.objects.select_related("moderated_by"), pk=object_id)
        self._check(request, comment)
        if not _is_fragment(request):
            queue.keep_drafts(request, comment.pk)
        seen = request.POST.get(f"seen-{comment.pk}") or request.POST.get("seen", "")
        if seen and seen != comment.state:
            return self._changed_since(request, comment, queue.ACTIONS[action])
        state = queue.ACTIONS[action].state
        # Without script the queue's row form brings the card's reply box along: a reply typed
        # there is never dropped. Approve publishes it with the comment (WordPress's "Approve
        # and Reply"); any other decision changes nothing and gives the text back.
        text = request.POST.get(f"reply-{comment.pk}", request.POST.get("reply", "")).strip()
        if text and state != Comment.State.PUBLISHED:
            return self._refuse_reply(request, comment, queue.ACTIONS[action], text)
        changed = decisions.decide([comment], state, request.user)
        if text:  # the comment is now published: the reply cannot fail
            reply, _changed = decisions.reply_as_site(comment, text, request.user)
        # Taken off the page: the site's reply under it goes with it.
        was_public = changed.get(comment.pk) == Comment.State.PUBLISHED
        hidden = replies_hidden([comment]) if was_public else ""
        if _is_fragment(request):
            token = decisions.undo_token(changed, state) if changed else ""
            notice = f"{queue.DONE_NOTICE[state]} {hidden}" if changed and hidden else ""
            return queue.card_response(
                request, comment, done=state if changed else None, undo=token, notice=notice
            )
        self._undo_message(request, self._done(len(changed), state), changed, state)
        if hidden:
            self.message_user(request, hidden, messages.WARNING)
        if text:
            self._reply_published(request, reply)
        if self._from_article(request) and comment.state not in (
            Comment.State.PUBLISHED,
            Comment.State.PENDING,
        ):
            # The article page no longer shows a spam or removed comment: land on the message
            # above its discussion (templates/articles/article_detail.html), which has Undo.
            return self._back(request, comment, anchor="#moderated")
        if self._from_article(request):
            queue.land_in_place(request, comment.pk)
        return self._back_to_next_card(request, comment)

    def _changed_since(self, request, comment, action):
        """A decision on a comment that changed since the page showed it (a colleague decided
        it, its writer deleted it, readers' reports held it): nothing is done, and the page
        says what it is now, with its buttons, so that pressing again decides knowingly. It
        overruled a colleague's decision without a word (the email's links asked first)."""
        now = decisions.DONE[comment.state]
        if comment.moderated_by is not None:
            said = _("Since you opened the page, this comment was %(done)s by %(who)s.") % {
                "who": comment.moderated_by,
                "done": now,
            }
        else:
            said = _("Since you opened the page, this comment was %(done)s.") % {"done": now}
        if comment.state in action.applies_to:
            said += " " + _("Nothing was changed: press “%(action)s” again to go ahead.") % {
                "action": action.label
            }
        else:
            said += " " + _("Nothing was changed.")
        if _is_fragment(request):
            # 200, not 409: a browser logs every 4xx answer of a fetch as an error.
            response = queue.card_response(request, comment, notice=said)
            response["X-Changed-Since"] = "1"
            return response
        self.message_user(request, said, messages.WARNING)
        if self._from_article(request):
            if comment.state not in (Comment.State.PUBLISHED, Comment.State.PENDING):
                return self._back(request, comment, anchor="#moderated")
            queue.land_in_place(request, comment.pk)
            return self._back(request, comment)
        target = request.POST.get("next", "").partition("#")[0]
        if target.partition("?")[0] == reverse("admin:comments_comment_changelist"):
            request.session[queue.LANDING_KEY] = comment.pk  # its card, if still listed
            return self._back(request, anchor=f"#qc-{comment.pk}-landing")
        return self._back(request, comment)

    def _refuse_reply(self, request, comment, action, text):
        """A decision other than Approve, posted with a reply typed for the comment: nothing
        changes, and the moderator gets their text back to publish or copy."""
        if _is_fragment(request):  # the script asked first, and keeps the text in the box
            return HttpResponseBadRequest(
                _("Nothing was changed: a reply is published only with Approve. Clear it first.")
            )
        self.message_user(
            request,
            _(
                "Nothing was changed: only Approve publishes a reply. To %(doing)s without "
                "it, clear its box, then press “%(action)s” again."
            )
            % {"doing": DOING.get(action.name, _("go ahead")), "action": action.label},
            messages.ERROR,
        )
        # The text back in its box (it was only quoted in the message, to copy from there),
        # or quoted if its card is not on the page (``_restore_drafts``), and the page back at
        # that card.
        drafts = request.session.get(queue.DRAFTS_KEY, {})
        request.session[queue.DRAFTS_KEY] = {**drafts, str(comment.pk): text}
        target = request.POST.get("next", "").partition("#")[0]
        if target.partition("?")[0] == reverse("admin:comments_comment_changelist"):
            request.session[queue.LANDING_KEY] = comment.pk
            return self._back(request, anchor=f"#qc-{comment.pk}-landing")
        return self._back(request, comment)

    def reply_view(self, request, object_id):
        """Publish a reply as the site under this comment; a pending comment is approved."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        parent = get_object_or_404(Comment, pk=object_id)
        self._check(request, parent)
        if not _is_fragment(request):
            queue.keep_drafts(request, parent.pk)
        text = request.POST.get(f"reply-{parent.pk}", request.POST.get("reply", "")).strip()
        if not text:
            error = _("Write the reply first: it was empty, so nothing was published.")
            if _is_fragment(request):
                return HttpResponseBadRequest(error)
            self.message_user(request, error, messages.ERROR)
            return self._back(request, parent)
        try:
            reply, changed = decisions.reply_as_site(parent, text, request.user)
        except ValueError as error:
            if _is_fragment(request):
                return HttpResponseBadRequest(str(error))
            self.message_user(request, str(error), messages.ERROR)
            return self._back(request, parent)
        # A held comment the reply approved says so, with Undo, as Save with a reply on its
        # page does: the card said only "Reply published." (the reply itself has no Undo).
        published = Comment.State.PUBLISHED
        if _is_fragment(request):
            undo = decisions.undo_token(changed, published) if changed else ""
            return queue.card_response(request, parent, replied=reply, undo=undo)
        self._reply_published(request, reply)
        if changed:
            self._undo_message(request, self._done(len(changed), published), changed, published)
        return self._back_to_next_card(request, parent)

    def _reply_published(self, request, reply):
        """ "Your reply is published", with its page: a reply has no Undo (readers may have read
        it), its page is where to correct or remove it."""
        self.message_user(
            request,
            format_html(
                '{} <a class="message-action" href="{}">{}</a>',
                _("Your reply is published."),
                reverse("admin:comments_comment_change", args=[reply.pk]),
                _("Open your reply"),
            ),
            messages.SUCCESS,
        )

    def worry_handled_view(self, request, object_id):
        """ "Mark the worry as handled" (POST): the moderator replied to, or wrote to, the
        writer readers are worried about. The comment's unhandled worried reports are marked
        handled by them; a later worried report emails the moderators again."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        comment = get_object_or_404(Comment, pk=object_id)
        self._check(request, comment)
        count = decisions.handle_worry(comment, request.user)
        if count:
            self.message_user(
                request,
                ngettext(
                    "The worry of %(count)d reader is marked as handled. A new worried report "
                    "will email the moderators again.",
                    "The worry of %(count)d readers is marked as handled. A new worried report "
                    "will email the moderators again.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("No reader's worry was waiting: nothing was changed."), messages.INFO
            )
        return self._back(request, comment)

    def undo_view(self, request):
        """Put comments back as they were before a decision. GET asks; POST does it."""
        token = request.POST.get("token") or request.GET.get("token", "")
        record = decisions.read_undo_token(token)
        if record is None:
            self.message_user(
                request,
                _("This undo link is no longer valid (they last a day). Nothing was changed."),
                messages.ERROR,
            )
            return self._back(request)
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Undo a decision"),
                "opts": self.opts,
                "record": record,
                "count": sum(len(pks) for pks in record["from"].values()),
                "token": token,
                "next": request.GET.get("next", ""),
            }
            context["back_url"], context["back_label"] = self._undo_back(request, record)
            return TemplateResponse(request, "admin/comments/comment/undo.html", context)
        restored = decisions.undo(record, request.user)
        if _is_fragment(request) and len(restored) == 1 and request.POST.get("card") != "none":
            return queue.card_response(request, restored[0], undone=True)
        decided = [int(pk) for pks in record["from"].values() for pk in pks]
        if (
            _is_fragment(request)
            and request.POST.get("card") != "none"
            and decided
            and not restored
        ):
            # One card's Undo that found a newer decision: said on the card, as it is now. The
            # page reloaded for the message, asking to leave over a reply typed in another card,
            # and the other cards' Undo lines went with it.
            comment = Comment.objects.select_related("moderated_by").filter(pk=decided[0]).first()
            if len(decided) == 1 and comment is not None:
                by = comment.moderated_by
                said = _("Not put back: it was %(done)s since%(by)s.") % {
                    "done": decisions.DONE.get(comment.state, comment.state),
                    "by": f" by {by.get_username()}" if by else "",
                }
                response = queue.card_response(request, comment, notice=said)
                response["X-Changed-Since"] = "1"
                return response
        self.message_user(
            request,
            ngettext("%d comment put back.", "%d comments put back.", len(restored))
            % len(restored),
            messages.SUCCESS if restored else messages.WARNING,
        )
        self._say_decided_since(request, record, restored)
        self._say_replies_hidden(request, restored)
        if _is_fragment(request):  # the script reloads the page, which shows the message
            return HttpResponse(status=204)
        target = request.POST.get("next", "").partition("#")[0]
        if restored and target.partition("?")[0] == reverse("admin:comments_comment_changelist"):
            # Back in the queue: at the card put back, with the messages above it (as a
            # decision lands, ``queue.landing``), not at the top of the page.
            request.session[queue.LANDING_KEY] = restored[0].pk
            return self._back(request, anchor=f"#qc-{restored[0].pk}-landing")
        if (
            len(restored) == 1
            and restored[0].state in (Comment.State.PUBLISHED, Comment.State.PENDING)
            and self._from_article(request)
        ):  # back at the comment, which the page shows (held or public)
            queue.land_in_place(request, restored[0].pk)
        return self._back(request)

    def _say_replies_hidden(self, request, restored):
        """An approval undone that a reply as the site came with (Save with a reply): the reply
        stays published, but readers see it only with the comment it answers."""
        said = replies_hidden(restored)
        if said:
            self.message_user(request, said, messages.WARNING)

    def _say_decided_since(self, request, record, restored):
        """Those the Undo left as they are, someone having decided on them since: which, by
        whom, and what they are now ("0 comments put back." said nothing of it)."""
        decided = [int(pk) for pks in record["from"].values() for pk in pks]
        left = (
            Comment.objects.filter(pk__in=decided)
            .exclude(pk__in=[comment.pk for comment in restored])
            .select_related("moderated_by")
            .order_by("pk")
        )
        for comment in left[:5]:
            self.message_user(
                request,
                format_html(
                    "Not put back: the comment by {}, “{}”, was {} since{}.",
                    comment.user_name,
                    Truncator(" ".join(comment.comment.split())).words(8, truncate="…"),
                    decisions.DONE.get(comment.state, comment.state),
                    f" by {comment.moderated_by.get_username()}" if comment.moderated_by else "",
                ),
                messages.WARNING,
            )

    def _undo_back(self, request, record):
        """The Undo page's way back without undoing: where the decision was made (same site
        only), named. On the article page, at the comment, or at the discussion if the decision
        took the comment off the page; else the queue's page (its tab and filters) or the
        comment's own page."""
        queue_url = reverse("admin:comments_comment_changelist")
        target = request.GET.get("next", "")
        if not target or not url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            return queue_url, _("Back to the queue")
        path = target.partition("?")[0].partition("#")[0]
        if not path.startswith(reverse("admin:index")):
            if record["to"] not in (Comment.State.PUBLISHED, Comment.State.PENDING):
                target = target.partition("#")[0] + "#comments"
            return target, _("Back to the article")
        if path == queue_url:
            return target, _("Back to the queue")
        if path.startswith(queue_url) and path.endswith("/change/"):
            return target, _("Back to the comment")
        return queue_url, _("Back to the queue")

    def email_view(self, request, token):
        """A link from the moderators' email: a page with one button; only its POST decides.

        Mail scanners open links; a GET here never changes anything.
        """
        link = decisions.read_email_token(token)
        if link is None:
            context = {**self.admin_site.each_context(request), "title": _("Link expired")}
            return TemplateResponse(
                request, "admin/comments/comment/email_link_invalid.html", context, status=400
            )
        comment = get_object_or_404(Comment, pk=link["comment"])
        self._check(request, comment)
        action = queue.ACTIONS[link["action"]]
        state = action.state
        # The email was about a held comment: once someone decided, its button decides only
        # if pressed as "<Decision> anyway" on the page saying who decided what, and only if
        # nothing changed since that page (``overrule`` is the state it showed).
        overrulable = (
            comment.state != Comment.State.PENDING
            and comment.state in action.applies_to
            and comment.reason != Comment.Reason.WITHDRAWN  # its writer's, not a colleague's
        )
        overrules = overrulable and request.POST.get("overrule") == comment.state
        crisis_reply_url = (
            reverse("admin:comments_comment_change", args=[comment.pk])
            + f"?{CRISIS_REPLY}=1#id_reply"
        )
        if request.method == "POST" and (comment.state == Comment.State.PENDING or overrules):
            changed = decisions.decide([comment], state, request.user)
            self._undo_message(request, self._done(len(changed), state), changed, state)
            if comment.urgent and comment.state == Comment.State.PUBLISHED:
                # What the urgent email asks next: the reply under it with the resources.
                messages.warning(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Its writer may be in crisis."),
                        crisis_reply_url,
                        _("Reply under it with the crisis resources"),
                    ),
                )
            return redirect(reverse("admin:comments_comment_changelist"))
        queue.prepare([comment], request)
        context = {
            **self.admin_site.each_context(request),
            # Decided since the email: no question left to ask.
            "title": queue.ACTIONS[link["action"]].question
            if comment.state == Comment.State.PENDING
            else _("Already decided"),
            "opts": self.opts,
            "comment": comment,
            "card": queue.render_card(comment, comment.queue, buttons=False),
            "action": action,
            "overrulable": overrulable,
            # An urgent one: approve it with a reply holding the crisis resources, in one step
            # (a reply to a held comment approves it), as the urgent email says to.
            "crisis_reply_url": crisis_reply_url
            if comment.urgent and comment.state in (Comment.State.PENDING, Comment.State.PUBLISHED)
            else "",
        }
        return TemplateResponse(request, "admin/comments/comment/confirm_decision.html", context)

    def public_name_view(self, request):
        """The name this moderator's replies show to readers (default: the site's)."""
        self._check(request)
        profile, _created = ModeratorProfile.objects.get_or_create(user=request.user)
        form = PublicNameForm(request.POST or None, instance=profile)
        if request.method == "POST" and form.is_valid():
            form.save()
            self.message_user(request, _("Your public name is saved."), messages.SUCCESS)
            return redirect(reverse("admin:comments_comment_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Your public name"),
            "opts": self.opts,
            "form": form,
            "site_name": settings.COMMENTS_SITE_REPLY_NAME,
        }
        return TemplateResponse(request, "admin/comments/comment/public_name.html", context)

    # The comment's own page

    def _decision(self, request):
        """The decision button pressed on the comment's page: it posts the whole form, so the
        edits and the reply are saved with the decision instead of being lost."""
        if request.method != "POST":
            return None
        name = request.POST.get("_decision", "")
        if name == PUBLISH_WITH_NOTE.name:
            return PUBLISH_WITH_NOTE
        return queue.ACTIONS.get(name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self._decision(request) is not None and not self.has_moderate_permission(request):
            raise PermissionDenied
        comment = self.get_object(request, object_id)
        extra = {}
        if comment is not None:
            worries = comment.reports.unhandled_worries()
            # Where a decision or "Mark the worry as handled" returns: this page, without
            # CRISIS_REPLY (the reply box would come back with the resources already sent).
            query = request.GET.copy()
            query.pop(CRISIS_REPLY, None)
            crisis = query.copy()  # the page's own query (the queue's filters) kept
            crisis[CRISIS_REPLY] = "1"
            extra = {
                "this_page": f"{request.path}?{query.urlencode()}" if query else request.path,
                # "Reply with the crisis resources" in the Status box of a writer who may be in
                # crisis: the reply box was 1,500 px below it on a phone.
                # Not for one removed or marked as spam, which takes no reply (Save refused the
                # resources: "Only published or pending comments can be replied to"): write to
                # its writer, by the email beside it.
                "crisis_reply_url": f"?{crisis.urlencode()}#id_reply"
                if comment.urgent
                and comment.state in (Comment.State.PUBLISHED, Comment.State.PENDING)
                else "",
                # Its writer deleted it while it was public: its place stands over the replies.
                "deleted_in_place": comment.state == Comment.State.REMOVED
                and comment.reason == Comment.Reason.WITHDRAWN
                and Comment.objects.in_threads().filter(pk=comment.pk).exists(),
                "row_actions": queue.actions_for(comment),
                # "Publish with a note from the site", where Approve is offered.
                "note_decision": PUBLISH_WITH_NOTE
                if comment.state in PUBLISH_WITH_NOTE.applies_to
                else None,
                "thread": queue.thread(comment),
                "public_name": queue.reply_name(request),
                "can_moderate": self.has_moderate_permission(request),
                # "2 readers are worried about the writer", with "Mark the worry as handled".
                "unhandled_worries": worries.count(),
                # What they wrote, newest first: what the moderator reads before writing to the
                # writer (the box said only how many). A few; the reports list has them all.
                "worry_reports": list(worries.order_by("-worried_at", "-pk")[:WORRIES_SHOWN])
                if request.user.has_perm("comments.view_commentreport")
                else [],
                # "3 earlier versions", linked to them, if its writer edited it.
                "earlier_versions": comment.versions.count()
                if request.user.has_perm("comments.view_commentversion")
                else 0,
            }
        return super().change_view(
            request, object_id, form_url, extra_context={**extra, **(extra_context or {})}
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # Say which name readers will see (the moderator's public name or the site's). A copy
        # of the field: the form class shares its declared fields with every request.
        reply = copy.deepcopy(form.base_fields["reply"])
        reply.label = _("Reply as %(name)s") % {"name": queue.reply_name(request)}
        # The site's crisis resources, for the comment page's script to offer to put in the
        # reply (comment-queue.js): a moderator answering a worried reader need not retype them.
        reply.widget.attrs["data-crisis-reply"] = CrisisSupport.current().as_reply()
        if CRISIS_REPLY in request.GET and request.method == "GET":
            # "Reply with the crisis resources" (the Status box's link): the reply box opens
            # with them in it and the cursor there, without script.
            reply.initial = reply.widget.attrs["data-crisis-reply"]
            reply.widget.attrs["autofocus"] = True
        form.base_fields["reply"] = reply
        if not self.has_moderate_permission(request):
            # Replying to a held comment approves it: staff who may edit comments but not
            # decide had the box, and their reply published the comment and trusted its writer.
            del form.base_fields["reply"]
        form.decision = self._decision(request)  # a class made for this request
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_moderate_permission(request):
            return fieldsets
        return [(name, options) for name, options in fieldsets if options["fields"] != ["reply"]]

    def save_model(self, request, obj, form, change):
        """Save the edits, then the decision pressed with them and the reply: Approve first,
        so that a spam or removed comment can be replied to once approved (the form refuses a
        reply with any other decision)."""
        super().save_model(request, obj, form, change)
        decision = getattr(form, "decision", None)
        changed = {}
        if decision is not None and decision.state == Comment.State.PUBLISHED:
            note = (
                note_text(form.cleaned_data["site_note"]) if decision is PUBLISH_WITH_NOTE else None
            )
            changed = decisions.decide([obj], decision.state, request.user, note=note)
        text = form.cleaned_data.get("reply", "").strip()
        if text:  # only a moderator's form has the reply (``get_form``)
            try:
                _reply, approved = decisions.reply_as_site(obj, text, request.user)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                request._comment_replied = True
                notes = getattr(changed, "notes", {})
                changed = decisions.Changed({**approved, **changed})
                changed.notes.update(notes)
                self.message_user(request, _("Your reply is published."), messages.SUCCESS)
        if decision is not None and decision.state != Comment.State.PUBLISHED:
            changed = decisions.decide([obj], decision.state, request.user)
        request._comment_decided = changed  # for response_change's message and Undo

    def log_change(self, request, obj, message):
        # A decision pressed without edits is in the history as the decision (decisions.decide
        # logs it), and a reply as the reply: not also as "No fields changed."
        decided = self._decision(request) is not None or getattr(request, "_comment_replied", False)
        if message or not decided:
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        """After a decision on the comment's page: its message with Undo, back on the page.
        Save with a reply to a held comment approves it too: said so, with Undo (it said
        only "changed successfully", the comment published again unsaid)."""
        decision = self._decision(request)
        changed = getattr(request, "_comment_decided", {})
        if decision is None and not changed:
            return super().response_change(request, obj)
        state = decision.state if decision is not None else Comment.State.PUBLISHED
        done = self._done(len(changed), state, noted=decision is PUBLISH_WITH_NOTE)
        self._undo_message(request, done, changed, state)
        return self._back(request, obj)

    # Bulk actions (they honour "select all n" across pages: the queryset is the whole
    # selection, not the page)

    def _act(self, request, queryset, state, note=None):
        changed = decisions.decide(list(queryset), state, request.user, note=note)
        done = self._done(len(changed), state, noted=note is not None)
        self._undo_message(request, done, changed, state)
        return changed

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._act(request, queryset, Comment.State.PUBLISHED)

    @admin.action(description=_("Send selected comments back to pending"), permissions=["moderate"])
    def unapprove(self, request, queryset):
        self._act(request, queryset, Comment.State.PENDING)

    @admin.action(
        description=_("Publish selected comments with a note from the site…"),
        permissions=["moderate"],
    )
    def publish_with_note(self, request, queryset):
        """Publish with a short public note shown under each comment, marked as from the site
        (for a medical claim: "Please talk to your doctor before changing medication")."""
        note = note_text(request.POST.get("site_note", ""))
        error = None
        if request.POST.get("confirm") == "yes":
            error = note_error(note)
            if error:
                self.message_user(request, error, messages.ERROR)
            else:
                self._act(request, queryset, Comment.State.PUBLISHED, note=note)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish with a note from the site"),
            "opts": self.model._meta,
            "comments": list(queryset),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action": "publish_with_note",
            # The note they have, when they share one (changing a published comment's note
            # began from the default text); else the default.
            "note": note or _shared_note(queryset) or DEFAULT_NOTE,
            "back_url": request.get_full_path(),  # the queue as it was (see erase_commenter_data)
            "note_max_length": NOTE_MAX_LENGTH,
            "error": error,  # also said beside the box, which is marked as the one to correct
        }
        return TemplateResponse(request, "admin/comments/comment/publish_with_note.html", context)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["moderate"])
    def mark_spam(self, request, queryset):
        self._act(request, queryset, Comment.State.SPAM)

    @admin.action(
        description=_("Not spam: back to the queue, forgetting what they taught the spam list"),
        permissions=["moderate"],
    )
    def not_spam(self, request, queryset):
        spam = queryset.filter(state=Comment.State.SPAM)
        self._act(request, spam, Comment.State.PENDING)

    @admin.action(description=_("Remove selected comments"), permissions=["moderate"])
    def remove(self, request, queryset):
        self._act(request, queryset, Comment.State.REMOVED)

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
            # Two plurals, each by its own number: one commenter's 3 comments read "(3 comment)".
            people = ngettext("%(people)d commenter", "%(people)d commenters", len(emails)) % {
                "people": len(emails)
            }
            count = ngettext("%(count)d comment", "%(count)d comments", erased) % {"count": erased}
            self.message_user(
                request,
                _("Erased the data of %(people)s (%(count)s).")
                % {"people": people, "count": count},
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
            # The queue as the moderator left it (tab, filters, search): the action was posted
            # to its address. "No, take me back" went to the bare Pending tab.
            "back_url": request.get_full_path(),
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
class CrisisSupportAdmin(TextAsStored, admin.ModelAdmin):
    """The one row of crisis support text: edited, never added twice nor deleted."""

    list_display = ["heading"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "resources":
            # The format, with the forms people write a helpline in (the model refuses a line
            # it cannot show). Set here: the model's help text is part of its migrations.
            kwargs["help_text"] = _(
                "One a line: a text, or a text, a vertical bar and a phone number or a web "
                "address: Samaritans (UK) | 116 123, Lifeline | www.lifeline.org.au, "
                "Samaritans | https://www.samaritans.org/. A phone number is shown with its "
                "text and calls it when tapped."
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return not CrisisSupport.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MedicalClaimPattern)
class MedicalClaimPatternAdmin(admin.ModelAdmin):
    list_display = ["pattern", "kind", "category"]
    list_filter = ["category", "kind"]
    search_fields = ["pattern"]


def handled_by(at, username):
    """ "Worry handled by ana, 6 Dec 2026, 10:30": who dealt with a worry, and when."""
    return _("Worry handled by %(name)s, %(when)s") % {
        "name": username or _("a former moderator"),
        "when": date_format(timezone.localtime(at), "DATETIME_FORMAT"),
    }


class WorryFilter(admin.SimpleListFilter):
    """Worried reports a moderator has handled, or not yet (the overview's figure and the
    queue card's marker count those not yet handled)."""

    title = _("worry")
    parameter_name = "worry"

    def lookups(self, request, model_admin):
        return [("unhandled", _("Not yet handled")), ("handled", _("Handled"))]

    def queryset(self, request, queryset):
        if self.value() == "unhandled":
            return queryset.unhandled_worries()
        if self.value() == "handled":
            return queryset.filter(handled_at__isnull=False)
        return queryset


class ReportReasonFilter(admin.SimpleListFilter):
    """The reports by reason, named as each row's badge names them (``REPORT_REASONS``). Its
    parameter is the one Django's field filter had: the links to it keep working."""

    title = _("reason")
    parameter_name = "reason__exact"

    def lookups(self, request, model_admin):
        return list(REPORT_REASONS.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(reason=self.value())
        return queryset


def comment_link(comment_id, label):
    """A link to a comment's page in the admin. Unlike a foreign key's column (which never
    wraps), it lets a list of comments' records fit beside its other columns."""
    url = reverse("admin:comments_comment_change", args=[comment_id])
    return format_html('<a href="{}">{}</a>', url, label)


@admin.register(SpamSignature)
class SpamSignatureAdmin(admin.ModelAdmin):
    """The local spam list: learned when a moderator marks spam, read-only; an entry can be
    deleted (or "Not spam" on its comment removes all it taught)."""

    list_display = ["shown_value", "kind", "learned_from", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value"]
    list_select_related = ["comment"]
    readonly_fields = ["kind", "value", "comment", "created_at"]

    @admin.display(description=_("value"), ordering="value")
    def shown_value(self, entry):
        return entry.short_value  # the entry's own page shows it whole

    @admin.display(description=_("learned from"), ordering="comment")
    def learned_from(self, entry):
        return comment_link(entry.comment_id, entry.comment)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_deleted_objects(self, objs, request):
        """Not the text fingerprints' index rows ("Spam fingerprint minimums: 24"), which go
        with their entry: nothing a moderator knows or chooses."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        index = SpamFingerprintMinimum._meta
        deleted = without_listed(deleted, f"{capfirst(index.verbose_name)}: ")
        counts = {name: n for name, n in counts.items() if name != index.verbose_name_plural}
        return deleted, counts, perms_needed, protected


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records kept for moderators: read, never written here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# When a report last called for a moderator: when it was made, or when its reader became
# worried about the writer, if later (a worry keeps its first report's ``created_at``).
LAST_REPORTED = Greatest("created_at", Coalesce("worried_at", "created_at"))


class ReportedAtFilter(admin.DateFieldListFilter):
    """Django's date filter (Today, Past 7 days, ...) on the time the "Reported at" column
    shows and sorts by (``last_reported``, annotated by the admin's queryset): on
    ``created_at`` it left out a worry from today about a comment first reported last week,
    which the list showed dated today. Used as ``("created_at", ReportedAtFilter)``: a list
    filter must name a model field, and that field gives it its date links."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, "last_reported")
        self.title = _("reported at")


@admin.register(CommentReport)
class CommentReportAdmin(ReadOnlyAdmin):
    """Readers' reports, where the overview's "readers worried about a writer" leads: each row
    says which comment (its page in the admin), on which article (the comment there), who
    wrote it, whether readers still see it, and why it was reported, the worried ones marked.
    Like WordPress's Comments screen, a row leads where the moderator acts."""

    # WordPress's columns (what, by whom, in response to, when) after the report: few enough
    # to read beside the sidebar and the filters at 1,280 px, each a line on a phone.
    list_display = ["shown_reason", "comment_excerpt", "on_article", "reported_at"]
    # The report's own page would say no more than its row: the comment's page is where to act.
    list_display_links = None
    list_filter = [
        ReportReasonFilter,
        WorryFilter,
        "comment__state",
        ("created_at", ReportedAtFilter),
    ]
    list_select_related = ["comment", "handled_by"]
    search_fields = ["comment__comment", "comment__user_name", "text"]

    def has_view_permission(self, request, obj=None):
        # Whoever may read the comments may read why readers reported them: the overview, the
        # admin's home page and each comment lead here (staff who could only view comments
        # were sent to "You cannot open this page").
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "comments.view_comment"
        )

    # Newest first by when each report last called for a moderator: a report that has just
    # become a worry comes first, as the email, the queue card and the comment's page date it,
    # not down among the reports of its first day. By the annotation's name (not the
    # expression): Django marks a column sorted, and makes its heading reverse it, only for
    # an ordering it can match to the column's ``admin_order_field`` by name.
    ordering = ["-last_reported", "-pk"]
    # The reason as the list and the queue name it ("Worried about the writer"), not as the
    # reader chose it ("I'm worried about the person who wrote it").
    fields = [
        "comment",
        "moderators_reason",
        "text",
        "created_at",
        "worried_at",
        "handled_at",
        "handled_by",
    ]
    readonly_fields = ["moderators_reason"]

    def check(self, **kwargs):
        # ``ordering`` names ``last_reported``, which ``get_queryset`` annotates: Django's
        # check looks for it among the model's fields only (admin.E033). Any other error stays.
        return [
            error
            for error in super().check(**kwargs)
            if not (error.id == "admin.E033" and "'last_reported'" in error.msg)
        ]

    def get_fields(self, request, obj=None):
        # When the reader became worried, for a worry only: an earlier report from the same
        # browser keeps when it was first made ("reported at").
        fields = super().get_fields(request, obj)
        if obj is None or obj.worried_at is None:
            return [name for name in fields if name != "worried_at"]
        return fields

    def get_queryset(self, request):
        # As ModelAdmin's, with when each report last called for a moderator, which the list
        # shows, sorts and filters by, annotated before the ordering names it; and each row's
        # article, in one query for the page whatever the number of reports.
        reports = self.model._default_manager.annotate(last_reported=LAST_REPORTED)
        ordering = self.get_ordering(request)
        if ordering:
            reports = reports.order_by(*ordering)
        return reports.prefetch_related("comment__content_object")

    @admin.display(description=_("report"), ordering="reason")
    def shown_reason(self, obj):
        """Why the reader reported it (a worried reader marked out), and what they wrote."""
        if obj.reason == CommentReport.Reason.WORRIED:
            reason = format_html(
                '<strong class="report-worried">{}</strong>', REPORT_REASONS[obj.reason]
            )
        else:
            reason = obj.moderators_reason
        handled = ""
        if obj.handled_at:
            handled = format_html(
                '<span class="report-handled">{}</span>',
                handled_by(obj.handled_at, obj.handled_by and obj.handled_by.get_username()),
            )
        if not obj.text and not handled:
            return reason
        text = format_html('<q class="report-text">{}</q>', obj.text) if obj.text else ""
        # One element a cell: on a phone each cell is a grid of its label and its content.
        return format_html("<div>{}{}{}</div>", reason, text, handled)

    @admin.display(description=_("reported at"), ordering="last_reported")
    def reported_at(self, obj):
        """When the report last called for a moderator: a worry's time, with when the same
        reader first reported the comment if that was earlier."""
        if obj.worried_at is None or obj.worried_at <= obj.created_at:
            return date_format(timezone.localtime(obj.created_at), "DATETIME_FORMAT")
        return format_html(
            '<div>{}<span class="report-first">{}</span></div>',
            date_format(timezone.localtime(obj.worried_at), "DATETIME_FORMAT"),
            _("first reported %(when)s")
            % {"when": date_format(timezone.localtime(obj.created_at), "DATETIME_FORMAT")},
        )

    @admin.display(description=_("reason"))
    def moderators_reason(self, obj):
        return obj.moderators_reason

    @admin.display(description=_("comment"))
    def comment_excerpt(self, obj):
        """The comment's start, linked to its page in the admin, with its writer and whether
        readers see it now."""
        comment = obj.comment
        return format_html(
            '<div>{}<span class="report-by">{} <span class="qc-state qc-state-{}">{}</span></span>'
            "</div>",
            comment_link(comment.pk, Truncator(comment.comment).chars(80)),
            _("by %(name)s") % {"name": comment.user_name},
            comment.state,
            comment.get_state_display(),
        )

    @admin.display(description=_("in response to"))
    def on_article(self, obj):
        """The article's title, linked to the comment where readers see it."""
        article = obj.comment.content_object
        if article is None:
            return "-"
        return format_html(
            '<a href="{}" title="{}">{}</a>',
            obj.comment.get_absolute_url(),
            _("The comment on the article"),
            Truncator(str(article)).chars(60),
        )


class VersionsOfCommentFilter(admin.SimpleListFilter):
    """The earlier versions of one comment, as its page links to them ("3 earlier versions"):
    named, with "All" to go back. No choices otherwise: every edited comment would be one."""

    title = _("comment")
    parameter_name = "comment"
    comment = None  # the comment filtered to, if it exists (the list's heading names it)

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []
        try:
            self.comment = Comment.objects.filter(pk=value).first()
        except (ValueError, OverflowError):  # not a number, or past SQLite's integers
            self.comment = None
        return [(value, str(self.comment) if self.comment else _("comment %s") % value)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(comment=self.comment) if self.comment else queryset.none()
        return queryset


@admin.register(CommentVersion)
class CommentVersionAdmin(ReadOnlyAdmin):
    """Every earlier text of a comment its writer edited or deleted."""

    list_display = ["comment_name", "change", "state_then", "changed_at", "text_excerpt"]
    # The version's own page from its date: the first column, linked to the comment, sat in an
    # empty link of Django's (a link in a link, which browsers split).
    list_display_links = ["changed_at"]
    list_filter = [VersionsOfCommentFilter, "change"]
    list_select_related = ["comment"]
    search_fields = ["text", "comment__user_name"]  # what it said, or who wrote it
    fields = ["comment", "change", "state", "changed_at", "text"]

    @admin.display(description=_("comment"), ordering="comment")
    def comment_name(self, version):
        return comment_link(version.comment_id, version.comment)

    # Short headings: a list's headings do not wrap, and the long ones pushed the text out of
    # view beside the filters at 1,280 px.
    @admin.display(description=_("state then"), ordering="state")
    def state_then(self, version):
        return version.get_state_display()

    @admin.display(description=_("earlier text"))
    def text_excerpt(self, version):
        return Truncator(version.text).chars(200)  # the version's own page shows it whole


# The articles list, with each article's comments: this app adds the column, as the articles
# app does not know about comments (tests/test_layout.py).
admin.site.unregister(Article)


@admin.register(Article)
class ArticleWithCommentsAdmin(ArticleAdmin):
    """Like WordPress's Posts list: each article's published comments, and those waiting,
    each linked to the moderation queue for that article, for those who may see them."""

    def get_list_display(self, request):
        list_display = super().get_list_display(request)
        if request.user.has_perm("comments.view_comment"):
            return [*list_display, "discussion"]
        return list_display

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if "discussion" in changelist.list_display:
            articles = list(changelist.result_list)
            counts = queue.counts_by_object(articles)
            for article in articles:
                article.comment_counts = counts.get(article.pk, (0, 0))
        return changelist

    @admin.display(description=_("Comments"))
    def discussion(self, article):
        published, pending = article.comment_counts
        queue_url = reverse("admin:comments_comment_changelist")
        shown = format_html(
            '<a href="{}?article={}&amp;state=published" title="{}">{}</a>',
            queue_url,
            article.pk,
            ngettext("%(n)s published comment", "%(n)s published comments", published)
            % {"n": published},
            published,
        )
        if not pending:
            return shown
        return format_html(
            '<span>{} <a class="comments-waiting" href="{}?article={}&amp;state=pending">{}</a>'
            "</span>",
            shown,
            queue_url,
            article.pk,
            _("%(n)s waiting") % {"n": pending},
        )
