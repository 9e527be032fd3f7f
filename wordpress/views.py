"""Old WordPress addresses, redirected for good to the articles they became."""

from django.http import Http404, HttpResponsePermanentRedirect

from articles.models import Article


def _moved_permanently(articles):
    article = articles.published().only("slug").first()
    if article is None:
        raise Http404("No article has this old address.")
    return HttpResponsePermanentRedirect(article.get_absolute_url())


def wordpress_id_redirect(post_id: str):
    """``/?p=ID``: the article imported from that WordPress post, if readers may see it."""
    if not post_id.isdigit():
        raise Http404("Not a WordPress post id.")
    return _moved_permanently(Article.objects.filter(wp_post_id=int(post_id)))


def wordpress_permalink_redirect(request, slug, year=None, month=None, day=None):
    """Old WordPress permalinks (``/2023/04/01/slug/``, ``/2023/04/slug/``, ``/slug/``).

    The slug decides: dates in old links were often wrong after edits, and WordPress itself
    finds a post by its slug. Only articles readers may see; anything else is 404.
    """
    from wordpress.posts import wordpress_slug  # with the importer's HTML libraries: lazily

    slug = wordpress_slug(slug)
    if not slug:
        raise Http404("No article has this old address.")
    return _moved_permanently(Article.objects.filter(slug=slug))
