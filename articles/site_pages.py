"""The publisher's pages (About, Editorial policy, Contact, Privacy) and the site settings
they show, and the footer's links to those pages, read once into the shared cache like the
medical disclaimer."""

from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix
from django.utils.encoding import iri_to_uri

CACHE_KEY = "articles:site-settings"
FOOTER_CACHE_KEY = "articles:footer-links"


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


def footer_links(stored_only: bool = False) -> list[dict]:
    """The footer's links (``url``, ``label``), in the editors' order: the pages with a footer
    link on this site. ``stored_only``: what the cache holds, without asking the database."""
    cached = cache.get(FOOTER_CACHE_KEY)
    if cached is None and stored_only:
        return []
    if cached is None:
        from articles.models import FooterLink

        prefix = get_script_prefix().rstrip("/")
        cached = [
            {"url": iri_to_uri(prefix + url), "label": label}
            for url, label in FooterLink.objects.filter(page__sites=settings.SITE_ID).values_list(
                "page__url", "label"
            )
        ]
        cache.set(FOOTER_CACHE_KEY, cached, timeout=None)
    return cached


def forget_footer_links(**kwargs) -> None:
    """Signal receiver: a footer link, or a page one leads to, changed."""
    cache.delete(FOOTER_CACHE_KEY)
