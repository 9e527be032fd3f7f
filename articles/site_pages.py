"""The publisher's pages (About, Editorial policy, Contact, Privacy) and the site settings
they show, read once into the shared cache like the medical disclaimer."""

from django.core.cache import cache

CACHE_KEY = "articles:site-settings"


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
