"""The article editor's server side: previews drawn by the public page's own templates.

The admin's article form posts its current content (saved or not, references included) to
these views, which are for staff who may add or change articles only:

- ``preview``: JSON for the side-by-side preview: the article as readers would see it (the
  same renderer, sanitiser and ``includes/article.html`` as the public page), with its word
  count, reading time and reading grade.
- ``frame``: the empty page the side-by-side preview is drawn in: the public stylesheet, so
  callouts, citations and the contents look exactly as they will.
- ``reader``: a whole reader page of the unsaved article, for "Preview as a reader".
- ``autosave`` / ``discard``: keep (or forget) what the form holds as the person's
  ``ArticleDraft``, so a closed tab or an expired session loses nothing; the form offers it
  back on the next visit. An autosave never touches the article itself.
"""

import datetime
import threading

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.markdown import analyse, table_of_contents
from articles.models import Article, ArticleDraft, CallToAction, Person, Reference, Topic
from articles.readability import grade_hint, reading_grade

REFERENCES_PREFIX = "references"
# Form fields an autosave keeps: not the CSRF token, the buttons or the files.
NOT_KEPT = {"csrfmiddlewaretoken", "object_id", "editor_token", "_save", "_continue", "_addanother"}
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
    references = article.__dict__["reference_list"] = references_from_post(data)
    article.render_body(keys=[reference.key for reference in references])
    return article


def _article_for(model_admin, request):
    """The saved article the form edits (``object_id``), or None for a new one; refused
    (403) to staff who may not change it, or add one."""
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


def draft_key(article: Article | None) -> str:
    """Which of a person's drafts belongs to this form: the article's id, or "new"."""
    return str(article.pk) if article is not None else ArticleDraft.NEW


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
    draft, _created = ArticleDraft.objects.update_or_create(
        user=request.user, key=draft_key(saved), defaults={"data": data}
    )
    return JsonResponse({"saved_at": draft.saved_at.isoformat()})


def _no_nul(text: str) -> str:
    return text.replace("\x00", "")


def discard_view(model_admin, request):
    """POST: forget the person's draft for this article (they chose not to restore it)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    saved = _article_for(model_admin, request)
    ArticleDraft.objects.filter(user=request.user, key=draft_key(saved)).delete()
    return JsonResponse({"discarded": True})


def pending_draft(request, article: Article | None) -> ArticleDraft | None:
    """The person's autosaved draft for this form, if it is newer than the article."""
    draft = ArticleDraft.objects.filter(user=request.user, key=draft_key(article)).first()
    if draft is None or (article is not None and draft.saved_at <= article.updated_at):
        return None
    return draft


def forget_draft(request, article: Article, *, was_new: bool) -> None:
    """The article was saved: the draft it was written from is no longer needed, here or in
    the browser that wrote it (told by the form's ``editor_token``)."""
    keys = [draft_key(article)] + ([ArticleDraft.NEW] if was_new else [])
    ArticleDraft.objects.filter(user=request.user, key__in=keys).delete()
    token = request.POST.get("editor_token", "")[:40]
    if token:
        request.session[SAVED_TOKENS] = [*request.session.get(SAVED_TOKENS, []), token][-20:]


def saved_tokens(request) -> str:
    """The editing sessions lately saved, for the form's script (space-separated)."""
    return " ".join(request.session.get(SAVED_TOKENS, []))


def editor_urls(model_admin) -> list:
    """The editor's preview URLs, to put before the admin's own (its catch-all is last)."""
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}"
    wrap = model_admin.admin_site.admin_view

    def preview(request):
        return preview_view(model_admin, request)

    def frame(request):
        return frame_view(model_admin, request)

    def reader(request):
        return reader_view(model_admin, request)

    def autosave(request):
        return autosave_view(model_admin, request)

    def discard(request):
        return discard_view(model_admin, request)

    return [
        path("editor/preview/", wrap(preview), name=f"{prefix}_preview"),
        path("editor/frame/", wrap(frame), name=f"{prefix}_preview_frame"),
        path("editor/reader/", wrap(reader), name=f"{prefix}_reader_preview"),
        path("editor/autosave/", wrap(autosave), name=f"{prefix}_autosave"),
        path("editor/autosave/discard/", wrap(discard), name=f"{prefix}_autosave_discard"),
    ]
