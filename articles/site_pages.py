"""The publisher's pages (About, Editorial policy, Contact, Privacy), the site settings they
show, and the header's and footer's links to them, read once into the shared cache like the
medical disclaimer."""

from django.conf import settings
from django.core.cache import cache
from django.urls import get_script_prefix
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext_lazy as _

from articles.disclaimer import DISCLAIMER_URL

CACHE_KEY = "articles:site-settings"
LINKS_CACHE_KEY = "articles:site-links"

# The pages the site itself links to or reads, at an address its code names: moved or
# deleted, each breaks what is said here. Names kept with the addresses in nervepain/urls.py
# (templates link to them with {% url %}); tests/articles/test_admin_fixes.py checks that every
# such page a template links to is listed. The admin's form, its delete pages and History's
# restore keep them where they are.
FIXED_PAGES = {
    DISCLAIMER_URL: _("every article shows this page's text, which the site reads at %(url)s"),
    "/privacy/": _("the comment form under every article links to %(url)s"),
    "/contact/": _("the page readers see when an email link has expired links to %(url)s"),
    "/editorial-policy/": _("a team's profile page links to %(url)s"),
}


def fixed_address_reason(url: str) -> str | None:
    """Why the site needs a page at ``url``, or None if it does not."""
    reason = FIXED_PAGES.get(url)
    return reason % {"url": url} if reason else None


def fixed_page_reason(page) -> str | None:
    """Why the site needs ``page`` at its stored address, or None if it does not."""
    return fixed_address_reason(page.url) if page.pk is not None else None


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
