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


# Characters of link text (Topics' included) that fit between the site's name and the search
# box on a desktop; more, or more than two links, take a row of their own under both.
HEADER_ROW_AFTER = 20


@register.filter
def header_row(links) -> bool:
    """Whether the header's links (``site_links``'s ``header``, after Topics) take a row of
    their own: three links, or two whose words need more room (a 40-character label pushed
    the search box under the name)."""
    return (
        len(links) > 1
        or len("Topics") + sum(len(link["label"]) for link in links) > HEADER_ROW_AFTER
    )
