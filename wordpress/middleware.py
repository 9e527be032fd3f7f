from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.http import urlencode

from wordpress.views import wordpress_id_redirect

# WordPress's addresses for one post or page: /?p=123 and /?page_id=123.
WORDPRESS_ID_PARAMETERS = ("p", "page_id")


class OldPostIdMiddleware:
    """``/?p=ID`` and ``/?page_id=ID`` redirect to the article imported from that post, and
    WordPress's search, ``/?s=words``, to this site's (old links, a browser's site search).

    A middleware because these addresses are the home page's with a query string: it stands
    before the page cache, so the home page's view and cache need know nothing of WordPress.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            for parameter in WORDPRESS_ID_PARAMETERS:
                if parameter in request.GET:
                    return wordpress_id_redirect(request.GET[parameter])
            if "s" in request.GET:
                query = urlencode({"q": request.GET["s"]}) if request.GET["s"].strip() else ""
                return HttpResponsePermanentRedirect(f"{reverse('search')}?{query}".rstrip("?"))
        return self.get_response(request)
