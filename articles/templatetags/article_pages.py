from django import template

from articles import disclaimer
from articles.markdown import has_own_numbers
from articles.structured_data import article_graph, json_ld_script, profile_graph

register = template.Library()


@register.simple_tag
def article_json_ld(article, comment_count=0):
    """The article page's JSON-LD ``@graph`` in a ``<script type="application/ld+json">``."""
    return json_ld_script(article_graph(article, comment_count=comment_count))


@register.simple_tag
def profile_json_ld(person):
    """A profile page's JSON-LD: ``ProfilePage`` and the ``Person`` (or team) it is about."""
    return json_ld_script(profile_graph(person))


@register.simple_tag
def medical_disclaimer():
    """The site's medical disclaimer (``title``, ``content``), read where a page part shows it,
    so a page whose article part comes from the fragment cache does not read it."""
    return disclaimer.medical_disclaimer()


@register.filter
def own_numbers(entries) -> bool:
    """``{% if entries|own_numbers %}``: the headings of this contents list number themselves."""
    return has_own_numbers(entries or [])


@register.filter
def get_count(counts, key) -> int:
    """``{{ counts|get_count:article.pk }}``: a count from a dict of counts, 0 if absent."""
    return (counts or {}).get(key, 0)
