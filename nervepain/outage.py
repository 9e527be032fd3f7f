"""Readers during a database outage: a plain "back in a minute" page, logged once per outage.

A page the page cache holds is still served (reading it needs no database). Any other request
that meets a database error (the server gone, refusing connections, a lost connection) answers
503 with ``Retry-After`` and ``templates/503.html``, rendered without touching the database.
The error is logged once when an outage begins, not as a traceback per request, and once when
the database answers again (with how long it was away and how many requests got the page); a
new failure after that is a new outage. Each web process keeps its own record.
"""

import logging
import sys
import threading
import time

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from nervepain.context_processors import site

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
# If even the site's own template cannot be rendered, this still can.
_BARE_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>Back in a minute</title></head><body><main><h1>We'll be back in a minute</h1>"
    "<p>We cannot show this page just now. Please try again in a minute.</p></main></body></html>"
)


class Outage:
    """Whether this process is in a database outage, since when, and how many it turned away."""

    def __init__(self):
        self._lock = threading.Lock()
        self.since = None
        self.answered = 0

    def failed(self, error) -> None:
        with self._lock:
            if self.since is None:
                self.since, self.answered = time.monotonic(), 0
                logger.error(
                    "database unavailable: answering 503 until it is back error=%s",
                    " ".join(str(error).split()),
                )
            self.answered += 1

    def recovered(self) -> None:
        with self._lock:
            if self.since is not None:
                logger.warning(
                    "database available again after=%ds answered_503=%d",
                    time.monotonic() - self.since,
                    self.answered,
                )
                self.since = None

    def reset(self) -> None:
        with self._lock:
            self.since, self.answered = None, 0


outage = Outage()


def outage_response(request, error) -> HttpResponse:
    """The 503 page for a request that met a database error. Renders from the template alone:
    no context processors (they may read the session or the user), so no database."""
    outage.failed(error)
    try:
        # The header's and footer's links: only what the cache holds.
        html = render_to_string("503.html", {**site(request), "database_away": True})
    except Exception:  # the page that says we are down must never fail itself
        logger.exception("the 503 page could not be rendered")
        html = _BARE_PAGE
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)  # a front cache must not keep serving the outage
    # Logged once for the whole outage above: keep django.request from logging every one.
    response._has_been_logged = True
    return response


class DatabaseOutageMiddleware:
    """Turns a database error in a view or template into the outage page, and notices when
    the database answers again (only while an outage is on: nothing is added otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if outage.since is None:
            return self.get_response(request)
        with connection.execute_wrapper(self._watch):
            return self.get_response(request)

    @staticmethod
    def _watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        outage.recovered()
        return result

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return outage_response(request, exception)
        return None


def server_error(request, template_name="500.html"):
    """``handler500``: a database error outside any view (a middleware's query) is the outage
    page too; anything else is Django's plain 500."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return outage_response(request, error)
    return defaults.server_error(request, template_name)
