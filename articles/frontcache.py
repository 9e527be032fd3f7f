"""Front caches (Varnish, a CDN) that keep anonymous pages for hours and are purged on change.

Every anonymous page the page cache stores is tagged with surrogate keys (``Surrogate-Key`` for
CDNs, ``xkey`` for Varnish): ``site`` on every page, plus the keys ``PAGE_KEYS`` gives its URL
name. Whatever bumps the page version (``articles.pagecache.invalidate``) also collects the keys
of the pages the change shows on; when the transaction commits, one ``purge`` task per
transaction tells every configured front cache (``FRONT_CACHES``) to drop those pages. The
task runs on the queue, never on a reader's request; a failing cache is logged and tried
again with backoff, and readers who reach Django directly are still protected by the page
version.

Which pages a change shows on comes from ``register()``: each app says it for its own models
(articles for articles, calls-to-action, reviewers and references; comments for comments). A
model nobody registered purges ``site``, every page: correct, if wasteful.
"""

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from nervepain.media import surrogate_key

logger = logging.getLogger(__name__)

SITE_KEY = "site"
# The keys of each reader page, by URL name, filled from the URL's arguments. A new page type
# is one line here (and one in ``register`` for the model whose change shows on it).
PAGE_KEYS: dict[str, tuple[str, ...]] = {
    "articles:list": ("home",),
    "articles:detail": ("article:{slug}",),
    "articles:feed_rss": ("feeds",),
    "articles:feed_atom": ("feeds",),
    "articles:sitemap": ("sitemap",),
    "articles:topics": ("topics",),
    "articles:topic": ("topic:{slug}",),
    "articles:topic_feed": ("topic:{slug}",),
    "articles:tag": ("tag:{slug}",),
    "articles:tag_feed": ("tag:{slug}",),
    "articles:person": ("person:{slug}",),
}
_VALID_KEY = re.compile(r"^[A-Za-z0-9:_-]{1,128}$")
MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 5

_registry: dict[type, tuple[Callable, Callable | None]] = {}


def register(model: type, keys: Callable[[object], Iterable[str]], due=None) -> None:
    """Say which keys a change of ``model`` touches: ``keys(instance)``; and, for changes that
    become visible later (a scheduled article), ``due(instance)``, the moment to purge again."""
    _registry[model] = (keys, due)


def page_keys(request, response=None) -> list[str]:
    """The surrogate keys of the page this request got: ``site`` and its URL name's keys."""
    match = getattr(request, "resolver_match", None)
    templates = PAGE_KEYS.get(match.view_name, ()) if match else ()
    return [SITE_KEY, *(template.format(**match.kwargs) for template in templates)]


def tag(request, response) -> None:
    """Put the page's surrogate keys on a response a front cache may keep."""
    keys = " ".join(key for key in page_keys(request) if _VALID_KEY.match(key))
    response["Surrogate-Key"] = keys
    response["xkey"] = keys


def keys_for(instance) -> set[str]:
    """The keys of the pages that show ``instance`` (``site`` when nobody said, or on error)."""
    keys, _ = _registry.get(type(instance), (None, None))
    if keys is None:
        return {SITE_KEY}
    try:
        found = {key for key in keys(instance) if _VALID_KEY.match(key)}
    except Exception:  # a half-deleted relation, say: purging everything is never stale
        logger.exception("front cache keys failed model=%s", type(instance).__name__)
        return {SITE_KEY}
    return found


def configured() -> bool:
    return bool(settings.FRONT_CACHES)


def forget_files(names: Iterable[str]) -> None:
    """Purge deleted uploaded files (stored names) from the front caches, which keep an image
    for a year (nervepain/media.py). Called once the files are gone: a reader's request
    between the purge and the deletion would put them back."""
    if configured():
        purge.enqueue(sorted({surrogate_key(name) for name in names}))


def changed(instance) -> None:
    """Purge the pages showing ``instance`` from the front caches once this transaction
    commits (one task per transaction, whatever it changed); nothing without front caches."""
    if not configured():
        return
    keys = keys_for(instance)
    if not keys:
        return
    _, due = _registry.get(type(instance), (None, None))
    when = due(instance) if due is not None else None
    if when is not None and when <= timezone.now():
        when = None
    connection = connections[router.db_for_write(type(instance))]
    batch = connection.__dict__.get("frontcache_batch")
    # A batch whose callback is no longer waiting for the commit ran, or was rolled back.
    if (
        batch is None
        or batch.flushed
        or not any(func == batch.flush for _, func, _ in connection.run_on_commit)
    ):
        batch = _Batch()
        connection.__dict__["frontcache_batch"] = batch
        batch.add(keys, when)
        transaction.on_commit(batch.flush, using=connection.alias, robust=True)
    else:
        batch.add(keys, when)


class _Batch:
    """The keys one transaction changed: purged now, and again when scheduled pages are due."""

    def __init__(self):
        self.keys: dict = {}
        self.flushed = False

    def add(self, keys, when) -> None:
        self.keys.setdefault(None, set()).update(keys)
        if when is not None:
            self.keys.setdefault(when, set()).update(keys)

    def flush(self) -> None:
        self.flushed = True
        for when, keys in self.keys.items():
            if when is None:
                purge.enqueue(sorted(keys))
            elif purge.get_backend().supports_defer:
                purge.using(run_after=when).enqueue(sorted(keys))
            else:
                logger.warning("front cache purge at %s not queued: the backend cannot defer", when)


def backends() -> dict:
    return {
        name: import_string(config["BACKEND"])(config)
        for name, config in settings.FRONT_CACHES.items()
    }


@task(queue_name="frontcache")
def purge(keys: list[str], attempt: int = 1, only: list[str] | None = None) -> str:
    """Tell the front caches (all, or the ``only`` ones left to retry) to drop pages by key.

    A cache that fails is logged and tried again with backoff (5, 10, 20, 40, 80 s, on a task
    backend that can defer: the database queue); the error is re-raised for the queue to record.
    """
    caches = backends()
    if not caches:
        # Queued by a web process with a front cache, taken by a worker started without its
        # settings (DJANGO_FRONT_CACHE_*): nothing was sent, which must not read as purged.
        logger.warning(
            "front cache purge not sent: no front cache configured in this worker keys=%s",
            " ".join(keys),
        )
        raise PurgeError("no front cache configured in this worker (DJANGO_FRONT_CACHE_*)")
    failed = []
    for name, backend in caches.items():
        if only is not None and name not in only:
            continue
        try:
            backend.purge(keys)
        except Exception as error:
            failed.append(name)
            logger.warning(
                "front cache purge failed cache=%s keys=%s attempt=%s error=%s",
                name,
                " ".join(keys),
                attempt,
                error,
            )
    if not failed:
        logger.info("front cache purged keys=%s", " ".join(keys))
        return "purged"
    if attempt < MAX_ATTEMPTS and purge.get_backend().supports_defer:
        delay = timedelta(seconds=5 * 2 ** (attempt - 1))
        purge.using(run_after=timezone.now() + delay).enqueue(
            keys, attempt=attempt + 1, only=failed
        )
    raise PurgeError(f"front cache purge failed: {', '.join(failed)}")


class PurgeError(Exception):
    pass


def _send(request: urllib.request.Request) -> None:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise PurgeError(f"{request.full_url} answered {error.code}") from error


class VarnishBackend:
    """Varnish with the shipped VCL (deploy/varnish/default.vcl): ``BAN /`` with the keys in an
    ``xkey`` header, to each address in ``LOCATIONS`` (every Varnish in front of the site)."""

    def __init__(self, config: dict):
        self.locations = config["LOCATIONS"]

    def purge(self, keys: list[str]) -> None:
        errors = []
        for location in self.locations:
            request = urllib.request.Request(
                location.rstrip("/") + "/", method="BAN", headers={"xkey": " ".join(keys)}
            )
            try:
                _send(request)
            except (OSError, PurgeError) as error:
                errors.append(f"{location}: {error}")
        if errors:
            raise PurgeError("; ".join(errors))


class FastlyBackend:
    """Fastly's purge API: one ``POST /service/<id>/purge`` with the keys in ``Surrogate-Key``
    (Fastly reads the same header from our responses). ``API_URL`` is for tests."""

    def __init__(self, config: dict):
        self.url = config.get("API_URL", "https://api.fastly.com").rstrip("/")
        self.service = config["SERVICE_ID"]
        self.token = config["API_TOKEN"]

    def purge(self, keys: list[str]) -> None:
        _send(
            urllib.request.Request(
                f"{self.url}/service/{self.service}/purge",
                method="POST",
                headers={
                    "Fastly-Key": self.token,
                    "Surrogate-Key": " ".join(keys),
                    "Accept": "application/json",
                },
            )
        )


class CloudflareBackend:
    """Cloudflare's purge API: ``POST /zones/<zone>/purge_cache`` with ``{"tags": [...]}``,
    at most 30 tags a call. Cloudflare reads tags from ``Cache-Tag``: have the zone's rule (or
    a Worker) copy ``Surrogate-Key`` into it. ``API_URL`` is for tests."""

    BATCH = 30

    def __init__(self, config: dict):
        self.url = config.get("API_URL", "https://api.cloudflare.com/client/v4").rstrip("/")
        self.zone = config["ZONE_ID"]
        self.token = config["API_TOKEN"]

    def purge(self, keys: list[str]) -> None:
        for start in range(0, len(keys), self.BATCH):
            body = json.dumps({"tags": keys[start : start + self.BATCH]}).encode()
            _send(
                urllib.request.Request(
                    f"{self.url}/zones/{self.zone}/purge_cache",
                    data=body,
                    method="POST",
                    headers={
                        "Authorization": f"Bearer {self.token}",
                        "Content-Type": "application/json",
                    },
                )
            )
