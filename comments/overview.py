"""The moderators' overview: what needs attention now, and how the discussion went lately.

Everything is counted in the database (a handful of queries whatever the number of comments)
and drawn as SVG by the server: no script, no inline style (the CSP forbids both), colours
from classes in ``static/css/admin-overview.css``.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import TruncDate
from django.template.response import TemplateResponse
from django.utils import timezone

from comments.models import Comment, CommentReport

DAYS = 30

# Outcomes, in the order they are stacked and listed.
OUTCOMES = [
    ("published", "Published at once"),
    ("approved", "Held, then approved"),
    ("pending", "Still waiting"),
    ("spam", "Spam"),
    ("removed", "Removed"),
    ("withdrawn", "Deleted by its writer"),
]
# Reasons that mean a rule held or refused the comment (not "trusted", "staff", "imported").
HELD_REASONS = [
    reason
    for reason in Comment.Reason.values
    # Not a rule either: its writer deleted it (the outcome "Deleted by its writer").
    if reason
    not in {
        Comment.Reason.TRUSTED,
        Comment.Reason.STAFF,
        Comment.Reason.IMPORTED,
        Comment.Reason.WITHDRAWN,
    }
]

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 600, 160, 4


@dataclass
class Bar:
    x: float
    width: float
    day: datetime.date
    total: int
    segments: list = field(default_factory=list)  # (outcome, label, count, y, height)


def _outcome():
    """A comment's outcome, as SQL: published at once, held then approved, and so on."""
    return Case(
        When(state=Comment.State.PUBLISHED, moderated_at__isnull=True, then=Value("published")),
        When(state=Comment.State.PUBLISHED, then=Value("approved")),
        When(state=Comment.State.PENDING, then=Value("pending")),
        When(state=Comment.State.SPAM, then=Value("spam")),
        # Not a moderator's Remove: its writer's delete (``controls.delete_own``).
        When(reason=Comment.Reason.WITHDRAWN, moderated_by__isnull=True, then=Value("withdrawn")),
        default=Value("removed"),
        output_field=CharField(),
    )


def per_day(since, today) -> list[Bar]:
    """Readers' comments posted each day since ``since``, stacked by outcome (one query). Not
    the site's own replies: each counted as "held, then approved", in no time."""
    rows = (
        Comment.objects.filter(submit_date__gte=since, from_site=False)
        .order_by()
        .annotate(day=TruncDate("submit_date"), outcome=_outcome())
        .values("day", "outcome")
        .annotate(n=Count("pk"))
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["day"], {})[row["outcome"]] = row["n"]
    days = [
        since.date() + datetime.timedelta(days=n) for n in range((today - since.date()).days + 1)
    ]
    peak = max((sum(c.values()) for c in counts.values()), default=0) or 1
    step = CHART_WIDTH / len(days)
    bars = []
    for index, day in enumerate(days):
        day_counts = counts.get(day, {})
        bar = Bar(
            x=round(index * step + BAR_GAP / 2, 1),
            width=round(step - BAR_GAP, 1),
            day=day,
            total=sum(day_counts.values()),
        )
        y = CHART_HEIGHT
        for outcome, label in OUTCOMES:
            count = day_counts.get(outcome, 0)
            if count:
                height = round(count / peak * CHART_HEIGHT, 1)
                y = round(y - height, 1)
                bar.segments.append((outcome, label, count, y, height))
        bars.append(bar)
    return bars


def by_rule(since) -> list[dict]:
    """How many comments each rule held or refused since ``since``, most first (one query)."""
    rows = (
        Comment.objects.filter(submit_date__gte=since, reason__in=HELD_REASONS)
        .order_by()
        .values("reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "reason")
    )
    labels = dict(Comment.Reason.choices)
    peak = max((row["n"] for row in rows), default=0) or 1
    return [
        {
            "reason": row["reason"],
            "label": labels.get(row["reason"], row["reason"]),
            "count": row["n"],
            "peak": peak,  # each bar (a <meter>) is its count against the largest
        }
        for row in rows
    ]


def median_decision(since) -> datetime.timedelta | None:
    """The median time from posting to a moderator's decision, for decisions on readers'
    comments since ``since`` (a reply as the site is "decided" as it is written)."""
    waits = (
        Comment.objects.filter(moderated_at__gte=since, moderated_by__isnull=False, from_site=False)
        .order_by()
        .annotate(wait=F("moderated_at") - F("submit_date"))
        .values_list("wait", flat=True)
    )
    waits = [wait for wait in waits if wait is not None]
    return statistics.median(waits) if waits else None


def duration(value: datetime.timedelta | None) -> str:
    if value is None:
        return "no decisions yet"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] if days else []
    if hours or days:
        parts.append(f"{hours} h")
    if not days:
        parts.append(f"{minutes} min")
    return " ".join(parts)


def unhandled_worries() -> dict[str, int]:
    """Readers' worries about a writer that no moderator has handled, whether the comment is
    still shown or not (held, removed, spam: the worry is about its writer, and taking the
    comment down does not answer it): ``{"reports": n, "comments": m}``, as the overview and
    the admin's home page count them."""
    return CommentReport.objects.unhandled_worries().aggregate(
        reports=Count("pk"), comments=Count("comment", distinct=True)
    )


def overview(request):
    """The admin page: pending queue, oldest item, urgent items, median time to decision, and
    two charts over the last ``DAYS`` days. Wrapped in ``admin_view`` (staff login) by the root
    URLconf; moderators need the right to view comments."""
    if not request.user.has_perm("comments.view_comment"):
        raise PermissionDenied
    from django.contrib import admin

    now = timezone.now()
    since = (now - datetime.timedelta(days=DAYS - 1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    pending = Comment.objects.pending()
    queue = pending.aggregate(count=Count("pk"), urgent=Count("pk", filter=Q(urgent=True)))
    oldest = pending.select_related(None).order_by("submit_date").only("pk", "submit_date").first()
    # Readers worried about a writer: a person to look at, not a rule's catch (such reports
    # never hide the comment, so the queue need not show it). No time window: a worry stays
    # here until a moderator handles it, however old (a window would let one nobody answered
    # drop out of sight after a week).
    # Both figures: the reports are what the link lists (one row each), the comments are the
    # people to look at. One number alone read as the other's ("2" above a list of 3 rows).
    worried = unhandled_worries()
    bars = per_day(since, timezone.localdate(now))
    rules = by_rule(since)
    context = {
        **admin.site.each_context(request),
        "title": "Moderation overview",
        "pending_count": queue["count"],
        "urgent_count": queue["urgent"],
        "worried_reports": worried["reports"],
        "worried_comments": worried["comments"],
        "oldest": oldest,
        "oldest_wait": duration(now - oldest.submit_date) if oldest else "",
        "median": duration(median_decision(now - datetime.timedelta(days=DAYS))),
        "days": DAYS,
        "bars": bars,
        "outcomes": [
            (outcome, label, sum(s[2] for b in bars for s in b.segments if s[0] == outcome))
            for outcome, label in OUTCOMES
        ],
        "peak": max((b.total for b in bars), default=0),
        "rules": rules,
        "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT},
    }
    return TemplateResponse(request, "admin/comments/overview.html", context)
