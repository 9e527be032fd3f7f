"""A page cache for anonymous readers that is never stale.

Only reader pages (the ``articles`` URL namespace) are cached, only for requests that carry no
cookie that makes a page personal (a session, the commenter key that shows held comments, the
"remember me" cookie), and only for 200 responses that set no cookie. What must still differ per
reader travels in cookies set by ``PAGE_CACHE_RESPONSE_HOOKS`` on every response, hit or miss
(the comment form's one-time token).

Only canonical addresses are cached, so a loop over made-up query strings cannot fill the cache
(and evict what else it holds). A reader page's query string may name only the parameters the
site itself writes (``PAGE_CACHE_QUERY_PARAMETERS``), each once, with a value the site would
write (a positive integer): other parameters (``utm_*``, ``fbclid``, ``Page``, a stray ``&``)
are dropped with a permanent redirect, and a malformed value of a known one is a 404, all
before any page is rendered. A page then says which parameters it used
(``honour_query_parameter``: a ``reply_to`` naming a public comment it shows, a page number in
range); an answer to a query it did not use is not stored, and the reader is sent to the
address without it. The cache key is the method, scheme, path and canonical query: not the
Host header, which pages never use (``nervepain.context_processors``).

Staleness: every cached page is stored with the site-wide version number (kept in the shared
cache) it was rendered at, and served only while that is still the version. Saving or deleting
anything that a reader page shows (models of the apps in ``PAGE_CACHE_INVALIDATED_BY``:
articles, comments, flatpages...) increments the version, so every cached copy on every web
process is stale at once. Time also changes pages: a copy never
outlives the moment the next scheduled article is due.

Front caches (Varnish, a CDN) may keep the same pages for hours: every stored page carries
surrogate keys, and changes purge them by key (``articles.frontcache``).
"""

import functools
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

from articles import frontcache

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
RELEASE_KEY = "pagecache:release"
# What pages are rendered from besides the data: these settings, every ``ARTICLE_*`` and
# ``COMMENTS_*`` one, and the code, templates and static files (``release()``).
_PAGE_SETTINGS = {
    "SITE_URL", "SITE_NAME", "SITE_DESCRIPTION", "LANGUAGE_CODE", "TIME_ZONE", "STATIC_URL",
    "MEDIA_URL", "STORAGES",
}  # fmt: skip
_PAGE_SETTING_PREFIXES = ("ARTICLE_", "COMMENTS_")
_SOURCE_FOLDERS = ("articles", "comments", "nervepain", "wordpress", "templates")
_SOURCE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".md"}
_SKIPPED_HEADERS = {"set-cookie", "date", "x-request-id"}
# Every query parameter the site writes is a positive integer: no sign, space or leading zero.
_PARAMETER_VALUE = re.compile(r"[1-9][0-9]{0,9}")
_S_MAXAGE = re.compile(r"s-maxage=[0-9]+")


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or the cache was flushed: start a new version no old page can carry.
        version = int(timezone.now().timestamp() * 1000)
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(timezone.now().timestamp() * 1000), timeout=None)


def invalidate(instance=None, **kwargs) -> None:
    """Make every cached page stale, on every web process sharing this cache.

    Once now, and once more when the transaction commits: a page rendered from the old data
    between the two is dropped by the second bump. A model can say that a change is invisible
    to readers with ``affects_public_pages()`` (a held comment arriving), so a flood of held
    spam cannot keep emptying the cache; a model readers never see says so with
    ``shown_to_readers = False`` and is not watched at all. With front caches configured, the
    pages that show the change are also purged from them once the transaction commits
    (``articles.frontcache``).
    """
    affects = getattr(instance, "affects_public_pages", None)
    if affects is not None and not affects():
        return
    _bump()
    transaction.on_commit(_bump, robust=True)
    frontcache.changed(instance)


def _stable(value) -> str:
    """A repr that is the same in every process (sets and dicts sorted)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_stable(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(_stable(item) for item in value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_stable(item) for item in value) + "]"
    return repr(value)


def release() -> str:
    """A fingerprint of what this process renders pages with, besides the data: its code and
    templates, the static files' manifest (their hashed names) and the settings pages show."""
    digest = hashlib.sha256()
    for name in sorted(dir(settings)):
        if name in _PAGE_SETTINGS or name.startswith(_PAGE_SETTING_PREFIXES):
            digest.update(f"{name}={_stable(getattr(settings, name))}\n".encode())
    root = Path(settings.BASE_DIR)
    files = {
        str(path.relative_to(root)): path
        for folder in _SOURCE_FOLDERS
        for path in sorted((root / folder).rglob("*"))
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts
    }
    # Named alike on every node, wherever its STATIC_ROOT is.
    files["static manifest"] = Path(settings.STATIC_ROOT) / "staticfiles.json"
    for name, path in files.items():
        if path.is_file():
            digest.update(f"{name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _node_key() -> str:
    return f"pagecache:release:node:{settings.NODE_NAME}"


def needs_refresh(current: str) -> bool:
    """Whether pages cached now may come from another release or configuration than
    ``current``: the cache was last refreshed for another, or this node ran another before.

    The second is a rolling deploy: the first node restarted refreshes the cache, but the old
    nodes go on caching old pages until each is restarted, when its own release (kept per
    node, ``NODE_NAME``, in the never-evicted counters cache) says it changed. A node never
    seen before (one added) goes by the cache's release alone."""
    before = caches["counters"].get(_node_key())
    return cache.get(RELEASE_KEY) != current or (before is not None and before != current)


def refresh_for_release(force: bool = False) -> bool:
    """Make every cached page stale, and purge the front caches, if the pages were cached by
    another release or configuration (``release()``: ``needs_refresh``), or with ``force``;
    True if it did.

    Run before a web process starts serving (``manage.py refresh_pages``): a new release's
    pages would otherwise keep the old ones' links and static file names for up to
    ``PAGE_CACHE_SECONDS``, and front caches for hours. Started again unchanged, the cache
    is kept (adding a web node purges nothing)."""
    current = release()
    refresh = force or needs_refresh(current)
    if refresh:
        invalidate()
        cache.set(RELEASE_KEY, current, timeout=None)
    caches["counters"].set(_node_key(), current, timeout=None)
    return refresh


def connect_invalidation() -> None:
    """Connect ``invalidate`` to saves and deletes of every model readers' pages show.

    Not to a model marked ``shown_to_readers = False``: with no receiver watching its deletes,
    Django deletes its rows by one statement without reading them (the spam list's index,
    480,000 rows for 20,000 fingerprints, was read row by row, each bumping the version)."""
    for label in settings.PAGE_CACHE_INVALIDATED_BY:
        for model in apps.get_app_config(label).get_models():
            if not getattr(model, "shown_to_readers", True):
                continue
            post_save.connect(invalidate, sender=model, dispatch_uid=f"pagecache-save-{label}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"pagecache-del-{label}")


@functools.lru_cache(maxsize=1024)
def view_name(path_info: str, urlconf: str | None) -> str | None:
    """The view name of a path, "namespace:name" (remembered: resolving cost ~35 us of a
    ~400 us hit); None for no page. For this cache and its response hooks."""
    try:
        return resolve(path_info, urlconf).view_name
    except Resolver404:
        return None


def _redis_server(alias: str) -> str | None:
    config = settings.CACHES.get(alias, {})
    if "redis" not in config.get("BACKEND", "").lower():
        return None
    location = config.get("LOCATION", "")
    location = location[0] if isinstance(location, list | tuple) else location
    return urlsplit(location).netloc.rpartition("@")[2]  # host:port, without credentials


def check_counters_cache(app_configs=None, **kwargs) -> list:
    """Deploy check: pages must not be able to evict the rate-limit and login counters.

    Redis evicts per server, not per database, so the counters need a Redis server of their
    own whose policy never evicts (``maxmemory-policy noeviction``, or no ``maxmemory``).
    """
    server = _redis_server("counters")
    if server is None:
        return []
    problems = []
    if server == _redis_server("default"):
        problems.append(
            checks.Warning(
                "The rate-limit and login counters are on the page cache's Redis server, where "
                "pages can evict them.",
                hint="Set REDIS_COUNTERS_URL to a Redis server of their own that runs with "
                "maxmemory-policy noeviction.",
                id="articles.W001",
            )
        )
    try:
        client = caches["counters"]._cache.get_client(write=True)
        policy = client.config_get("maxmemory-policy").get("maxmemory-policy", "")
        limit = int(client.config_get("maxmemory").get("maxmemory", 0))
    except Exception as error:  # CONFIG may be disabled (managed Redis), or the server down
        return [*problems, checks.Info(f"Could not read the counters' Redis policy: {error}")]
    if limit and policy != "noeviction":
        problems.append(
            checks.Warning(
                f"The counters' Redis evicts keys when full (maxmemory-policy {policy}).",
                hint="Run the counters' Redis with maxmemory-policy noeviction.",
                id="articles.W002",
            )
        )
    return problems


def canonical_query(request) -> str | None:
    """The query string the site would write for this request: its known parameters
    (``PAGE_CACHE_QUERY_PARAMETERS``) in order, others dropped. None if a known parameter is
    repeated or has a value the site never writes."""
    query = request.META.get("QUERY_STRING", "")
    if not query:  # most requests: nothing to read
        return ""
    known = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in settings.PAGE_CACHE_QUERY_PARAMETERS:
            continue
        if name in known or not _PARAMETER_VALUE.fullmatch(value):
            return None
        known[name] = value
    return urlencode(sorted(known.items()))


def honour_query_parameter(request, name: str) -> None:
    """Say that the page being rendered used query parameter ``name`` (a ``reply_to`` naming
    a comment it shows, a page number in range). A reader page whose query names a parameter
    it did not use is not cached: the reader is sent to the address without it."""
    used = getattr(request, "page_query_used", None)
    if used is not None:
        used.add(name)


def _address(request, query: str) -> str:
    return escape_uri_path(request.path) + (f"?{query}" if query else "")


def changes_at(request, when) -> None:
    """Say that the page this request renders will look different at ``when`` (a datetime,
    or None): the page cache and front caches keep it no longer than that."""
    if when is None:
        return
    current = request.__dict__.get("page_changes_at")
    request.page_changes_at = when if current is None else min(current, when)


def _seconds_until(when) -> int | None:
    return None if when is None else max(1, int((when - timezone.now()).total_seconds()))


def _seconds_until_next_scheduled() -> int | None:
    from articles.models import Article

    now = timezone.now()
    due = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return None if due is None else max(1, int((due - now).total_seconds()))


class RecentPages:
    """The pages this process served lately, at most ``PAGE_CACHE_LOCAL_BYTES`` of them (the
    least recently served leave first).

    A hit on one of them reads only the site version from the shared cache, not the page. On
    this 2-core machine, Redis sending the 99 KB page with 1000 comments on every hit made
    hits about 12% slower (1,190-1,320 against 1,390-1,470 requests/s at 1 connection). A
    copy is served only while it carries the current version and is within the expiry it
    was stored with, like the shared copy.
    """

    def __init__(self):
        self._pages = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key, page) -> None:
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old["body"])
            if len(page["body"]) > limit:
                return
            self._pages[key] = page
            self._bytes += len(page["body"])
            while self._bytes > limit:
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped["body"])

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    @property
    def size(self) -> int:
        return self._bytes


recent_pages = RecentPages()


def _unexpired(page) -> bool:
    return page.get("expires", 0) > time.time()  # copies stored before expiries: stale


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Templates and tags key their fragment caches on this (read from the cache on first use).
        request.page_version = SimpleLazyObject(current_version)
        if request.method in ("GET", "HEAD") and self._is_reader_page(request):
            query = canonical_query(request)
            if query is None:
                raise Http404("This page has no such address.")
            if query != request.META.get("QUERY_STRING", ""):
                return HttpResponsePermanentRedirect(_address(request, query))
            request.page_query_used = set()
        if not self._cacheable_request(request):
            response = self._unless_query_unused(request, self.get_response(request))
            if self._is_reader_page(request):
                patch_cache_control(response, private=True, no_cache=True)
                self._per_response(request, response)
            return response

        # One round trip: the site version a page must carry to be fresh, and the page unless
        # this process holds a copy of it already.
        key = self._key(request)
        cached = recent_pages.get(key)
        shared = cached is None
        if shared:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY) or current_version()
            cached = found.get(key)
        else:
            version = cache.get(VERSION_KEY) or current_version()
            if cached["version"] != version:  # changed since: another process may have it
                cached, shared = cache.get(key), True
        request.page_version = version
        if cached is not None and cached["version"] == version and _unexpired(cached):
            if shared:
                recent_pages.put(key, cached)
            response = self._rebuild(cached)
            self._shared_lifetime(response, cached.get("changes_at"), stored=True)
            response["X-Page-Cache"] = "hit"
            self._per_response(request, response)
            return response

        response = self._unless_query_unused(request, self.get_response(request))
        if response.status_code == 200 and not response.cookies and not response.streaming:
            changes_at = request.__dict__.get("page_changes_at")
            until_change = _seconds_until(changes_at)
            self._shared_lifetime(response, changes_at and changes_at.timestamp())
            patch_vary_headers(response, ["Cookie"])
            frontcache.tag(request, response)
            timeout = settings.PAGE_CACHE_SECONDS
            for limit in (_seconds_until_next_scheduled(), until_change):
                if limit is not None:
                    timeout = min(timeout, limit)
            # Stored with the version read before rendering: if anything changed meanwhile,
            # the version moved on and this copy is never served.
            frozen = self._freeze(response, version, time.time() + timeout, changes_at)
            cache.set(key, frozen, timeout=timeout)
            recent_pages.put(key, frozen)
            response["X-Page-Cache"] = "miss"
        self._per_response(request, response)
        return response

    @staticmethod
    def _unless_query_unused(request, response):
        """The page, or a redirect to its address without the query parameters it did not use
        (``?reply_to=`` naming no public comment of the page, say): that answer is never
        cached, and the reader lands on the page they can use."""
        used = getattr(request, "page_query_used", None)
        if response.status_code != 200 or used is None or not set(request.GET) - used:
            return response
        kept = urlencode(sorted((name, request.GET[name]) for name in used & set(request.GET)))
        return HttpResponseRedirect(_address(request, kept))

    @staticmethod
    def _shared_lifetime(response, changes_at: float | None, stored: bool = False) -> None:
        """How long front caches may keep this page (``s-maxage``), set on every answer, hit
        or miss, from the settings of the process answering: a copy stored before a front
        cache was configured (60 s), or before one was taken away (six hours), would otherwise
        hand its old lifetime on for as long as it stays in the page cache. A page that will
        change by itself (its comments close, say) is kept by no cache past that moment
        (``changes_at``, a timestamp): nothing purges it then."""
        shared_seconds = settings.PAGE_CACHE_SHARED_SECONDS
        if changes_at is not None:
            shared_seconds = min(shared_seconds, max(1, int(changes_at - time.time())))
        if stored:
            # A stored page's header is the one set below: only the number changes (a tenth
            # of what patching it costs on a ~400 us hit).
            response["Cache-Control"] = _S_MAXAGE.sub(
                f"s-maxage={shared_seconds}", response["Cache-Control"], count=1
            )
        else:
            patch_cache_control(response, public=True, max_age=0, s_maxage=shared_seconds)

    @staticmethod
    def _per_response(request, response):
        """What must differ per reader (a cookie, never the page) comes from these hooks."""
        for hook in settings.PAGE_CACHE_RESPONSE_HOOKS:
            import_string(hook)(request, response)

    def _is_reader_page(self, request) -> bool:
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        return (view_name(request.path_info, urlconf) or "").startswith("articles:")

    def _cacheable_request(self, request) -> bool:
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return False
        if any(name in request.COOKIES for name in settings.PAGE_CACHE_BYPASS_COOKIES):
            return False
        if set(request.GET) - settings.PAGE_CACHE_QUERY_PARAMETERS:
            return False
        return self._is_reader_page(request)

    def _key(self, request) -> str:
        """Method, scheme, path and the (canonical) query; two encodings. Not the Host header:
        pages name the site from ``SITE_URL``, and every spelling of an allowed host (case,
        port, trailing dot) would otherwise be a new copy."""
        request.get_host()  # still refuses (400) a Host that is not in ALLOWED_HOSTS
        gzip = "gzip" in request.headers.get("Accept-Encoding", "")
        query = request.META.get("QUERY_STRING", "")
        raw = f"{request.method}:{request.scheme}:{request.path}?{query}:{gzip}"
        return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def _freeze(response, version, expires, changes_at=None) -> dict:
        headers = {k: v for k, v in response.items() if k.lower() not in _SKIPPED_HEADERS}
        return {
            "version": version,
            "expires": expires,
            "changes_at": changes_at and changes_at.timestamp(),
            "status": response.status_code,
            "headers": headers,
            "body": response.content,
        }

    @staticmethod
    def _rebuild(frozen):
        from django.http import HttpResponse

        response = HttpResponse(frozen["body"], status=frozen["status"])
        for name, value in frozen["headers"].items():
            response[name] = value
        return response
