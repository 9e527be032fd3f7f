"""Threads: where a reply attaches."""

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
