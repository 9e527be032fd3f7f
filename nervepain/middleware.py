"""Request ids for logs, a health check, the security headers Django does not set by itself,
and gzip."""

import contextvars
import gzip
import logging
import re
import secrets
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.middleware import gzip as django_gzip
from django.utils.cache import patch_vary_headers

from nervepain.client_address import client_address

logger = logging.getLogger(__name__)
request_id_var = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Tag each request with an id (the proxy's X-Request-ID if sane, else a new one).

    The id is in every log line written while the request runs and in the response header, so
    a reader's error report ("request id ...") finds its log lines.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.id
        return response


HEALTH_CHECK_PATH = "/-/health"


class HealthCheckMiddleware:
    """``GET /-/health``: "ok" while this process answers, for Varnish's probe of each node
    (scripts/varnish-backends.sh) or a load balancer's.

    Answered before anything reads the Host header or redirects to HTTPS: a probe names the
    node by its address, over plain HTTP, which production settings refuse (ALLOWED_HOSTS) or
    redirect. Touches neither the database nor the cache: a node serving cached pages through
    a database outage stays in the round robin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_CHECK_PATH or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = HttpResponse(b"ok\n", content_type="text/plain; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response


class ClientAddressMiddleware:
    """Set ``request.client_ip``: REMOTE_ADDR, or our own proxy's entry in X-Forwarded-For when
    the request comes from one of our proxies (nervepain/client_address.py, the rule gunicorn's
    access log follows too).

    With TRUSTED_PROXY_COUNT proxies in front, each appends the address it saw, so the one
    written by our outermost proxy is that many entries from the end; anything before it is
    whatever the client claimed and is not trusted; a request from an address not in
    TRUSTED_PROXY_ADDRESSES is its own address, whatever its header says.
    """

    warned = False  # about an entry that is no address: once a process

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip, bad_entry = client_address(
            request.META.get("REMOTE_ADDR"),
            request.headers.get("X-Forwarded-For", ""),
            settings.TRUSTED_PROXY_COUNT,
            settings.TRUSTED_PROXY_ADDRESSES,
        )
        if bad_entry is not None and not ClientAddressMiddleware.warned:
            ClientAddressMiddleware.warned = True
            logger.warning(
                "X-Forwarded-For entry %r is not an address (is DJANGO_TRUSTED_PROXIES "
                "the number of proxies in front?): using REMOTE_ADDR",
                bad_entry,
            )
        return self.get_response(request)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record):
        # A 4xx is logged (django.request) after the middleware has returned: its request says.
        record.request_id = getattr(getattr(record, "request", None), "id", request_id_var.get())
        return True


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Scripts and styles come only from this site's own static files: no inline script, no
    inline style, no third party, in the reader pages and in the admin alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(
            f"{directive} {' '.join(sources)}"
            for directive, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class QueryCountMiddleware:
    """Report the number of SQL queries a request ran in ``X-Query-Count`` (for `make bench`).

    Installed only when DJANGO_QUERY_COUNT_HEADER is set; production leaves it out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import connection

        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


class GZipMiddleware(django_gzip.GZipMiddleware):
    """Django's gzip middleware, compressing whole responses at level 5 instead of 6.

    Pages rendered for one reader (staff, a commenter with a held comment) are compressed on
    every request: the article page with 200 comments (124 KB) took 2.9 ms at level 6 and
    1.7 ms at level 5, for 3.6% more bytes. Streaming responses are left to Django. Like
    Django, a random-length file name in the gzip header varies the size against BREACH.
    """

    level = 5

    def process_response(self, request, response):
        if (
            response.streaming
            or len(response.content) < 200
            or response.has_header("Content-Encoding")
            or not django_gzip.re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = self.compress(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response

    def compress(self, content: bytes) -> bytes:
        packed = gzip.compress(content, compresslevel=self.level, mtime=0)
        header = bytearray(packed[:10])
        header[3] = gzip.FNAME
        name = b"a" * secrets.randbelow(self.max_random_bytes) + b"\x00"
        return bytes(header) + name + packed[10:]
