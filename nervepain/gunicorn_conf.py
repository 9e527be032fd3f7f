"""gunicorn settings for `make serve` and production; every value can come from the environment."""

import os

from gunicorn import glogging

from nervepain import client_address

# `make serve PORT=8123` sets DJANGO_PORT; the site's own links follow it (settings.SITE_URL).
bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('DJANGO_PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Workers are recycled (a guard against slow leaks), but rarely and never together: at 1,000+
# requests/s, 2,000 requests meant a restart every few seconds, each one a fresh Django start
# (~0.5 s of CPU) taken from the workers still serving on this 2-core machine: cache hits'
# p99 went from ~2 ms to 390-530 ms. Now the app is loaded and warmed up once in the master
# (preload_app) and each worker is a fork of it: a restart costs a fork, not an import.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
accesslog = "-"
errorlog = "-"
access_log_format = (
    'access remote=%(h)s method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s '
    'duration_ms=%(M)s request_id=%({x-request-id}o)s agent="%(a)s"'
)
# gunicorn sends a file response (whitenoise's static files, uploaded images) with sendfile()
# without counting its bytes: the access log said bytes=0 for each. Written through the socket
# in 4 KB blocks, a file costs a few more system calls: on loopback, p50 0.5-0.6 ms for the
# gzipped site CSS (4.5 KB) either way, 1.0-1.1 ms against 0.7-0.9 ms for the largest file (the
# admin's 325 KB xregexp.js). Hashed static files are kept a year by browsers and front caches.
# With TLS in gunicorn, sendfile() is off regardless.
sendfile = False
# The proxies in front (Varnish, HAProxy, a TLS proxy): gunicorn believes their
# X-Forwarded-Proto, and the access log's remote= is then the client's address from their
# X-Forwarded-For (DJANGO_TRUSTED_PROXIES entries from the end), by the rule Django uses for
# rate limits (nervepain/client_address.py). From anywhere else, the peer's own address.
forwarded_allow_ips = ",".join(client_address.trusted_from_env())
trusted_proxy_count = int(os.environ.get("DJANGO_TRUSTED_PROXIES") or 0)


class AccessLogger(glogging.Logger):
    """gunicorn's logger, with remote= (``%(h)s``) the client behind our proxies."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = (
            client_address.client_address(
                environ.get("REMOTE_ADDR"),
                environ.get("HTTP_X_FORWARDED_FOR", ""),
                trusted_proxy_count,
                self.cfg.forwarded_allow_ips,
            )[0]
            or "-"
        )
        return atoms


logger_class = AccessLogger
# gunicorn's control socket has one default path per user, so several servers on one machine
# (bench, load test, two-process test) would take it from each other; nothing here uses it.
control_socket_disable = True

# Templates every reader page and comment post uses: compiled before the first request.
WARM_TEMPLATES = [
    "articles/article_detail.html",
    "articles/article_list.html",
    "comments/discussion.html",
    "comments/form.html",
    "comments/field.html",
    "comments/checkbox.html",
    "comments/problem.html",
    "includes/breadcrumbs.html",
    "includes/call_to_action.html",
    "includes/social_meta.html",
]


def warm_up():
    """Load and warm up what every request uses, then take it out of the GC.

    Without this a fresh worker's first page took ~250 ms and its first comment post ~85 ms
    (importing views and template tags, compiling templates and the email and URL validators'
    patterns, building the URL reverse tables). Python's full (oldest generation) collections
    then walked the ~100,000 objects of the loaded code on random requests, 20-65 ms each
    time; ``gc.freeze()`` leaves those objects out of collections (and, done before forking,
    keeps the collector from writing to the pages the workers share with the master).
    Touches neither the database nor the cache: no connection is opened to be inherited.
    """
    import gc

    from django.core.validators import URLValidator, validate_email
    from django.template.loader import get_template
    from django.urls import reverse

    reverse("articles:list")  # imports the URLconf and every view module, fills reverse tables
    reverse("comments:post")
    for name in WARM_TEMPLATES:
        get_template(name)
    validate_email("reader@example.org")
    URLValidator()("https://example.org/")
    gc.collect()
    gc.freeze()


def when_ready(server):
    """With preload_app, warm up once in the master, before the first worker is forked."""
    if preload_app:
        warm_up()


def post_worker_init(worker):
    """Without preload_app, each worker warms itself up before it accepts requests."""
    if not preload_app:
        warm_up()
