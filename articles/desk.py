"""The editors' desk on the admin's home page: what needs them next. Articles whose medical
review is due, articles scheduled to appear, and drafts in progress, a few of each with how
many there are, each list linked to the Articles list filtered the same way."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.timesince import timesince

from articles.models import Article

SHOWN = 5


def desk() -> list[dict]:
    """Three panels: ``key``, ``title``, ``empty`` (what an empty one says), ``count``,
    ``articles`` (at most ``SHOWN``, the most pressing first, each with its ``when``: the date
    that puts it there) and ``url`` (the whole list)."""
    now = timezone.now()
    # The same rules as the Articles list's filters the panels link to (ArticleQuerySet).
    review_due = Article.objects.published().review_overdue()
    scheduled = Article.objects.scheduled()
    drafts = Article.objects.drafts()
    counts = Article.objects.aggregate(
        review=Count("pk", filter=Q(pk__in=review_due.values("pk"))),
        scheduled=Count("pk", filter=Q(pk__in=scheduled.values("pk"))),
        drafts=Count("pk", filter=Q(pk__in=drafts.values("pk"))),
    )
    shown = ("pk", "title", "status", "published_at", "updated_at", "last_reviewed")
    # Never reviewed first, then the longest overdue.
    due = review_due.only(*shown, "next_review_due").order_by(
        F("last_reviewed").asc(nulls_first=True), "next_review_due", "title"
    )
    changelist = reverse("admin:articles_article_changelist")
    return [
        {
            "key": "review",
            "title": "Medical review due",
            "empty": "Every published article is within its review date.",
            "count": counts["review"],
            "articles": _with_when(due[:SHOWN], _review_due),
            "url": f"{changelist}?publication=published&review=overdue",
        },
        {
            "key": "scheduled",
            "title": "Scheduled",
            "empty": "No article is scheduled to appear.",
            "count": counts["scheduled"],
            "articles": _with_when(
                scheduled.only(*shown).order_by("published_at")[:SHOWN], _appears
            ),
            "url": f"{changelist}?publication=scheduled",
        },
        {
            "key": "drafts",
            "title": "Drafts",
            "empty": "No drafts.",
            "count": counts["drafts"],
            "articles": _with_when(
                drafts.only(*shown).order_by("-updated_at")[:SHOWN],
                lambda article: _updated(article, now),
            ),
            "url": f"{changelist}?publication=draft",
        },
    ]


def _with_when(articles, when) -> list[Article]:
    articles = list(articles)
    for article in articles:
        article.when = when(article)
    return articles


def _review_due(article) -> str:
    if article.last_reviewed is None:
        return "never reviewed"
    return f"review due {formats.date_format(article.next_review_due, 'j M Y')}"


def _appears(article) -> str:
    moment = timezone.localtime(article.published_at)
    return f"appears {formats.date_format(moment, 'j M Y, H:i')}"


def _updated(article, now) -> str:
    if (now - article.updated_at).total_seconds() < 60:
        return "updated just now"
    return f"updated {timesince(article.updated_at, now, depth=1)} ago"
