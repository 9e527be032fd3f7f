"""For the article delete pages (templates/admin/articles/article/): what erasing the articles'
readers' data needs that the user may not do."""

from django import template

from articles import deletion

register = template.Library()


@register.simple_tag(takes_context=True)
def erase_lacking(context, articles) -> str:
    """What the user may not erase with these articles ("comments"), or "": the page then says
    so instead of offering a Delete that could only answer "You cannot open this page"."""
    if not hasattr(articles, "__iter__"):
        articles = [articles]
    user = context["request"].user
    lacking = {d.name for d in deletion.dependents_of(articles) if not user.has_perm(d.permission)}
    return ", ".join(sorted(lacking))
