from django import template

from articles import site_pages

register = template.Library()


@register.simple_tag
def site_settings():
    """The editors' contact details (``contact_email``, ``postal_address``), from the cache."""
    return site_pages.site_settings()


@register.simple_tag
def footer_links(stored_only=False):
    """The footer's links to the publisher's pages, as editors chose them, from the cache;
    ``stored_only`` (the outage page) reads nothing else."""
    return site_pages.footer_links(stored_only)
