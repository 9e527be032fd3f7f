"""Threads: where a reply attaches."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django_comments_xtd.models import max_thread_level_for_content_type

from comments.models import Comment
from comments.render import visible_rows


def effective_parent(target, reply_to: int) -> Comment | None:
    """The comment a reply attaches to, or None for a new thread.

    ``reply_to`` must be a public comment on the same article. A reply to a comment at the
    deepest allowed level attaches to that comment's parent, so it stays at the deepest level.
    Anything else raises ValueError with a reason for the reader.
    """
    if not reply_to:
        return None
    on_target = Comment.objects.for_object(target).public()
    # Not one erased with its text: nothing is left in it to answer.
    parent = on_target.answerable().filter(pk=reply_to).first()
    if parent is None:
        raise ValueError(
            "The comment you replied to is not available on this article. "
            "Your text is kept below: you can post it as a new comment."
        )
    max_level = max_thread_level_for_content_type(ContentType.objects.get_for_model(target))
    # The comment above may be the place of one its writer deleted: the reply goes there too.
    in_threads = Comment.objects.for_object(target).in_threads()
    while parent.level >= max_level:
        parent = in_threads.filter(pk=parent.parent_id).first()
        if parent is None:
            raise ValueError(
                "The conversation you replied to is no longer available. "
                "Your text is kept below: you can post it as a new comment."
            )
    return parent


def shown_counts(articles) -> dict[int, int]:
    """``{pk: n}``: how many comments a reader sees on each article, the number its page's
    "N Responses" gives: the public ones, minus replies under a comment it does not show (held,
    spam or removed by a moderator: ``render.visible_rows``; one its writer deleted keeps its
    place). One query; a second only for an article with replies under a comment not public
    (unapproved, edited back into the queue or deleted, after readers answered it).
    """
    articles = list(articles)
    if not articles:
        return {}
    on_articles = Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(articles[0]),
        object_pk__in=[str(article.pk) for article in articles],
    )
    public, threads = on_articles.public(), on_articles.in_threads()
    parent_public = Comment.objects.public().filter(pk=OuterRef("parent_id"))
    rows = (
        public.values("object_pk")
        .annotate(
            n=Count("pk"),
            cut_off=Count("pk", filter=Q(level__gt=0) & ~Exists(parent_public)),
        )
        .order_by()
        .values_list("object_pk", "n", "cut_off")
    )
    counts = {}
    for object_pk, n, cut_off in rows:
        if cut_off:  # the replies under those count neither: walk the article's threads
            tree = threads.filter(object_pk=object_pk).order_by("level", "pk")
            rows = visible_rows(tree.values_list("pk", "parent_id", "state"), state_at=2)
            n = sum(1 for row in rows if row[2] == Comment.State.PUBLISHED)
        counts[int(object_pk)] = n
    return counts
