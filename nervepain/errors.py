"""The error pages outside an outage (``nervepain.outage``): in the site's own look, each with
a way on, where Django's own 400 and 403 were a bare heading on a white page."""

import logging

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

from nervepain.context_processors import site

logger = logging.getLogger(__name__)

_BARE_400 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>Bad request</title></head><body><main><h1>Bad request</h1>"
    '<p><a href="/">Go to the home page</a></p></main></body></html>'
)


def bad_request(request, exception, template_name="400.html"):
    """``handler400``. Django renders 400.html without the request, so the header would have
    no site name; this gives it the site's context alone (the session or the Host header may
    be what was bad, so nothing reads them)."""
    try:
        html = render_to_string(template_name, site(request))
    except Exception:  # the page about a bad request must not fail itself
        logger.exception("the 400 page could not be rendered")
        html = _BARE_400
    return HttpResponseBadRequest(html)
