"""What the moderation queue shows: the state tabs with their counts, one card per comment with
the actions that apply to it, and the thread around a comment.

The queue's page costs a fixed number of queries whatever the number of rows: the page of
comments (with their moderator), their articles (one query per content type), their parents
(one query), and the tab counts.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments import decisions
from comments.health import HIGHLIGHTED_REASONS, highlight_matches
from comments.models import REPORTED_SINCE_DECISION, Comment, CommentReport

S = Comment.State


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    state: str
    applies_to: frozenset
    key: str
    question: str = ""


# In the order the buttons appear. "z" restores whatever was set aside (spam or removed).
ACTIONS = {
    a.name: a
    for a in [
        Action(
            "approve",
            _("Approve"),
            S.PUBLISHED,
            frozenset({S.PENDING, S.SPAM, S.REMOVED}),
            "a",
            _("Approve this comment?"),
        ),
        Action("unapprove", _("Unapprove"), S.PENDING, frozenset({S.PUBLISHED}), "u"),
        Action("not_spam", _("Not spam"), S.PENDING, frozenset({S.SPAM}), "z"),
        Action("restore", _("Restore"), S.PENDING, frozenset({S.REMOVED}), "z"),
        Action(
            "spam",
            _("Spam"),
            S.SPAM,
            frozenset({S.PENDING, S.PUBLISHED, S.REMOVED}),
            "s",
            _("Mark this comment as spam?"),
        ),
        Action(
            "remove",
            _("Remove"),
            S.REMOVED,
            frozenset({S.PENDING, S.PUBLISHED, S.SPAM}),
            "d",
            _("Remove this comment?"),
        ),
    ]
}

# The keyboard, as listed by "?" (the queue's script reads the keys from the buttons).
KEYS = [
    ("j", _("Next comment")),
    ("k", _("Previous comment")),
    ("a", _("Approve")),
    ("u", _("Unapprove (back to pending); on a folded card, Undo")),
    ("s", _("Spam")),
    ("d", _("Remove")),
    ("z", _("Restore, or not spam (back to pending); on a folded card, Undo")),
    ("r", _("Reply")),
    ("x", _("Select for a bulk action")),
    ("?", _("Show this list")),
]

DONE_NOTICE = {
    S.PUBLISHED: _("Approved."),
    S.PENDING: _("Back to pending."),
    S.SPAM: _("Marked as spam."),
    S.REMOVED: _("Removed."),
}


def _pending_counts(request) -> dict[str, int]:
    cache = request.__dict__.setdefault("_comments_pending", [])
    if not cache:
        cache.append(
            Comment.objects.pending().aggregate(
                count=Count("pk"), urgent=Count("pk", filter=Q(urgent=True))
            )
        )
    return cache[0]


def pending_count(request) -> int:
    """The exact pending count, counted once per request however many places show it."""
    return _pending_counts(request)["count"]


def urgent_count(request) -> int:
    """How many of the pending comments are urgent (their writer may be in crisis): counted
    with the pending count, in its one query."""
    return _pending_counts(request)["urgent"]


def counts_by_object(objects) -> dict[int, tuple[int, int]]:
    """Published and pending comments on each of ``objects`` (articles, say), in one query:
    ``{pk: (published, pending)}``, objects without any left out."""
    objects = list(objects)
    if not objects:
        return {}
    rows = (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(objects[0]),
            object_pk__in=[str(obj.pk) for obj in objects],
            state__in=[S.PUBLISHED, S.PENDING],
        )
        .order_by()
        .values_list("object_pk", "state")
        .annotate(n=Count("pk"))
    )
    counts = {}
    for object_pk, state, n in rows:
        published, pending = counts.get(int(object_pk), (0, 0))
        counts[int(object_pk)] = (n, pending) if state == S.PUBLISHED else (published, n)
    return counts


def actions_for(comment) -> list[Action]:
    return [a for a in ACTIONS.values() if comment.state in a.applies_to]


def can_reply(comment) -> bool:
    return comment.state in (S.PENDING, S.PUBLISHED)


def reply_name(request) -> str:
    """The name this moderator's replies show (looked up once per request)."""
    if "_comments_reply_name" not in request.__dict__:
        request._comments_reply_name = decisions.reply_name(request.user)
    return request._comments_reply_name


class CappedPaginator(Paginator):
    """Counts at most ``COMMENTS_QUEUE_COUNT_CAP`` + 1 rows: paging through a million published
    comments stops there (search or filter to reach older ones); Pending is far below it."""

    @cached_property
    def count(self):
        cap = settings.COMMENTS_QUEUE_COUNT_CAP
        return self.object_list.order_by()[: cap + 1].count()


def _capped_count(queryset, cap: int) -> tuple[int, bool]:
    # Without the model's ordering the database stops after cap + 1 index entries.
    count = queryset.order_by()[: cap + 1].count()
    return min(count, cap), count > cap


# What narrows the list within a tab (the search, the filters, "All from this email" and "From
# this IP"): kept when the moderator changes tabs.
NARROWING = ("q", "article", "reason", "reason__exact", "user_email", "ip_address")


def tabs(current: str, params, pending: int) -> list[dict]:
    """Pending, Published, Spam, Removed, All, each with its count and link.

    Pending is always exact; the others are exact up to ``COMMENTS_QUEUE_COUNT_CAP`` and then
    shown as "10,000+", so the page stays fast on a site with a million comments.
    """
    cap = settings.COMMENTS_QUEUE_COUNT_CAP
    counts = {S.PENDING: (pending, False)}
    for state in (S.PUBLISHED, S.SPAM, S.REMOVED):
        counts[state] = _capped_count(Comment.objects.filter(state=state), cap)
    total = sum(n for n, _more in counts.values())
    counts["all"] = (total, any(more for _n, more in counts.values()))
    kept = {k: v for k, v in params.items() if k in NARROWING}
    result = []
    for value, label in [*S.choices, ("all", _("All"))]:
        count, more = counts[value]
        result.append(
            {
                "value": value,
                "label": label,
                "count": count,
                "more": more,
                "current": value == (current or S.PENDING),
                "url": "?" + urlencode({**kept, "state": value}),
            }
        )
    return result


_EMPTY = {
    S.PENDING: _("No comments are waiting for moderation."),
    S.PUBLISHED: _("No published comments."),
    S.SPAM: _("No comments marked as spam."),
    S.REMOVED: _("No removed comments."),
    "all": _("No comments yet."),
}
_EMPTY_MATCHING = {
    S.PENDING: _("No comments waiting for moderation match this search or filter."),
    S.PUBLISHED: _("No published comments match this search or filter."),
    S.SPAM: _("No spam comments match this search or filter."),
    S.REMOVED: _("No removed comments match this search or filter."),
    "all": _("No comments match this search or filter."),
}


def empty_state(current: str, params) -> dict:
    """What an empty list says instead of a bare "0 comments": ``message``, and ``clear_url``
    (the same tab without the search and filters) when they are what emptied it."""
    state = current if current in _EMPTY else S.PENDING
    filtered = any(params.get(name) for name in NARROWING)
    if filtered:
        return {"message": _EMPTY_MATCHING[state], "clear_url": "?" + urlencode({"state": state})}
    return {"message": _EMPTY[state], "clear_url": None}


def narrowed_to(params) -> list[dict]:
    """The one article, email or IP address the list shows (from the Articles list's Comments
    column, "All from this email", "From this IP"), said above the list: the filter panel
    says nothing of the email and IP, and a phone shows it below the list. Each ``label``,
    ``value`` and ``url`` (the list without it)."""
    shown = []
    for name, label, everyone in (
        ("article", _("Only comments on"), _("Show every article's")),
        ("user_email", _("Only comments from the email"), _("Show everyone's")),
        ("ip_address", _("Only comments from the IP address"), _("Show everyone's")),
    ):
        value = params.get(name)
        if value:
            if name == "article":
                value = _article_title(value) or value
            rest = {k: v for k, v in params.items() if k not in {name, "p"}}
            shown.append(
                {"label": label, "value": value, "url": "?" + urlencode(rest), "all": everyone}
            )
    return shown


def _article_title(pk: str) -> str | None:
    if not pk.isdigit():
        return None
    return Article.objects.filter(pk=pk).values_list("title", flat=True).first()


def prepare(comments, request) -> None:
    """Attach what each card shows and cannot get from its own row: parents and readers'
    reports, one query each, for the comments shown (never counted over the whole table)."""
    # The comment each answers, as the page and the emails name it: at the deepest level its
    # parent is the comment above the one answered.
    parent_ids = {c.answers_id for c in comments if c.is_reply}
    parents = {}
    if parent_ids:
        parents = {
            p.pk: p
            for p in Comment.objects.filter(pk__in=parent_ids)
            .select_related(None)
            .only("pk", "user_name", "comment", "state")
        }
    reports = {}
    if comments:
        # A reader worried about the writer is no complaint: the card says so apart, until a
        # moderator handles the worry.
        worried = Q(reason=CommentReport.Reason.WORRIED, handled_at__isnull=True)
        # Which reports are new since the last decision, as the held comment's email and the
        # comment's page count them: a comment approved after two reports and reported once
        # more has "3 reports, 1 new", not three that look unanswered.
        new = REPORTED_SINCE_DECISION
        reports = {
            pk: (n, nn, w)
            for pk, n, nn, w in CommentReport.objects.filter(comment__in=[c.pk for c in comments])
            .values_list("comment")
            .annotate(n=Count("pk"), nn=Count("pk", filter=new), w=Count("pk", filter=worried))
            .values_list("comment", "n", "nn", "w")
        }
    for comment in comments:
        comment.report_count, comment.new_report_count, comment.worried_count = reports.get(
            comment.pk, (0, 0, 0)
        )
    name = reply_name(request) if comments else ""
    shared = {
        "reply_name": name,
        "admin_base": _admin_base(),
        "article_urls": {},
        # Staff who may read the queue but not decide (the moderation permission taken away,
        # a colleague who only views) get no decision or reply buttons: each answered 403.
        "can_moderate": decisions.can_moderate(request.user),
    }
    for comment in comments:
        target = comment.content_object
        if target is not None and comment.object_pk not in shared["article_urls"]:
            shared["article_urls"][comment.object_pk] = target.get_absolute_url()
        parent = parents.get(comment.answers_id) if comment.is_reply else None
        comment.queue = {**shared, "parent": parent}


# Replies typed in other cards' boxes when a decision was posted without script (the queue's
# one form sends every box): kept in the session for the page that comes back.
DRAFTS_KEY = "comments_queue_drafts"
MAX_DRAFTS = 100  # a page shows 20 cards; more is not a queue page's form


def keep_drafts(request, decided_pk: int | None = None) -> None:
    """Keep the replies typed in the cards' boxes (``reply-<pk>``) when the queue's form is
    posted without script, but for the card decided on (``decided_pk``), whose box went with
    its decision: they were not what the moderator pressed a button for, so they are neither
    published nor dropped, but shown again in their boxes (``take_drafts``).

    The queue's form carries every box, so a post from it replaces what was kept before; a post
    without boxes (from another page) leaves that alone."""
    boxes = {
        name.removeprefix("reply-"): text
        for name, text in request.POST.items()
        if name.startswith("reply-")
    }
    if not boxes:
        return
    drafts = {}
    for pk, text in boxes.items():
        if pk.isdigit() and int(pk) != decided_pk and text.strip():
            drafts[pk] = text
            if len(drafts) >= MAX_DRAFTS:
                break
    if drafts:
        request.session[DRAFTS_KEY] = drafts
    else:
        request.session.pop(DRAFTS_KEY, None)


def take_drafts(request) -> dict[int, str]:
    """The replies ``keep_drafts`` kept, once: {comment pk: text}."""
    if request.method != "GET" or DRAFTS_KEY not in request.session:
        return {}
    return {int(pk): text for pk, text in request.session.pop(DRAFTS_KEY).items()}


LANDING_KEY = "comments_queue_landing"


def landing(request, decided_pk: int) -> str:
    """Where the queue's page comes back after a decision posted without script: at the card
    after the one decided on, or the one before it if it was the last, so that the keyboard
    goes on from there instead of from the top of the page; "" if no other card was shown.
    The form says the page's order in its ``shown`` fields (the cards' pks).

    The page's messages (the decision and its Undo) are shown just above that card, where the
    decided one was, instead of at the top of the page out of sight (``take_landing``): the
    fragment is theirs, ``#qc-<pk>-landing``, and the session says which card."""
    shown = []
    for value in request.POST.getlist("shown")[:MAX_DRAFTS]:
        if value.isdigit() and int(value) not in shown:
            shown.append(int(value))
    if decided_pk not in shown:
        return ""
    others = [pk for pk in shown if pk != decided_pk]
    if not others:
        return ""
    pk = others[min(shown.index(decided_pk), len(others) - 1)]
    request.session[LANDING_KEY] = pk
    return f"#qc-{pk}-landing"


def take_landing(request) -> int | None:
    """The card ``landing`` chose, once."""
    if request.method != "GET":
        return None
    return request.session.pop(LANDING_KEY, None)


IN_PLACE_KEY = "comments_in_place_landing"


def land_in_place(request, pk: int) -> None:
    """A decision taken on the article page lands back at its comment (``#c<pk>``): its
    messages (what was done, with Undo) show under the comment, where the moderator's eyes
    are, instead of above the discussion, out of sight on a phone (``take_in_place``)."""
    request.session[IN_PLACE_KEY] = pk


def take_in_place(request) -> int | None:
    """The comment ``land_in_place`` chose, once."""
    if request.method != "GET":
        return None
    return request.session.pop(IN_PLACE_KEY, None)


def _first_line(text: str) -> str:
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Truncator(line).words(14, truncate="…")


def _ago(moment, now) -> str:
    if (now - moment).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, now, depth=1)}


FOLD_CHARS = 700  # longer comments show their start and "Show more"
PREVIEW_WORDS = 60


def _preview(text: str) -> str:
    """The start of a long comment, cut after a word, its line breaks kept (the card shows
    them as paragraphs): Truncator's words() joined the paragraphs into one."""
    words = list(re.finditer(r"\S+", text))
    if len(words) <= PREVIEW_WORDS:
        return text
    return text[: words[PREVIEW_WORDS - 1].end()] + "…"


def _admin_base() -> str:
    """The queue's URL; a comment's own views are below it (``<pk>/change/`` and so on).
    Joined by hand: fifty reverse() calls per page cost more than the rest of a card."""
    return reverse("admin:comments_comment_changelist")


def card_context(comment, extra: dict) -> dict:
    now = timezone.now()
    article = comment.content_object
    parent = extra.get("parent")
    base = extra.get("admin_base") or _admin_base()
    article_url = extra.get("article_urls", {}).get(comment.object_pk)
    if article_url is None and article is not None:
        article_url = article.get_absolute_url()
    title = getattr(article, "title", str(article)) if article is not None else ""
    long = len(comment.comment) > FOLD_CHARS
    return {
        "c": comment,
        "article": article,
        "article_title": title,
        "article_short": Truncator(title).words(7, truncate="…"),
        "public_url": f"{article_url}#c{comment.pk}" if article is not None else "",
        "base": f"{base}{comment.pk}/",
        "change_url": f"{base}{comment.pk}/change/",
        "parent": parent,
        "parent_line": _first_line(parent.comment) if parent is not None else "",
        "parent_url": f"{base}{parent.pk}/change/" if parent is not None else "",
        "ago": _ago(comment.submit_date, now),
        "preview": _preview(comment.comment) if long else "",
        # The queue's address in full: the card is also on the email decision page, where
        # "?state=all&…" reloaded that page.
        "email_filter": f"{base}?" + urlencode({"state": "all", "user_email": comment.user_email}),
        "ip_filter": f"{base}?" + urlencode({"state": "all", "ip_address": comment.ip_address})
        if comment.ip_address
        else "",
        "website": comment.user_url
        if comment.user_url.lower().startswith(("http://", "https://"))
        else "",
        "actions": actions_for(comment) if extra.get("can_moderate", False) else [],
        # What needs a moderator's eye: urgent (crisis), readers' reports, the matched words.
        "reports": getattr(comment, "report_count", 0),
        "new_reports": getattr(comment, "new_report_count", 0),
        "worried": getattr(comment, "worried_count", 0),
        "highlighted": highlight_matches(comment)
        if comment.reason in HIGHLIGHTED_REASONS and comment.reason_detail
        else "",
        "can_reply": extra.get("can_moderate", False) and can_reply(comment),
        "reply_name": extra.get("reply_name", ""),
        "buttons": extra.get("buttons", True),
        "notice": extra.get("notice", ""),
        "undo": extra.get("undo", ""),
        "reply_url": extra.get("reply_url", ""),
        "draft": extra.get("draft", ""),
        "landing_messages": extra.get("landing_messages", ()),
    }


def render_card(comment, extra: dict, buttons: bool = True) -> str:
    return render_to_string(
        "admin/comments/comment/card.html", card_context(comment, {**extra, "buttons": buttons})
    )


def undo_url(token: str, next_url: str = "") -> str:
    query = {"token": token, **({"next": next_url} if next_url else {})}
    return reverse("admin:comments_comment_undo") + "?" + urlencode(query)


def card_response(request, comment, *, done=None, undo="", replied=None, undone=False, notice=""):
    """The row's card after a decision, for the queue's script to put in place of the old one.
    ``notice``: what to say instead (a decision or an Undo refused: ``CommentAdmin._changed_since``,
    ``undo_view``)."""
    prepare([comment], request)
    if not notice and done is not None:
        notice = DONE_NOTICE[done]
    elif not notice and replied is not None:  # with Undo: the comment approved with it
        notice = _("Approved. Reply published.") if undo else _("Reply published.")
    elif not notice and undone:
        notice = _("Put back.")
    extra = {**comment.queue, "notice": notice, "undo": undo_url(undo) if undo else ""}
    if replied is not None:
        # A reply has no Undo (readers may have read it): its page is where to correct it or
        # remove it, one click away rather than a search for it.
        extra["reply_url"] = reverse("admin:comments_comment_change", args=[replied.pk])
    response = HttpResponse(render_card(comment, extra))
    # The script updates the Pending tab and the sidebar's badge from this.
    response["X-Pending-Count"] = str(Comment.objects.pending().count())
    return response


def thread(comment) -> dict:
    """The comment it answers and its direct replies, for its page (read only)."""
    parent = None
    if comment.is_reply:
        parent = Comment.objects.filter(pk=comment.answers_id).first()
    replies = list(Comment.objects.answering(comment).order_by("submit_date"))
    return {"parent": parent, "replies": replies}
