from django import template

from articles import site_pages

register = template.Library()


@register.simple_tag
def site_settings():
    """The editors' contact details (``contact_email``, ``postal_address``), from the cache."""
    return site_pages.site_settings()


@register.simple_tag
def site_links(stored_only=False):
    """The pages the header and footer link to, as editors set them, from the cache;
    ``stored_only`` (the outage pages) reads nothing else."""
    return site_pages.site_links(stored_only)
