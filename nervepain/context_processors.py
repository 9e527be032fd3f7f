"""Values every page's head needs: the site's public address and name."""

from django.conf import settings


def site(request):
    """``site_url`` (no trailing slash), ``canonical_url`` of this page, name, description.

    Absolute links (canonical, OpenGraph, structured data, sitemap, feeds) are built from the
    configured ``SITE_URL``, never from the request's Host header, so a cached page always
    names the real site.
    """
    site_url = settings.SITE_URL.rstrip("/")
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None and "token" in match.kwargs:
        # A page at a reader's own link (confirm, unsubscribe): its token is theirs, not for
        # the page's share tags or its print-out.
        path = "/"
    return {
        "site_url": site_url,
        "canonical_url": f"{site_url}{path}",
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        # Lifetime of template fragments cached under the page version (see articles.pagecache).
        "fragment_cache_seconds": settings.FRAGMENT_CACHE_SECONDS,
    }
