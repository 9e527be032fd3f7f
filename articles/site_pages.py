"""The publisher's pages (About, Editorial policy, Contact, Privacy), the site settings they
show, and the header's and footer's links to them, read once into the shared cache like the
medical disclaimer."""

from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix
from django.utils.encoding import iri_to_uri

CACHE_KEY = "articles:site-settings"
LINKS_CACHE_KEY = "articles:site-links"


def site_settings() -> dict:
    """``contact_email`` and ``postal_address`` as editors set them ({} before they do)."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        from articles.models import SiteSettings

        cached = SiteSettings.objects.filter(pk=1).values("contact_email", "postal_address").first()
        cached = cached or {}
        cache.set(CACHE_KEY, cached, timeout=None)
    return cached


def forget_site_settings(**kwargs) -> None:
    """Signal receiver: the editors changed the settings."""
    cache.delete(CACHE_KEY)


def site_links(stored_only: bool = False) -> dict:
    """What the header and footer link to: ``header`` and ``footer``, each a list of links
    (``url``, ``label``) in the editors' order. ``stored_only``: what the cache holds, without
    asking the database (no links if nothing)."""
    cached = cache.get(LINKS_CACHE_KEY)
    if cached is None and stored_only:
        return {"header": [], "footer": []}
    if cached is None:
        from django.contrib.flatpages.models import FlatPage

        prefix = get_script_prefix().rstrip("/")
        rows = FlatPage.objects.filter(sites=settings.SITE_ID).values_list(
            "url",
            "header_link__label",
            "header_link__position",
            "footer_link__label",
            "footer_link__position",
        )
        header, footer = [], []
        for url, header_label, header_position, footer_label, footer_position in rows:
            url = iri_to_uri(prefix + url)
            if header_label:
                header.append((header_position, header_label, url))
            if footer_label:
                footer.append((footer_position, footer_label, url))
        cached = {
            part: [{"url": url, "label": label} for _, label, url in sorted(links)]
            for part, links in (("header", header), ("footer", footer))
        }
        cache.set(LINKS_CACHE_KEY, cached, timeout=None)
    return cached


def forget_site_links(**kwargs) -> None:
    """Signal receiver: a header or footer link, or a page, changed."""
    cache.delete(LINKS_CACHE_KEY)
