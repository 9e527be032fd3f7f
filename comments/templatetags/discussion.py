from datetime import timedelta

from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from articles.pagecache import changes_at, honour_query_parameter
from comments import health, notifications, queue, trust
from comments.decisions import can_moderate
from comments.forms import CommentForm
from comments.models import Comment, CommentVersion, CrisisSupport, VerifiedEmail
from comments.moderation import moderator_for
from comments.render import (
    FIELDS,
    HELD_AGAIN_BECAUSE,
    crisis_section,
    mask_email,
    render_tree,
)
from comments.threads import shown_counts

register = template.Library()


def _moderating(request) -> bool:
    """A logged-in moderator reads the page: held comments show in place, with controls.

    Such a page is never cached: a request with a session skips the page cache, and the tree
    below skips the fragment cache.
    """
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and can_moderate(user))


def _tree(request, article):
    """Whether the article is open, and its rendered tree: built once per request, in one
    query, whether the page asks for it first for its structured data or for the list."""
    trees = request.__dict__.setdefault("_comment_trees", {})
    if article.pk not in trees:
        key_hash = trust.commenter_key_hash(request)
        moderator = moderator_for(type(article))
        is_open = moderator is not None and moderator.is_open(article)
        if is_open:  # the form goes when comments close: no cache keeps it past then
            changes_at(request, moderator.closes_at(article))
        if _moderating(request):
            trees[article.pk] = (is_open, _moderator_tree(request, article, is_open))
            return trees[article.pk]
        # The public tree is the same for everyone without held comments of their own: cache
        # it under the page version (any public change moves that on, on every process).
        version = getattr(request, "page_version", None)
        cache_key = None
        if not key_hash and version is not None and settings.FRAGMENT_CACHE_SECONDS > 0:
            cache_key = f"comments:tree:{article.pk}:{version}:{int(is_open)}"
            cached = cache.get(cache_key)
            if cached is not None:
                html, public_count, replyable = cached
                trees[article.pk] = (is_open, (SafeString(html), public_count, replyable))
                return trees[article.pk]
        rows = list(
            Comment.objects.for_object(article)
            .in_threads(key_hash)
            .select_related(None)
            .order_by("thread_id", "order")
            .values_list(*FIELDS)
        )
        tree = render_tree(
            rows,
            can_reply=is_open,
            site_name=settings.SITE_NAME,
            crisis_support=CrisisSupport.current,
            key_hash=key_hash,
            editable_since=timezone.now() - timedelta(minutes=settings.COMMENTS_EDIT_MINUTES),
            unconfirmed=_unconfirmed(article, rows, key_hash),
            held_again=_held_again(rows, key_hash),
        )
        if cache_key is not None:
            cache.set(cache_key, (str(tree[0]), tree[1], tree[2]), settings.FRAGMENT_CACHE_SECONDS)
        trees[article.pk] = (is_open, tree)
    return trees[article.pk]


def _unconfirmed(article, rows, key_hash) -> dict:
    """{pk: (masked address, "sent" or "failed")} of this browser's comments here that
    asked for reply emails while a confirmation link sent for them would still work: without
    opening it, no reply email ever comes. Confirmed addresses too, with the same note
    (``render.confirmation_note``): which addresses are confirmed is not for any browser to
    learn. One query and one cache read, asked only when the page shows such a comment of this
    browser's (a page no cache shares): other pages cost none."""
    since = timezone.now() - timedelta(seconds=trust.CONFIRM_MAX_AGE)
    key_at, submitted_at, followup_at = (
        FIELDS.index(name) for name in ("commenter_key_hash", "submit_date", "followup")
    )
    if not key_hash or not any(
        row[key_at] == key_hash and row[followup_at] and row[submitted_at] > since for row in rows
    ):
        return {}
    # Confirmed from this very browser (``VerifiedEmail.key_hashes``): nothing to check for,
    # and nothing learnt by a browser that is not the owner's.
    confirmed_here = VerifiedEmail.objects.filter(
        email=Lower(OuterRef("user_email")), key_hashes__contains=key_hash
    )
    own = (
        Comment.objects.for_object(article)
        .visible_to(key_hash)
        .select_related(None)
        .order_by()
        .filter(commenter_key_hash=key_hash, followup=True, submit_date__gt=since)
        .exclude(user_email="")
        .exclude(Exists(confirmed_here))
        .values_list("pk", "user_email")
    )
    own = list(own)
    failed = notifications.confirmations_failed([pk for pk, _email in own])
    return {pk: (mask_email(email), "failed" if pk in failed else "sent") for pk, email in own}


def _held_again(rows, key_hash) -> dict:
    """{pk: reason} of this browser's comments that were public until an edit of theirs sent
    them back to the queue (``controls.edit``): the page says why, or with reason "" that it
    was edited again since (what held it may be gone). One query, asked only when the page
    shows a held comment of this browser's decided on since it was posted, held for what an
    edit can add (a page no cache shares)."""
    state_at, key_at, reason_at, decided_at = (
        FIELDS.index(name) for name in ("state", "commenter_key_hash", "reason", "moderated_at")
    )
    held = [
        row[0]
        for row in rows
        if row[state_at] == Comment.State.PENDING
        and row[key_at] == key_hash
        and row[reason_at] in HELD_AGAIN_BECAUSE
        and row[decided_at] is not None  # not as posted: published, then held
    ]
    if not key_hash or not held:
        return {}
    edits = CommentVersion.objects.filter(
        comment=OuterRef("pk"), change=CommentVersion.Change.EDITED
    ).order_by("-pk")
    again = (
        Comment.objects.select_related(None)
        .order_by()
        .filter(pk__in=held, moderated_by=None)
        .filter(Exists(edits.filter(state=Comment.State.PUBLISHED)))  # public until an edit
        .annotate(held_by=Subquery(edits.values("state")[:1]))
        .filter(held_by__in=[Comment.State.PUBLISHED, Comment.State.PENDING])
        .values_list("pk", "reason", "held_by")
    )
    # An edit of the held text since: what the first added may be gone ("a link" removed).
    return {
        pk: reason if held_by == Comment.State.PUBLISHED else "" for pk, reason, held_by in again
    }


def _decided_here(request) -> int | None:
    """The comment a moderator's decision on this page landed on (``queue.land_in_place``):
    the messages show under it instead of above the discussion. Taken once per request."""
    if "_decided_here" not in request.__dict__:
        request._decided_here = queue.take_in_place(request) if _moderating(request) else None
    return request._decided_here


@register.simple_tag(takes_context=True)
def decided_here(context):
    return _decided_here(context["request"])


def _moderator_tree(request, article, is_open):
    """The public tree plus the held comments, each with Approve / Spam / Remove (2 queries)."""
    comments = Comment.objects.for_object(article).select_related(None)
    rows = (
        (comments.in_threads() | comments.pending())
        .order_by("thread_id", "order")
        .values_list(*FIELDS)
    )
    held = comments.pending().select_related("moderated_by")
    held = held.only(
        "pk",
        "state",
        "user_name",
        "reason",
        "reason_detail",
        "submit_date",
        "moderated_by__username",
    )
    controls = {
        comment.pk: render_to_string(
            "comments/moderate_in_place.html",
            {"comment": comment, "next": f"{article.get_absolute_url()}#c{comment.pk}"},
            request=request,
        )
        for comment in held
    }
    here = _decided_here(request)
    if here is not None:  # a decision on this page just landed here: its messages, with Undo
        said = format_html_join("", "<p>{}</p>", ((str(m),) for m in get_messages(request)))
        note = f'<div class="moderating-note" id="moderated" role="status">{said}</div>'
        controls[here] = note + controls.get(here, "")
    return render_tree(
        rows,
        can_reply=is_open,
        site_name=settings.SITE_NAME,
        controls=controls,
        admin_url=reverse("admin:comments_comment_changelist"),
    )


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def discussion(context, article):
    """The "N Responses" list and the "Leave a Reply" form for an article.

    One query whatever the number of comments: the visible comments (the public ones, plus the
    held ones this browser wrote), rendered in one pass by ``comments.render``.
    """
    request = context["request"]
    is_open, (comments_html, public_count, replyable) = _tree(request, article)

    replying_to = form = None
    if is_open:
        try:
            reply_id = int(request.GET.get("reply_to", 0))
        except ValueError:
            reply_id = 0
        if reply_id in replyable:  # shown on the page, and public
            replying_to = {"pk": reply_id, "user_name": replyable[reply_id]}
            honour_query_parameter(request, "reply_to")
        initial = trust.remembered(request)
        initial["remember"] = bool(initial)
        if replying_to is not None:
            initial["reply_to"] = reply_id
        form = CommentForm(article, initial=initial)
    return {
        "article": article,
        "moderating": _moderating(request),
        "comments_html": comments_html,
        "public_count": public_count,
        "is_open": is_open,
        "form": form,
        "replying_to": replying_to,
    }


@register.simple_tag(takes_context=True)
def pending_comment_count(context):
    """How many comments wait for a moderator (shown in the admin; the sidebar's badge shares
    the one count)."""
    from comments.queue import pending_count

    return pending_count(context["request"])


@register.simple_tag(takes_context=True)
def moderation_alerts(context):
    """What cannot wait in the queue's order, for the admin's home page: comments whose writer
    may be in crisis, and readers' worries about a writer nobody has handled yet."""
    from comments.overview import unhandled_worries
    from comments.queue import urgent_count

    return {"urgent": urgent_count(context["request"]), **unhandled_worries()}


@register.simple_tag
def worries_not_handled():
    """Readers' worries about a writer that nobody has handled, for the queue's head: a worry
    about a published comment's writer holds nothing, and the queue showed no sign of it."""
    from comments.overview import unhandled_worries

    return unhandled_worries()


@register.filter
def may_choose_emails(user) -> bool:
    """Whether the admin's user tools link ``user`` to Your email settings: whoever the page
    admits (``email_settings.may_choose``), a Moderators group member without the permission
    too."""
    from comments.email_settings import may_choose

    return may_choose(user)


@register.simple_tag(takes_context=True)
def public_comment_count(context, article):
    """How many comments readers see on the article: the number the list shows."""
    return _tree(context["request"], article)[1][1]


@register.simple_tag
def public_comment_counts(articles):
    """``{pk: count}`` of the comments readers see, for a list of articles (the home page's and
    the topic pages' "N comments"): what each article's page says."""
    return shown_counts(articles)


@register.simple_tag
def crisis_help(text):
    """The site's crisis resources, when a reader's words (their search) match a crisis
    phrase: "I want to die" typed into search got "Check the spelling". The heading and
    links are the moderators' (``CrisisSupport``); the message fits a search, where the box
    under a comment thanks its writer for sharing."""
    if not text or not health.crisis_phrases_in(text):
        return ""
    support = CrisisSupport.current()
    links = support.links()
    message = (
        "If you are in danger or thinking about ending your life, please call your local "
        "emergency number now, or reach out to someone you trust."
    )
    if links:
        message += " You can also talk to someone at any time:"
    return SafeString(crisis_section("crisis-help", support.heading, message, links, "h2"))
