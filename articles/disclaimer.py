"""The site-wide medical disclaimer: a flatpage staff edit, shown on every article.

Read once into the shared cache (Redis in production) and forgotten whenever a flatpage
changes, so the article page costs no query for it and every web process shows the new text
at once.
"""

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache

from articles.markdown import render_markdown

DISCLAIMER_URL = "/medical-disclaimer/"
CACHE_KEY = "articles:medical-disclaimer"


def medical_disclaimer() -> dict | None:
    """The disclaimer's ``title`` and ``content`` (its Markdown rendered and sanitised), or None
    if missing."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        page = (
            FlatPage.objects.filter(url=DISCLAIMER_URL, sites=settings.SITE_ID)
            .values("title", "content")
            .first()
        )
        if page:  # Markdown, as on its own page: rendered once here, not on every article
            page["content"] = render_markdown(page["content"])
        cached = page or {}  # remember "missing" too, so it costs no query either
        cache.set(CACHE_KEY, cached, timeout=None)
    return cached or None


def forget_medical_disclaimer(**kwargs) -> None:
    """Signal receiver: any flatpage change may be the disclaimer's."""
    cache.delete(CACHE_KEY)
