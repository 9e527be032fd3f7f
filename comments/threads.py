"""Threads: where a reply attaches, and the comment tree built in one pass from one query."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import max_thread_level_for_content_type

from comments.models import Comment


def effective_parent(target, reply_to: int) -> Comment | None:
    """The comment a reply attaches to, or None for a new thread.

    ``reply_to`` must be a public comment on the same article. A reply to a comment at the
    deepest allowed level attaches to that comment's parent, so it stays at the deepest level.
    Anything else raises ValueError with a reason for the reader.
    """
    if not reply_to:
        return None
    on_target = Comment.objects.for_object(target).public()
    parent = on_target.filter(pk=reply_to).first()
    if parent is None:
        raise ValueError(
            "The comment you replied to is not available on this article. "
            "Your text is kept below: you can post it as a new comment."
        )
    max_level = max_thread_level_for_content_type(ContentType.objects.get_for_model(target))
    while parent.level >= max_level:
        parent = on_target.filter(pk=parent.parent_id).first()
        if parent is None:
            raise ValueError(
                "The conversation you replied to is no longer available. "
                "Your text is kept below: you can post it as a new comment."
            )
    return parent


@dataclass
class Entry:
    """One comment in the flat, depth-first list the template renders."""

    comment: Comment
    opens: bool = False  # this comment starts a nested list (first reply)
    closes: range = field(default_factory=lambda: range(0))  # nested lists ended before it
    close_item: bool = False  # the previous item ends before this one


@dataclass
class Tree:
    entries: list[Entry]
    public_count: int
    tail_closes: range
    by_id: dict[int, Comment]


def build_tree(comments) -> Tree:
    """Turn comments ordered by (thread_id, order) into a renderable tree, in one pass.

    A comment whose parent is not in the list (held, spam or removed) is left out, with its
    replies, so nothing hangs under a missing comment.
    """
    entries, shown, previous_level = [], {}, -1
    public_count = 0
    for comment in comments:
        is_root = comment.parent_id in (0, comment.pk)
        if not is_root and comment.parent_id not in shown:
            continue
        level = comment.level
        entry = Entry(comment)
        if level > previous_level:
            entry.opens = previous_level >= 0
        else:
            entry.close_item = True
            entry.closes = range(previous_level - level)
        entries.append(entry)
        shown[comment.pk] = comment
        previous_level = level
        if comment.state == Comment.State.PUBLISHED:
            public_count += 1
    return Tree(entries, public_count, range(max(previous_level, 0)), shown)
