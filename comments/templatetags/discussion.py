from django import template
from django.conf import settings

from comments import trust
from comments.forms import CommentForm
from comments.models import Comment
from comments.moderation import moderator_for
from comments.threads import build_tree

register = template.Library()


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def discussion(context, article):
    """The "N Responses" list and the "Leave a Reply" form for an article.

    One query whatever the number of comments: the visible comments (the public ones, plus the
    held ones this browser wrote), rendered from a flat depth-first list.
    """
    request = context["request"]
    key_hash = trust.commenter_key_hash(request)
    comments = Comment.objects.for_object(article).visible_to(key_hash).select_related(None)
    tree = build_tree(comments)

    moderator = moderator_for(type(article))
    is_open = moderator is not None and moderator.is_open(article)
    replying_to = None
    form = None
    if is_open:
        try:
            reply_id = int(request.GET.get("reply_to", 0))
        except ValueError:
            reply_id = 0
        replying_to = tree.by_id.get(reply_id)
        if replying_to is not None and replying_to.state != Comment.State.PUBLISHED:
            replying_to = None
        initial = trust.remembered(request)
        initial["remember"] = bool(initial)
        if replying_to is not None:
            initial["reply_to"] = replying_to.pk
        form = CommentForm(article, initial=initial)
    return {
        "article": article,
        "tree": tree,
        "is_open": is_open,
        "form": form,
        "replying_to": replying_to,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "site_name": settings.SITE_NAME,
    }


@register.simple_tag
def pending_comment_count():
    """How many comments wait for a moderator (shown in the admin)."""
    return Comment.objects.pending().count()


@register.simple_tag
def public_comment_count(article):
    """How many comments readers see on an article (for its structured data): one query."""
    return Comment.objects.for_object(article).public().count()
