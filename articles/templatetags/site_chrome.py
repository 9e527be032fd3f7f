from django import template

from articles import site_pages

register = template.Library()


@register.simple_tag
def site_settings():
    """The editors' contact details (``contact_email``, ``postal_address``), from the cache."""
    return site_pages.site_settings()
