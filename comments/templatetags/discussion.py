from django import template
from django.conf import settings

from comments import trust
from comments.forms import CommentForm
from comments.models import Comment
from comments.moderation import moderator_for
from comments.render import FIELDS, render_tree

register = template.Library()


@register.inclusion_tag("comments/discussion.html", takes_context=True)
def discussion(context, article):
    """The "N Responses" list and the "Leave a Reply" form for an article.

    One query whatever the number of comments: the visible comments (the public ones, plus the
    held ones this browser wrote), rendered in one pass by ``comments.render``.
    """
    request = context["request"]
    key_hash = trust.commenter_key_hash(request)
    rows = (
        Comment.objects.for_object(article)
        .visible_to(key_hash)
        .select_related(None)
        .order_by("thread_id", "order")
        .values_list(*FIELDS)
    )
    moderator = moderator_for(type(article))
    is_open = moderator is not None and moderator.is_open(article)
    comments_html, public_count, replyable = render_tree(
        rows, can_reply=is_open, site_name=settings.SITE_NAME
    )

    replying_to = form = None
    if is_open:
        try:
            reply_id = int(request.GET.get("reply_to", 0))
        except ValueError:
            reply_id = 0
        if reply_id in replyable:  # shown on the page, and public
            replying_to = {"pk": reply_id, "user_name": replyable[reply_id]}
        initial = trust.remembered(request)
        initial["remember"] = bool(initial)
        if replying_to is not None:
            initial["reply_to"] = reply_id
        form = CommentForm(article, initial=initial)
    return {
        "article": article,
        "comments_html": comments_html,
        "public_count": public_count,
        "is_open": is_open,
        "form": form,
        "replying_to": replying_to,
    }


@register.simple_tag
def pending_comment_count():
    """How many comments wait for a moderator (shown in the admin)."""
    return Comment.objects.pending().count()


@register.simple_tag
def public_comment_count(article):
    """How many comments readers see on an article (for its structured data): one query."""
    return Comment.objects.for_object(article).public().count()
