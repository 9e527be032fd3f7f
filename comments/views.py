"""Posting a comment, and the two links in our emails (confirm an address, unsubscribe).

The post pipeline: CSRF (middleware), the form's signed token, honeypot and time trap, article
open, thread checks, the one-time nonce (duplicates), rate limit, the moderation rules, then one
transaction. Whatever goes wrong, the reader gets a page with their text and a plain reason.
"""

import copy
import logging
from datetime import timedelta
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_comments.models import Comment as ContribComment

from articles import pagecache
from comments import health, notifications, rules, trust
from comments.forms import FORM_COOKIE, CommentForm, issue_form_token
from comments.models import Comment, CrisisSupport, VerifiedEmail, comment_url
from comments.moderation import (
    CommentRefusedError,
    is_over_rate_limit,
    moderator_for,
    rate_counts,
)
from comments.render import crisis_box, mask_email
from comments.threads import effective_parent

logger = logging.getLogger(__name__)

# Unsubscribe links never expire: the one in a years-old email (and its List-Unsubscribe
# header, RFC 8058) must still stop the emails; the link can do nothing else.
UNSUBSCRIBE_MAX_AGE = None


def client_ip(request) -> str | None:
    """The reader's address, as nervepain's ClientAddressMiddleware worked it out."""
    return getattr(request, "client_ip", None) or request.META.get("REMOTE_ADDR")


# The articles this process took posts for, under the page version they were read at
# ((model, pk, version) -> article). Any change readers could see (an article edited,
# unpublished or closed to comments) moves the version on, once at the change and again at its
# commit, so a copy is never used past a change; meanwhile a post reads no article row.
_recent_targets: dict = {}
_RECENT_TARGETS = 64


def _target(request):
    """The published article the form names, or None if it names anything else."""
    try:
        model = apps.get_model(*request.POST.get("content_type", "").split(".", 1))
    except (TypeError, ValueError, LookupError):
        return None
    if moderator_for(model) is None:
        return None
    pk = request.POST.get("object_pk", "")
    version = getattr(request, "page_version", None)
    key = (model._meta.label, pk, str(version)) if version is not None else None
    article = _recent_targets.get(key)
    if article is None:
        try:
            # Not the body in its forms: a post needs the article's settings and address.
            articles = model._default_manager.published()
            article = articles.defer(*getattr(articles, "LIST_DEFERRED", ())).get(pk=pk)
        except (model.DoesNotExist, ValueError, TypeError, ValidationError):
            return None
        if key is not None:
            if len(_recent_targets) >= _RECENT_TARGETS:
                _recent_targets.clear()
            _recent_targets[key] = article
    return copy.copy(article)  # this request's own: nothing it sets on it is shared


def _field_errors(form):
    """Each visible field's errors, in the form's order: (the field's id, label, error)."""
    return [
        (field.auto_id, field.label, error)
        for field in form.visible_fields()
        if field.name != "honeypot"  # refused as automated: said in the reason
        for error in field.errors
    ]


def _replying_to(target, form):
    """The public comment a refused reply answers, to show it again; None (a new comment)
    when the form named none, or one this article does not show."""
    reply_id = getattr(form, "cleaned_data", {}).get("reply_to")
    if not reply_id:
        return None
    found = (
        Comment.objects.for_object(target)
        .public()
        .select_related(None)
        .order_by()
        .filter(pk=reply_id)
        .values_list("user_name", flat=True)
        .first()
    )
    return None if found is None else {"pk": reply_id, "user_name": found}


def _crisis_box(text, database_away):
    """The crisis resources, if the refused text matched a crisis phrase: its writer may be
    in danger now, whatever was wrong with the form (an email left out, a form too old)."""
    if database_away or not text.strip() or not health.crisis_phrases_in(text):
        return ""
    return SafeString(crisis_box(CrisisSupport.current(), "problem", heading="h2", focus=True))


def _problem(request, target, form, reason, status, closed=False, database_away=False):
    """The form again, with what the reader typed, a fresh token and the reason: above the
    form, each field's error links to the field (the form is long on a phone), and a reply
    is still a reply to the same comment. A text that matched a crisis phrase comes with the
    crisis resources first, as it would under the posted comment."""
    shown = form is not None and not closed
    text = request.POST.get("comment", "")
    context = {
        "article": target,
        "form": form,
        "reason": reason,
        "field_errors": _field_errors(form) if shown else [],
        "replying_to": _replying_to(target, form) if shown else None,
        "text": text,
        "crisis": _crisis_box(text, database_away),
        "closed": closed,
        "database_away": database_away,  # the header and footer: only what the cache holds
    }
    response = render(request, "comments/problem.html", context, status=status)
    # The reader has had the form since the page that served it: no new wait to send it again.
    issue_form_token(request, response, form.next_served_at() if form is not None else None)
    return response


def _see_other(url):
    response = redirect(url)
    response.status_code = 303
    return response


def keeps_text_when_the_database_fails(view):
    """If the database is unreachable, answer 503 with the reader's text, never a bare 500.

    The comment is saved in one transaction, so a failure part-way leaves no partial rows.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            logger.exception("comment not saved: database unavailable")
            reason = (
                "We could not save your comment just now: our database is unavailable. "
                "Nothing was posted. Your text is kept below; please copy it and try again "
                "in a minute."
            )
            response = _problem(request, None, None, reason, 503, database_away=True)
            response["Retry-After"] = "60"
            return response

    return wrapper


def _from_this_site(request) -> bool:
    """Cross-site request forgery check by origin, as browsers report it.

    Browsers send Sec-Fetch-Site, or at least Origin, with every cross-origin POST; a request
    with neither is not a browser following another site's form.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    return origin in allowed


@require_GET
def form_token(request):
    """A fresh form token cookie, for a page that came without one.

    A front cache (Varnish, a CDN) keeps one copy of a page for every reader, so it drops the
    token cookie the page carried; the form's script asks here when the reader first turns to
    the form. A token the browser holds already (from an earlier page) is kept: a new one
    would start the time trap again. Without script, the post is refused with the text kept
    and a fresh token.
    """
    response = HttpResponse(status=204)
    patch_cache_control(response, private=True, no_store=True)
    if FORM_COOKIE not in request.COOKIES:
        issue_form_token(request, response)
    return response


# The reader pages are cached and shared between readers, so the form cannot carry a per-reader
# CSRF token; the origin check below does that job (see _from_this_site), and the signed form
# token with its one-time nonce stops replays.
@csrf_exempt
@require_POST
@keeps_text_when_the_database_fails
def post_comment(request):
    if not _from_this_site(request):
        reason = "This form was sent from another website, so it was not accepted."
        return _problem(request, None, None, reason, 403)
    # One cache round trip for the page version (the article's copy is kept under it) and the
    # rule lists, where each took one.
    found = cache.get_many([pagecache.VERSION_KEY, *rules.KEYS])
    request.page_version = found.get(pagecache.VERSION_KEY) or pagecache.current_version()
    target = _target(request)
    if target is None:
        reason = "This comment does not belong to an article open for discussion."
        return _problem(request, None, None, reason, 400)
    moderator = moderator_for(type(target))
    form = CommentForm(target, data=request.POST, token=request.COOKIES.get(FORM_COOKIE, ""))

    if not moderator.is_open(target):
        reason = "Comments are closed on this article. Your text is kept below."
        return _problem(request, target, form, reason, 403, closed=True)

    if not form.is_valid():
        # What the reader can act on first: a field to correct comes before the token (a
        # new one comes with this page).
        if "honeypot" in form.errors:
            logger.info("comment refused: honeypot filled ip=%s", client_ip(request))
            reason = "Your comment looked automated and was not accepted."
        elif "reply_to" in form.errors:  # a hidden field: no comment has such an id
            reason = (
                "The comment you replied to is not available on this article. "
                "Your text is kept below: you can post it as a new comment."
            )
        elif _field_errors(form):
            reason = "Please correct the fields marked below:"
        elif form.has_token_error("too_fast"):
            reason = "That was faster than we allow. Please wait a few seconds and send it again."
        elif form.has_token_error("expired"):
            reason = "This form had expired. Your text is kept below: please send it again."
        else:  # the token's signature, or the article fields
            reason = (
                "This form could not be checked. Your text is kept below: please send it again."
            )
        return _problem(request, target, form, reason, 400)

    reply_to = form.cleaned_data.get("reply_to") or 0
    try:
        parent = effective_parent(target, reply_to)
    except ValueError as error:
        form.cleaned_data["reply_to"] = None  # shown again as a new comment, as the reason says
        return _problem(request, target, form, str(error), 400)

    # A form sent twice is caught when its comment is saved (its one-time nonce is unique);
    # the same text sent again from this browser (back, then send) is found here. A browser
    # that brings no commenter key has posted nothing from here (every post leaves one), but
    # its writer may be sending the comment again from another device, or after clearing
    # cookies. A text that matched a crisis phrase is looked up at once: a second copy would
    # put the same urgent comment twice in the queue and email the moderators twice.
    nonce = form.nonce
    known_key = trust.commenter_key(request)
    # Read once: the moderation rules below take what was found here, and the lists.
    lists, crisis = rules.current(found), None
    if not known_key:
        crisis = health.crisis_phrases_in(form.cleaned_data["comment"], lists)
    looked_up = bool(known_key or crisis)
    if looked_up:
        resent = _same_comment_sent_before(target, parent, form.cleaned_data, known_key)
        if resent is not None:  # the comment exists already
            return _sent_before(request, target, known_key, *resent)

    is_staff = request.user.is_authenticated and request.user.is_staff
    ip = client_ip(request)
    counts = () if is_staff else rate_counts(ip, form.cleaned_data["email"])
    # Any other text from a browser without a key: only if the rate limit's counter (read
    # anyway, no query) says this address sent a comment earlier in its window. A first
    # post, the common case, asks the database nothing more.
    if not looked_up and counts and counts[1] > 1:
        resent = _same_comment_sent_before(target, parent, form.cleaned_data, known_key)
        if resent is not None:  # sent again is no new comment: before the limit says so
            return _sent_before(request, target, known_key, *resent)
    if is_over_rate_limit(counts):
        reason = (
            "You have sent several comments in a short time. Please wait a few minutes and "
            "send this one again: your text is kept below."
        )
        return _problem(request, target, form, reason, 429)

    key = known_key or trust.new_commenter_key()
    comment = form.get_comment_object(site_id=settings.SITE_ID)
    comment.content_object = target  # its address is the article's: no query to find it
    comment.ip_address = ip
    comment.parent_id = parent.pk if parent else 0
    comment.replied_to = reply_to if parent and parent.pk != reply_to else None
    comment.commenter_key_hash = trust.hash_commenter_key(key)
    if request.user.is_authenticated:
        comment.user = request.user

    try:
        # A key made just now has earned no trust: only a browser's own key is looked up.
        known_hash = comment.commenter_key_hash if known_key else ""
        decision = moderator.decide(comment, target, request.user, known_hash, crisis, lists)
    except CommentRefusedError as refusal:
        logger.info("comment refused: %s ip=%s", refusal, ip)
        return _problem(request, target, form, str(refusal), 400)
    comment.state, comment.reason, comment.reason_detail = (
        decision.state,
        decision.reason,
        decision.detail,
    )
    comment.urgent = decision.urgent

    try:
        with transaction.atomic():
            comment.save()
            if comment.state == Comment.State.PENDING:
                notifications.comment_held(comment)
            elif comment.state == Comment.State.PUBLISHED:
                notifications.comment_became_public(comment)
            if comment.followup:
                notifications.after_commit(notifications.request_confirmation, comment.pk)
    except IntegrityError:
        # The same form sent twice at the same moment: the other request created the comment.
        existing = _sent_with_this_form(nonce)
        if existing is None:
            raise
        return _duplicate(request, target, form, existing)

    response = _see_other(comment.get_absolute_url())
    trust.set_commenter_key(response, key)
    if form.cleaned_data["remember"]:
        trust.remember(response, comment.user_name, comment.user_email, comment.user_url)
    else:
        trust.forget(response)
    return response


def _sent_with_this_form(nonce):
    """The comment this form's one-time nonce already created, if any (what ``_duplicate``
    compares, without the joins and ordering of the default manager)."""
    return (
        Comment.objects.select_related(None)
        .order_by()
        .only("object_pk", "comment", "user_email")
        .filter(form_nonce=nonce)
        .first()
    )


def _same_comment_sent_before(target, parent, data, key):
    """The (id, state, commenter key hash) of the same text from the same address, in the
    same place, in the last day: this browser's own first, if there are several.

    Read from django-comments' own table first, without the joins: there is almost never
    such a comment, and the whole check is then one small query."""
    since = timezone.now() - timedelta(days=1)
    candidates = list(
        ContribComment.objects.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_pk=str(target.pk),
            user_email__iexact=data["email"],  # as the rate limit counts it
            comment=data["comment"],
            submit_date__gte=since,
        ).values_list("pk", flat=True)
    )
    if not candidates:
        return None
    same = Comment.objects.filter(pk__in=candidates).exclude(state=Comment.State.REMOVED)
    same = same.filter(parent_id=parent.pk) if parent else same.filter(level=0)
    fields = ("pk", "state", "commenter_key_hash")
    found = list(same.select_related(None).order_by("pk").values_list(*fields))
    return min(found, key=lambda row: _where(key, *row), default=None)


def _where(key, pk, state, key_hash) -> int:
    """0: this browser's own comment, shown to it; 1: a public comment; 2: neither. A browser
    without a key owns none (a comment with no key hash, imported say, is nobody's)."""
    shown_to_it = state in (Comment.State.PENDING, Comment.State.PUBLISHED)
    if key and shown_to_it and key_hash == trust.hash_commenter_key(key):
        return 0
    return 1 if state == Comment.State.PUBLISHED else 2


def _sent_before(request, target, key, pk, state, key_hash):
    """The same text came again from the same address: to the comment, if this browser
    wrote it and sees it there (back, then send); else a page that says it was received
    already. That page says nothing the sender did not know: not the comment, nor whether
    a moderator has read it (spam and held alike are simply not public)."""
    if _where(key, pk, state, key_hash) == 0:
        return _see_other(comment_url(target, pk))
    text = request.POST.get("comment", "")
    context = {
        "article": target,
        "shown_at": comment_url(target, pk) if state == Comment.State.PUBLISHED else "",
        "crisis": _crisis_box(text, False),
    }
    return render(request, "comments/already_sent.html", context)


def _duplicate(request, target, form, existing):
    """The same form came back: send the reader to the comment it already created."""
    if (
        existing.object_pk == str(target.pk)
        and existing.comment == form.cleaned_data["comment"]
        and existing.user_email == form.cleaned_data["email"]
    ):
        return _see_other(comment_url(target, existing.pk))
    reason = (
        "This form was already used for another comment. Your text is kept below: "
        "please send it again."
    )
    return _problem(request, target, form, reason, 400)


def _email_link(request, token, purpose, max_age, template, change, done_before=None):
    """A signed link from one of our emails: GET shows a button, only the POST runs ``change``.

    Mail scanners that open links therefore change nothing. A link opened again once its
    change is made (``done_before(comment)``) says so, with no button asking for it again.
    """
    comment_id = trust.unsign_comment(token, purpose, max_age)
    comment = Comment.objects.filter(pk=comment_id).first() if comment_id else None
    if comment is None:
        return _link_expired(request, token, purpose)
    context = {
        "done": request.method == "POST",
        "token": token,
        "article": comment.content_object,
        "comment": comment,  # which comment the link is for, by its date and first words
        "masked": mask_email(comment.user_email),  # which address, as its owner knows it
    }
    if not comment.user_email:
        # Erased (comments.privacy), at the writer's request or after they deleted it: no
        # address to act on, and the page must not say it confirmed or subscribed one.
        return render(request, template, {**context, "done": False, "erased": True})
    if request.method == "POST":
        change(comment)
    elif done_before is not None and done_before(comment):
        context["done_before"] = True
    return render(request, template, context)


def _link_expired(request, token, purpose):
    """A link past its time (or altered). A confirmation link that was ours offers a new one,
    sent to the same address (at most once a day, as any confirmation)."""
    comment_id = trust.unsign_comment(token, purpose, None) if purpose == "confirm" else None
    comment = Comment.objects.filter(pk=comment_id).first() if comment_id else None
    can_resend = comment is not None and comment.followup
    sent = ""
    if can_resend and request.method == "POST" and "resend" in request.POST:
        # Not "on its way" whatever happened: where the email is sent in this request, the
        # page says whether it went.
        sent = notifications.resend_confirmation(comment.pk)
    context = {
        "can_resend": can_resend,
        "sent": sent,
        "days": trust.CONFIRM_MAX_AGE // 86400,
        # The way back to the discussion the link was about, as the link's other pages have.
        "article": comment.content_object if comment is not None else None,
    }
    status = 503 if sent == "failed" else 200 if sent else 400
    return render(request, "comments/link_expired.html", context, status=status)


# No CSRF cookie: the signed token authorises the confirmation (whoever holds it could send
# it anyway), and a year-long csrftoken would make Varnish pass every later page to Django.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm_email(request, token):
    """Confirm a commenter's address, so reply notifications may be sent to it."""
    return _email_link(
        request,
        token,
        "confirm",
        trust.CONFIRM_MAX_AGE,
        "comments/confirm.html",
        VerifiedEmail.confirm,
        VerifiedEmail.confirmed_for,
    )


# What "Subscribe again" restores: the comments the unsubscribe switched off, signed into the
# page's form so the undo turns on no comment the reader had left off.
RESUBSCRIBE_SALT = "comments.resubscribe"


@csrf_exempt  # the signed token authorises it; mail clients' one-click POST has no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop reply notifications to this address; the page then offers "Subscribe again" (a
    POST to the same link, with the signed list of comments it switched off), for a click
    made by mistake. Both are idempotent: sent twice, they change nothing more."""
    comment_id = trust.unsign_comment(token, "unsubscribe", UNSUBSCRIBE_MAX_AGE)
    comment = Comment.objects.filter(pk=comment_id).first() if comment_id else None
    if comment is None:
        return _link_expired(request, token, "unsubscribe")
    # Its address, as its comments keep it (an erased comment has none: nothing matches).
    theirs = Comment.objects.filter(user_email__iexact=comment.user_email).exclude(user_email="")
    context = {
        "token": token,
        "article": comment.content_object,
        "state": "asked",
        "masked": mask_email(comment.user_email),  # which address, as its owner knows it
    }
    if not comment.user_email:
        # Erased: no emails go to it, and "Subscribe again" could restore nothing (it said
        # "You are subscribed again" all the same, to someone who had asked to be erased).
        context["state"] = "erased"
        return render(request, "comments/unsubscribe.html", context)
    if request.method == "POST" and "resubscribe" in request.POST:
        # The link's token authorises it; the origin check keeps another site's form from
        # replaying a page it saw (there is no CSRF cookie, as for confirming).
        if not _from_this_site(request):
            context["state"] = "foreign"
            return render(request, "comments/unsubscribe.html", context, status=403)
        try:
            switched_off = signing.loads(request.POST["resubscribe"], salt=RESUBSCRIBE_SALT)
        except signing.BadSignature:
            switched_off = [comment.pk]
        restored = theirs.filter(pk__in=[int(pk) for pk in switched_off]).update(
            followup=True, followup_stopped_at=None
        )
        context.update(state="resubscribed", restored=restored)
    elif request.method == "POST":
        switched_off = list(theirs.filter(followup=True).values_list("pk", flat=True))
        theirs.filter(pk__in=switched_off).update(
            followup=False, followup_stopped_at=timezone.now()
        )
        context["state"] = "unsubscribed"
        # Sent twice, the second switched nothing off: undoing it still restores this one.
        context["switched_off"] = signing.dumps(switched_off or [comment.pk], salt=RESUBSCRIBE_SALT)
    elif not theirs.filter(followup=True).exists():
        # The link opened again after unsubscribing (or after a mail app's one-click
        # unsubscribe, whose page nobody saw): not "Stop all emails?" (none are sent), but what
        # holds and the way back, for the comments an unsubscribe switched off (this email's,
        # if it was switched off before that was recorded).
        stopped = theirs.filter(followup=False, followup_stopped_at__isnull=False)
        switched_off = list(stopped.values_list("pk", flat=True)) or [comment.pk]
        context.update(state="unsubscribed already", stopped=len(switched_off))
        context["switched_off"] = signing.dumps(switched_off, salt=RESUBSCRIBE_SALT)
    return render(request, "comments/unsubscribe.html", context)
