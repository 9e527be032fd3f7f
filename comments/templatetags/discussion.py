from datetime import timedelta

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString

from comments import trust
from comments.forms import CommentForm
from comments.models import Comment, CrisisSupport
from comments.moderation import moderator_for
from comments.render import FIELDS, render_tree

register = template.Library()


def _tree(request, article):
    """Whether the article is open, and its rendered tree: built once per request, in one
    query, whether the page asks for it first for its structured data or for the list."""
    trees = request.__dict__.setdefault("_comment_trees", {})
    if article.pk not in trees:
        key_hash = trust.commenter_key_hash(request)
        moderator = moderator_for(type(article))
        is_open = moderator is not None and moderator.is_open(article)
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
        rows = (
            Comment.objects.for_object(article)
            .visible_to(key_hash)
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
        )
        if cache_key is not None:
            cache.set(cache_key, (str(tree[0]), tree[1], tree[2]), settings.FRAGMENT_CACHE_SECONDS)
        trees[article.pk] = (is_open, tree)
    return trees[article.pk]


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


@register.simple_tag(takes_context=True)
def public_comment_count(context, article):
    """How many comments readers see on the article: the number the list shows."""
    return _tree(context["request"], article)[1][1]
