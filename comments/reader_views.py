"""Readers' controls on the page: edit or delete your own comment, report one, and the
comments feed of an article. Plain forms that work without script (``static/js/comments.js``
opens the edit form in place when it can).

Like posting, these forms are checked by origin rather than by a CSRF cookie (see
``comments.views._from_this_site``): a CSRF cookie would keep the reader out of the shared
page cache for the rest of their visit. Edit and delete also need this browser's commenter
key, a SameSite=Lax cookie that another site's form never sends.
"""

from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from comments import controls, trust
from comments.models import Comment, CommentReport, CrisisSupport, comment_url
from comments.render import worried_box
from comments.views import _from_this_site, _see_other, client_ip

FOREIGN_FORM = "This form was sent from another website, so it was not accepted."


def _comment(pk, *states):
    return get_object_or_404(
        Comment.objects.select_related(None).prefetch_related("content_object"),
        pk=pk,
        state__in=states,
    )


def _too_late(request, comment):
    """The refusal, with an edit's text given back: it may have been written as the window
    closed, and it is the writer's to copy, not ours to drop."""
    context = {"article": comment.content_object, "text": request.POST.get("comment", "")}
    return render(request, "comments/too_late.html", context, status=403)


def _own(request, pk):
    """The comment if this browser may still change it, else the reason as a response."""
    comment = _comment(pk, Comment.State.PENDING, Comment.State.PUBLISHED)
    if not controls.can_change(comment, trust.commenter_key_hash(request)):
        return comment, _too_late(request, comment)
    if request.method == "POST" and not _from_this_site(request):
        context = {
            "reason": FOREIGN_FORM,
            "article": comment.content_object,  # the way back, as every refusal has
            "text": request.POST.get("comment", ""),
        }
        return comment, render(request, "comments/too_late.html", context, status=403)
    return comment, None


def _no_longer_shown(request, pk):
    """An edit sent for a comment no longer shown (a moderator took it down, or the writer
    deleted it in another tab meanwhile): not "Page not found" with the text lost, but why,
    with the text to copy, and the way back to the article if this browser wrote it."""
    key_hash = trust.commenter_key_hash(request)
    mine = (
        Comment.objects.select_related(None)
        .prefetch_related("content_object")
        .filter(pk=pk, commenter_key_hash=key_hash)
        .first()
        if key_hash
        else None
    )
    context = {
        "reason": "This comment is no longer shown, so it can no longer be changed.",
        "article": mine.content_object if mine is not None else None,
        "text": request.POST.get("comment", ""),
    }
    return render(request, "comments/too_late.html", context, status=404)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def edit_comment(request, pk):
    """Edit your own comment within the edit window; the old text is kept for moderators."""
    try:
        comment, refusal = _own(request, pk)
    except Http404:
        if request.method == "POST":
            return _no_longer_shown(request, pk)
        raise
    if refusal is not None:
        return refusal
    text, error = comment.comment, ""
    if request.method == "POST":
        text = request.POST.get("comment", "")
        try:
            controls.edit(comment, text)
        except controls.ChangeRefusedError as refused:
            error = str(refused)
        else:
            return _see_other(comment_url(comment.content_object, comment.pk))
    context = {
        "comment": comment,
        "article": comment.content_object,
        "text": text,
        "error": error,
        "deadline": controls.edit_deadline(comment),
        "minutes_left": controls.edit_minutes_left(comment),
        "max_length": controls.COMMENT_MAX_LENGTH,
    }
    response = render(request, "comments/edit.html", context, status=400 if error else 200)
    # One browser's own page, and "for the next 14 minutes" is true only now: never stored.
    patch_cache_control(response, private=True, no_store=True)
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def delete_comment(request, pk):
    """Delete your own comment within the edit window (GET asks, POST deletes)."""
    try:
        comment, refusal = _own(request, pk)
    except Http404:
        # Back from the confirmation, or the form sent again: it is deleted already, which is
        # what its writer needs to read (not "Page not found", as if it had not worked).
        if _withdrawn_by_this_browser(request, pk):
            return _see_other(reverse("comments:deleted", args=[pk]))
        raise
    if refusal is not None:
        return refusal
    if request.method == "POST":
        controls.delete_own(comment)
        # Not the article: a page that may be shared (cached) cannot say "yours was deleted".
        return _see_other(reverse("comments:deleted", args=[comment.pk]))
    context = {
        "comment": comment,
        "article": comment.content_object,
        # A held comment's replies are not shown, and stay so: none to say stay.
        "replies": controls.public_replies(comment)
        if comment.state == Comment.State.PUBLISHED
        else 0,
        "kept_days": settings.COMMENTS_SPAM_RETENTION_DAYS,  # then emptied (make clear-spam)
    }
    return render(request, "comments/delete.html", context)


def _withdrawn_by_this_browser(request, pk) -> bool:
    """This browser wrote the comment and deleted it (its key, as the comment keeps it)."""
    key_hash = trust.commenter_key_hash(request)
    return bool(key_hash) and (
        Comment.objects.select_related(None)
        .filter(
            pk=pk,
            state=Comment.State.REMOVED,
            reason=Comment.Reason.WITHDRAWN,
            commenter_key_hash=key_hash,
        )
        .exists()
    )


@require_GET
def comment_deleted(request, pk):
    """The writer's confirmation that their comment is gone (after the POST, so a reload
    deletes nothing again). Only the browser that wrote and withdrew it gets the page."""
    comment = _comment(pk, Comment.State.REMOVED)
    key_hash = trust.commenter_key_hash(request)
    if (
        comment.reason != Comment.Reason.WITHDRAWN
        or not key_hash
        or comment.commenter_key_hash != key_hash
    ):
        raise Http404("No comment of this browser's was deleted here.")
    in_place = Comment.objects.in_threads().filter(pk=comment.pk).exists()  # public when deleted
    context = {
        "article": comment.content_object,
        "replies": controls.public_replies(comment) if in_place else 0,
        "kept_days": settings.COMMENTS_SPAM_RETENTION_DAYS,  # then emptied (make clear-spam)
    }
    response = render(request, "comments/deleted.html", context)
    patch_cache_control(response, private=True, no_store=True)  # one browser's own page
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def report_comment(request, pk):
    """Report a public comment to the moderators (GET shows the form, POST records it)."""
    worry = request.POST.get("reason") == CommentReport.Reason.WORRIED
    try:
        comment = _comment(pk, Comment.State.PUBLISHED)
    except Http404:
        if request.method != "POST":
            raise
        comment = _comment(pk, Comment.State.PENDING, Comment.State.REMOVED, Comment.State.SPAM)
        # Hidden since the form was opened: a worry is about its writer, not about what
        # readers see, and reaches the moderators all the same (never its text shown here).
        if not (worry and _hidden_lately(comment)):
            return _report_of_a_hidden_comment(request, comment)
    if comment.is_erased:  # public, its writer's text gone: nothing is left in it to report
        raise Http404("Its writer had it removed.")
    hidden = comment.state != Comment.State.PUBLISHED
    worried_choice = [(CommentReport.Reason.WORRIED, CommentReport.Reason.WORRIED.label)]
    context = {
        "comment": comment,
        "hidden": hidden,
        "article": comment.content_object,
        # A form sent back to correct, for a hidden comment: only a worry is taken.
        "reasons": worried_choice if hidden else CommentReport.Reason.choices,
        "chosen": request.POST.get("reason", ""),
        "text": request.POST.get("text", ""),
        "max_length": controls.REPORT_MAX_LENGTH,
    }
    if request.method == "GET":
        # This browser's report of it, said before the form is filled in again: a second
        # report is not recorded (its reason and words were dropped with only "You had
        # already reported this comment" after sending), except a worry about its writer.
        key = trust.commenter_key(request)
        earlier = key and (
            CommentReport.objects.filter(
                comment=comment, reporter_key_hash=trust.hash_commenter_key(key)
            )
            .only("reason", "created_at", "handled_at")
            .first()
        )
        response = render(request, "comments/report.html", {**context, "earlier": earlier})
        if earlier:
            patch_cache_control(response, private=True, no_store=True)  # one browser's own
        return response
    if worry:
        # The reporter may know the writer, or be the one nearest them: the site's resources,
        # on the thanks or above a refusal (a rate limit must not leave them with nothing).
        context["crisis"] = worried_box(CrisisSupport.current().links())
    if not _from_this_site(request):
        return render(
            request, "comments/report.html", {**context, "error": FOREIGN_FORM}, status=403
        )
    try:  # a report the reader must change first is not counted towards the limits
        text = controls.checked_report(comment, context["chosen"], context["text"])
    except controls.ChangeRefusedError as refused:
        # No reason chosen: the choices are the field to correct, marked as the comment form
        # marks its fields (the alert alone said so); else the text is (too long, say).
        unchosen = context["chosen"] not in dict(context["reasons"])
        # A text to shorten is said with a missing reason too, not only once that is chosen.
        text_error = controls.report_text_problem(context["text"]) if unchosen else str(refused)
        context = {
            **context,
            "error": str(refused),
            "reason_error": unchosen,
            "text_error": text_error,
        }
        return render(request, "comments/report.html", context, status=400)
    if worry and controls.over_worried_limit(client_ip(request)):
        error = (
            "You have sent many worried reports in a short time, so this one was not sent to "
            "the moderators. Please try again later."
        )
        return render(request, "comments/report.html", {**context, "error": error}, status=429)
    # A worry hides nothing and may be urgent: the ordinary report limit does not turn it away.
    if not worry and controls.over_report_limit(client_ip(request)):
        error = "You have sent several reports in a short time. Please try again in a few minutes."
        return render(request, "comments/report.html", {**context, "error": error}, status=429)
    key = trust.commenter_key(request) or trust.new_commenter_key()
    counted = controls.report(comment, trust.hash_commenter_key(key), context["chosen"], text)
    # The thanks is a page of its own: as the POST's answer, a reload sent the report again.
    thanks = reverse("comments:reported", args=[comment.pk])
    response = _see_other(thanks if counted else f"{thanks}?again=1")
    trust.set_commenter_key(response, key)
    return response


@require_GET
def comment_reported(request, pk):
    """The thanks after a report (``report_comment`` redirects here): for the browser that
    reported the comment alone, from its report. A worry about the writer brings the site's
    resources, and for a comment no longer shown says the moderators were told all the same;
    ``?again=1`` is a report this browser had sent already."""
    key = trust.commenter_key(request)
    report = key and (
        CommentReport.objects.filter(comment_id=pk, reporter_key_hash=trust.hash_commenter_key(key))
        .select_related("comment")
        .first()
    )
    if not report:
        raise Http404("This browser did not report this comment.")
    comment = report.comment
    worry = report.reason == CommentReport.Reason.WORRIED
    context = {
        "comment": comment,
        "article": comment.content_object,
        "again": request.GET.get("again") == "1",
        "hidden": worry and comment.state != Comment.State.PUBLISHED,
        "crisis": worried_box(CrisisSupport.current().links()) if worry else "",
    }
    response = render(request, "comments/reported.html", context)
    patch_cache_control(response, private=True, no_store=True)  # one browser's own
    return response


# How long after a comment was taken down (or held back by readers' reports) a worry about
# its writer is still taken: a report form opened before. One never shown, or hidden long
# ago, takes none: anyone can send a comment's number, and each first worry mails the
# moderators at once, whatever the hour.
HIDDEN_WORRY_WINDOW = timedelta(days=1)


def _hidden_lately(comment) -> bool:
    """Whether ``comment`` was shown to readers until lately: a decision (a moderator's, or
    the readers' reports holding it) since ``HIDDEN_WORRY_WINDOW`` ago."""
    since = timezone.now() - HIDDEN_WORRY_WINDOW
    return comment.moderated_at is not None and comment.moderated_at > since


def _report_of_a_hidden_comment(request, comment):
    """A report sent for a comment hidden since the form was opened (reported by others, or
    taken down): not "Page not found", but that it was not sent and why, the reporter's words
    to copy, and for a worry the site's resources (someone may still be in danger). Never the
    comment itself: it is not public. (A worry about a comment hidden lately is sent all
    the same: ``report_comment``.)"""
    context = {"article": comment.content_object, "text": request.POST.get("text", "")}
    if request.POST.get("reason") == CommentReport.Reason.WORRIED:
        context["crisis"] = worried_box(CrisisSupport.current().links())
    return render(request, "comments/report_not_sent.html", context, status=404)
