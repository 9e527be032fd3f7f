"""The article editor's server side: previews drawn by the public page's own templates.

The admin's article form posts its current content (saved or not, references included) to
these views, which are for staff who may add or change articles only (a call-to-action's form
has its own preview, the frame and autosave, for staff who may add or change those):

- ``preview``: JSON for the side-by-side preview: the article as readers would see it (the
  same renderer, sanitiser and ``includes/article.html`` as the public page), with its word
  count, reading time and reading grade.
- ``frame``: the empty page the side-by-side preview is drawn in: the public stylesheet, so
  callouts, citations and the contents look exactly as they will.
- ``reader``: a whole reader page of the unsaved article, for "Preview as a reader".
- ``autosave`` / ``discard``: keep (or forget) what the form holds as the person's
  ``ArticleDraft``, so a closed tab or an expired session loses nothing; the form offers it
  back on the next visit. An autosave never touches the article itself.
- ``call_to_action_preview``: JSON for a call-to-action's preview: the box as readers see it
  after an article (``includes/call_to_action.html``), heading, text and button.
"""

import contextlib
import datetime
import hashlib
import threading

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.markdown import analyse, render_markdown, table_of_contents
from articles.models import (
    Article,
    ArticleDraft,
    CallToAction,
    Person,
    Reference,
    Topic,
    validate_link,
)
from articles.readability import grade_hint, reading_grade

REFERENCES_PREFIX = "references"
# Form fields an autosave keeps: not the CSRF token, the buttons or the files. It keeps the
# editing session's ``editor_token``: the browser that kept a copy of its own tells by it
# whether the server's draft was written since, elsewhere.
NOT_KEPT = {"csrfmiddlewaretoken", "object_id", "_save", "_continue", "_addanother"}
# A person's drafts: an article's key is its id (or "new"); another kind's starts with this.
DRAFT_PREFIXES = {Article: "", CallToAction: "cta:"}
# The editing sessions (a random token per opened form) whose form was saved, kept in the
# person's session so the browser can drop its own copy of them.
SAVED_TOKENS = "articles_editor_saved_tokens"
MAX_DRAFT_FIELDS = 2000
# The preview frame is shown inside the admin's own page, and nowhere else.
FRAME_POLICY = "frame-ancestors 'self'"


def references_from_post(data) -> list[Reference]:
    """The references as the form holds them now: unsaved rows too, without the ones marked
    for deletion or left without a key, in the order of their numbers (then of the rows)."""
    try:
        total = min(int(data.get(f"{REFERENCES_PREFIX}-TOTAL_FORMS", 0)), 1000)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        prefix = f"{REFERENCES_PREFIX}-{index}-"
        key = data.get(f"{prefix}key", "").strip()
        if not key or data.get(f"{prefix}DELETE"):
            continue
        try:
            position = int(data.get(f"{prefix}position") or 0)
        except ValueError:
            position = 0
        try:
            accessed_on = datetime.date.fromisoformat(data.get(f"{prefix}accessed_on", ""))
        except ValueError:
            accessed_on = None
        reference = Reference(
            key=key,
            position=position,
            title=data.get(f"{prefix}title", "").strip() or key,
            publisher=data.get(f"{prefix}publisher", "").strip(),
            url=data.get(f"{prefix}url", "").strip(),
            accessed_on=accessed_on,
        )
        rows.append((position, index, reference))
    rows.sort(key=lambda row: row[:2])
    seen, references = set(), []
    for *_order, reference in rows:
        if reference.key not in seen:  # the form refuses a repeated key; show the first
            seen.add(reference.key)
            references.append(reference)
    return references


def _related(model, pk):
    try:
        return model._default_manager.filter(pk=int(pk)).first() if pk else None
    except ValueError:
        return None


def article_from_post(request, saved: Article | None) -> Article:
    """An unsaved article as the form describes it, rendered like ``Article.save`` would,
    with ``reference_list`` set to the form's references."""
    data = request.POST
    article = Article() if saved is None else Article.objects.get(pk=saved.pk)
    # The page's one heading is the title: never empty, even before one is typed.
    article.title = data.get("title", "").strip() or _("Untitled article")
    article.summary = data.get("summary", "").strip()
    article.topic = _related(Topic, data.get("topic"))
    article.byline = _related(Person, data.get("byline"))
    article.body = data.get("body", "")
    article.author = _related(get_user_model(), data.get("author")) or request.user
    article.call_to_action = _related(CallToAction, data.get("call_to_action"))
    # Its status and publish date as typed: the byline said the saved ones ("Published 12
    # October 2026") over a Status reading "Scheduled for 1 Mar 2027" until the save.
    if data.get("status") in Article.Status.values:
        article.status = data["status"]
    # A date the save refuses (said under the boxes) leaves the saved one meanwhile, as does
    # the saved one as the boxes show it (to the second: the page's "2026-12-07T23:58:54.557"
    # was not the preview's "…23:58:54").
    with contextlib.suppress(ValidationError):
        if "published_at_0" in data:
            typed = forms.SplitDateTimeField(required=False).clean(
                [data.get("published_at_0", ""), data.get("published_at_1", "")]
            )
            saved_at = article.published_at
            if not (typed and saved_at and typed == saved_at.replace(microsecond=0)):
                article.published_at = typed
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()  # as the save dates it
    references = article.__dict__["reference_list"] = references_from_post(data)
    article.render_body(keys=[reference.key for reference in references])
    article.mark_cited(references)
    return article


def _article_for(model_admin, request):
    """The saved article (or call-to-action) the form edits (``object_id``), or None for a new
    one; refused (403) to staff who may not change it, or add one."""
    object_id = request.POST.get("object_id", "")
    if object_id:
        saved = model_admin.get_object(request, unquote(object_id))
        if saved is None or not model_admin.has_change_permission(request, saved):
            raise PermissionDenied
        return saved
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    return None


def preview_view(model_admin, request):
    """POST the article form: the article part of the reader page, and its reading aids."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = article_from_post(request, _article_for(model_admin, request))
    analysis = analyse(article.body_html)
    html = render_to_string("includes/article.html", {"article": article}, request=request)
    grade = grade_when_ready(analysis.text)
    return JsonResponse(
        {
            "html": html,
            "words": article.word_count,
            "minutes": article.reading_time,
            "grade": grade or _("Reading grade: working it out…"),
            "grade_pending": grade is None,
            "contents": len(table_of_contents(analysis.headings)),
        }
    )


_grading_ready = threading.Event()
_grading_started = threading.Lock()


def _load_grading() -> None:
    reading_grade("Warm up.")
    _grading_ready.set()


def _warm_up_grading() -> None:
    """A process's first reading grade loads textstat's dictionaries: 2-4 s alone, 10 s when
    several requests load them at once. One background thread loads them, once, starting
    when the editor opens; until then the preview says the grade is coming."""
    if not _grading_ready.is_set() and _grading_started.acquire(blocking=False):
        threading.Thread(target=_load_grading, daemon=True).start()


def grade_when_ready(text: str) -> str | None:
    """The reading grade hint, or None while the dictionaries are still loading."""
    if not _grading_ready.is_set():
        _warm_up_grading()
        return None
    return grade_hint(reading_grade(text))


@xframe_options_sameorigin
def frame_view(model_admin, request):
    """The page the side-by-side preview is drawn in (the public stylesheet, no content)."""
    if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
        raise PermissionDenied
    _warm_up_grading()
    response = TemplateResponse(request, "admin/articles/article/preview_frame.html", {})
    response["Content-Security-Policy"] = _policy_with_frame_ancestors(request)
    return response


def _policy_with_frame_ancestors(request) -> str:
    from django.conf import settings

    policy = {**settings.CONTENT_SECURITY_POLICY, "frame-ancestors": ["'self'"]}
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


def reader_view(model_admin, request):
    """POST the article form: the whole reader page of the article as it stands in the form,
    saved or not (opened in a new tab by "Preview as a reader")."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = article_from_post(request, _article_for(model_admin, request))
    return TemplateResponse(request, "articles/article_preview.html", {"article": article})


def call_to_action_preview_view(model_admin, request):
    """POST the call-to-action form: the box readers see after an article, as the form
    describes it, drawn by the public template."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved = _article_for(model_admin, request)
    data = request.POST
    cta = CallToAction() if saved is None else CallToAction.objects.get(pk=saved.pk)
    cta.heading = data.get("heading", "").strip()
    cta.text = data.get("text", "")
    cta.text_html = render_markdown(cta.text)
    cta.button_label = data.get("button_label", "").strip()
    cta.button_url = data.get("button_url", "").strip()
    try:
        validate_link(cta.button_url)
    except ValidationError:
        cta.button_url = ""  # saving refuses it; the preview's button leads nowhere
    html = render_to_string("includes/call_to_action.html", {"cta": cta}, request=request)
    return JsonResponse({"html": html})


def draft_key(obj, model=Article, token: str = "") -> str:
    """Which of a person's drafts belongs to this form: the article's id; for one not saved
    yet, "new-" and its editing session's (its form's token): two new articles written in two
    tabs kept one draft, and the second's autosave lost the first. "new" alone was that one
    draft (kept from before). For a call-to-action, the same after "cta:"."""
    prefix = DRAFT_PREFIXES[model]
    if obj is not None:
        return prefix + str(obj.pk)
    if not token:
        return prefix + ArticleDraft.NEW
    return f"{prefix}{ArticleDraft.NEW}-{hashlib.sha256(token.encode()).hexdigest()[:12]}"


def _new_drafts(request, model):
    """The person's drafts of new articles (or calls-to-action), newest first."""
    prefix = DRAFT_PREFIXES[model] + ArticleDraft.NEW
    return ArticleDraft.objects.filter(user=request.user, key__startswith=prefix)


def _draft_title(draft) -> str:
    """What names a draft of a new one: an article's title, a call-to-action's name."""
    return draft.data.get("title") or draft.data.get("name") or _("no title")


def _token(request, name="editor_token") -> str:
    return request.POST.get(name, "")[:40]


def autosave_view(model_admin, request):
    """POST the article form: keep it as the person's draft for this article (replacing the
    last one). Answers with the time it was kept."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved = _article_for(model_admin, request)
    # PostgreSQL's JSON holds no NUL character (a paste from a PDF may bring one): the draft
    # was lost with a 500. Dropped here; saving the form refuses one with the field marked.
    data = {
        _no_nul(name): [_no_nul(v) for v in values] if len(values) > 1 else _no_nul(values[-1])
        for name, values in list(request.POST.lists())[:MAX_DRAFT_FIELDS]
        if name not in NOT_KEPT
    }
    key = draft_key(saved, model_admin.model, _token(request))
    draft, _created = ArticleDraft.objects.update_or_create(
        user=request.user, key=key, defaults={"data": data}
    )
    if saved is None and _token(request):
        # A draft restored from another place (kept as "new" before) is this one now.
        _new_drafts(request, model_admin.model).filter(data__editor_token=_token(request)).exclude(
            key=key
        ).delete()
    return JsonResponse({"saved_at": draft.saved_at.isoformat()})


def _no_nul(text: str) -> str:
    return text.replace("\x00", "")


def discard_view(model_admin, request):
    """POST: forget the person's draft for this article (they chose not to restore it)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved = _article_for(model_admin, request)
    if saved is not None:
        ArticleDraft.objects.filter(
            user=request.user, key=draft_key(saved, model_admin.model)
        ).delete()
    elif token := _token(request, "draft_token"):  # the new article's draft offered, alone
        _new_drafts(request, model_admin.model).filter(data__editor_token=token).delete()
    return JsonResponse({"discarded": True})


def _last_saved(obj):
    """When ``obj`` was last saved: its ``updated_at``, or for a model without one (a
    call-to-action) the admin's last record of a change to it (None if none)."""
    if hasattr(obj, "updated_at"):
        return obj.updated_at
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
    return entries.order_by("-action_time").values_list("action_time", flat=True).first()


def pending_draft(request, obj, model=Article) -> ArticleDraft | None:
    """The person's autosaved draft for this form, if it is newer than the saved object; for a
    new one, their latest draft of a new one, or the one ``?draft=`` names (``other_drafts``)."""
    if obj is None:
        drafts = _new_drafts(request, model)
        chosen = request.GET.get("draft", "")
        return (chosen and drafts.filter(key=DRAFT_PREFIXES[model] + chosen).first()) or (
            drafts.first()
        )
    draft = ArticleDraft.objects.filter(user=request.user, key=draft_key(obj, model)).first()
    saved = _last_saved(obj) if obj is not None and draft is not None else None
    if draft is None or (saved is not None and draft.saved_at <= saved):
        return None
    return draft


def forget_draft(request, obj, *, was_new: bool, model=Article) -> None:
    """The article (or call-to-action) was saved: the draft it was written from is no longer
    needed, here or in the browser that wrote it (told by the form's ``editor_token``)."""
    ArticleDraft.objects.filter(user=request.user, key=draft_key(obj, model)).delete()
    token = request.POST.get("editor_token", "")[:40]
    if was_new and token:  # this editing session's draft, not another new article's
        _new_drafts(request, model).filter(data__editor_token=token).delete()
    if token:
        request.session[SAVED_TOKENS] = [*request.session.get(SAVED_TOKENS, []), token][-20:]


def saved_tokens(request) -> str:
    """The editing sessions lately saved, for the form's script (space-separated)."""
    return " ".join(request.session.get(SAVED_TOKENS, []))


def editor_urls(model_admin) -> list:
    """The editor's preview URLs, to put before the admin's own (its catch-all is last): an
    article's, or a call-to-action's (its own preview; no reader's page)."""
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}"
    wrap = model_admin.admin_site.admin_view
    is_article = model_admin.model is Article

    def preview(request):
        if not is_article:
            return call_to_action_preview_view(model_admin, request)
        return preview_view(model_admin, request)

    def frame(request):
        return frame_view(model_admin, request)

    def reader(request):
        return reader_view(model_admin, request)

    def autosave(request):
        return autosave_view(model_admin, request)

    def discard(request):
        return discard_view(model_admin, request)

    reader_url = path("editor/reader/", wrap(reader), name=f"{prefix}_reader_preview")
    return [
        path("editor/preview/", wrap(preview), name=f"{prefix}_preview"),
        path("editor/frame/", wrap(frame), name=f"{prefix}_preview_frame"),
        *([reader_url] if is_article else []),
        path("editor/autosave/", wrap(autosave), name=f"{prefix}_autosave"),
        path("editor/autosave/discard/", wrap(discard), name=f"{prefix}_autosave_discard"),
    ]


class EditorForm:
    """For a ``ModelAdmin`` whose change form runs ``static/js/article-editor.js`` (articles,
    calls-to-action; listed first): the editor's URLs, and the form offering back what
    autosave kept of unsaved changes."""

    def get_urls(self):
        return [*editor_urls(self), *super().get_urls()]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            extra_context["autosaved"] = draft = pending_draft(request, obj, self.model)
            if obj is None and draft is not None:  # the person's other new articles' drafts
                prefix = DRAFT_PREFIXES[self.model]
                extra_context["other_drafts"] = [
                    {
                        "key": other.key.removeprefix(prefix),
                        "title": _draft_title(other),
                        "saved_at": other.saved_at,
                    }
                    for other in _new_drafts(request, self.model).exclude(pk=draft.pk)[:10]
                ]
                extra_context["autosaved_title"] = _draft_title(draft)
                extra_context["draft_chosen"] = bool(request.GET.get("draft"))
            extra_context["saved_editor_tokens"] = saved_tokens(request)
        else:
            # Sent back to be corrected (a save that succeeds redirects): the form holds what
            # was typed, nothing to offer back, in the same editing session.
            extra_context["sent_back"] = True
            extra_context["editor_token"] = request.POST.get("editor_token", "")[:40]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        forget_draft(request, form.instance, was_new=not change, model=self.model)
