"""Made-up addresses cannot fill the page cache, and nothing pages do evicts the counters.

Only the addresses the site itself writes are cached: a reader page with a query parameter
the site never writes is redirected to the address without it, a known parameter with a value
the site never writes is a 404, and a parameter the page did not use (a ``reply_to`` naming no
public comment of the page, a page out of range) is never stored. Rate-limit and login
counters live in a cache of their own.
"""

import pytest
import redis
from django.core.cache import cache, caches
from django.core.management import CommandError, call_command
from django.test import Client

from articles import pagecache
from articles.views import ArticleListView
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory
from tests.services import needs_redis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def page_entries() -> int:
    """How many pages the shared cache holds (local memory in tests)."""
    return sum("pagecache:page:" in key for key in cache._cache)


def recent_copies() -> int:
    """How many pages this process keeps a copy of."""
    return len(pagecache.recent_pages._pages)


A = "/articles/the-article/"


@pytest.fixture
def site(settings, monkeypatch):
    """Two pages of articles, an article with a public, a held and a removed comment, and
    another article with a public comment; the canonical pages are cached."""
    monkeypatch.setattr(ArticleListView, "paginate_by", 2)
    article = ArticleFactory(slug="the-article")
    ArticleFactory.create_batch(2)  # four articles, two a page: two pages
    public = CommentFactory(article=article, comment="Public")
    held = CommentFactory(article=article, state=Comment.State.PENDING)
    removed = CommentFactory(article=article, state=Comment.State.REMOVED)
    elsewhere = CommentFactory(article=ArticleFactory(slug="other"), comment="Elsewhere")
    canonical = ["/", "/?page=1", "/?page=2", A, f"{A}?reply_to={public.pk}"]
    reader = Client()
    for url in canonical:
        assert reader.get(url).status_code == 200
    return {
        "public": public.pk,
        "held": held.pk,
        "removed": removed.pk,
        "elsewhere": elsewhere.pk,
        "canonical": canonical,
    }


# Parameters the site never writes: dropped, with a permanent redirect to what is left.
UNKNOWN = [
    ("/?utm_source=newsletter", "/"),
    ("/?utm_source=a&utm_medium=b&utm_campaign=c", "/"),
    ("/?fbclid=IwAR0abc", "/"),
    ("/?gclid=xyz&page=2", "/?page=2"),
    ("/?Page=2", "/"),
    ("/?PAGE=2", "/"),
    ("/?page%20=2", "/"),
    ("/?&", "/"),
    ("/?page=2&", "/?page=2"),
    ("/?;page=2", "/"),
    ("/?x", "/"),
    ("/?=", "/"),
    ("/?%70age=2", "/?page=2"),
    (f"{A}?utm_source=x", A),
    (f"{A}?reply%5Fto=PUBLIC", f"{A}?reply_to=PUBLIC"),
    (f"{A}?reply_to=PUBLIC&fbclid=1", f"{A}?reply_to=PUBLIC"),
    (f"{A}?Reply_To=PUBLIC", A),
    ("/feed/?utm_source=x", "/feed/"),
    ("/feed/atom/?x=1", "/feed/atom/"),
    ("/sitemap.xml?x=1", "/sitemap.xml"),
]

# Values the site never writes for a parameter it knows: not found.
MALFORMED = [
    "/?page=",
    "/?page",
    "/?page=02",
    "/?page=+2",
    "/?page=%202",
    "/?page=2x",
    "/?page=2.0",
    "/?page=0",
    "/?page=-1",
    "/?page=last",
    "/?page=%EF%BC%92",  # a full-width digit two
    "/?page=99999999999",
    "/?page=2&page=2",
    "/?page=2&page=3",
    f"{A}?reply_to=abc",
    f"{A}?reply_to=",
    f"{A}?reply_to=0",
    f"{A}?reply_to=PUBLIC&reply_to=PUBLIC",
    "/?p=abc",
]

# Well-formed values the page has no use for: not stored, and sent to the page without them
# (or not found, for a page out of range).
UNUSED = [
    (f"{A}?reply_to=HELD", 302, A),
    (f"{A}?reply_to=REMOVED", 302, A),
    (f"{A}?reply_to=ELSEWHERE", 302, A),
    (f"{A}?reply_to=987654", 302, A),
    (f"{A}?page=2", 302, A),
    ("/?reply_to=PUBLIC", 302, "/"),
    ("/feed/?page=2", 302, "/feed/"),
    ("/?page=3", 404, None),
    ("/?page=987654", 404, None),
    ("/sitemap.xml?p=2", 404, None),
]


def fill(url: str, ids: dict) -> str:
    for name in ("PUBLIC", "HELD", "REMOVED", "ELSEWHERE"):
        url = url.replace(name, str(ids[name.lower()]))
    return url


def assert_no_new_entry(site, url, status, location):
    before = page_entries(), recent_copies()
    for headers in ({}, {"HTTP_ACCEPT_ENCODING": "gzip"}):
        response = Client().get(url, **headers)
        assert response.status_code == status, url
        if location is not None:
            assert response["Location"] == location
        assert not response.has_header("X-Page-Cache")
    assert (page_entries(), recent_copies()) == before
    assert page_entries() == len(site["canonical"])


@pytest.mark.parametrize(("url", "location"), UNKNOWN)
def test_parameters_the_site_never_writes_are_redirected_away(site, url, location):
    assert_no_new_entry(site, fill(url, site), 301, fill(location, site))


@pytest.mark.parametrize("url", MALFORMED)
def test_values_the_site_never_writes_are_not_found(site, url):
    assert_no_new_entry(site, fill(url, site), 404, None)


@pytest.mark.parametrize(("url", "status", "location"), UNUSED)
def test_parameters_a_page_does_not_use_are_not_cached(site, url, status, location):
    assert_no_new_entry(site, fill(url, site), status, location)


def test_a_reply_link_and_a_page_in_range_are_cached_once(site):
    """The addresses the site writes are cached, each under one key."""
    before = page_entries()
    for url in site["canonical"]:
        response = Client().get(url)
        assert response["X-Page-Cache"] == "hit", url
    assert page_entries() == before


@pytest.mark.parametrize(
    "host", ["TESTSERVER", "testserver:8000", "testserver.", "TestServer.:443", "localhost"]
)
def test_spellings_of_an_allowed_host_share_one_copy(site, host):
    """The Host header is not part of the key: pages name the site from SITE_URL."""
    before = page_entries()
    response = Client().get("/", HTTP_HOST=host)
    assert response["X-Page-Cache"] == "hit"
    assert page_entries() == before


def test_a_host_that_is_not_allowed_is_still_refused(site):
    """Leaving the Host header out of the key does not serve a copy to any host."""
    assert Client().get("/", HTTP_HOST="evil.example").status_code == 400


def test_comments_closed_the_reply_link_is_not_cached(site):
    article = Comment.objects.get(pk=site["public"]).content_object
    article.allow_comments = False
    article.save()
    before = page_entries()
    response = Client().get(f"{A}?reply_to={site['public']}")
    assert response.status_code == 302 and response["Location"] == A
    assert page_entries() == before


def test_a_logged_in_reader_is_redirected_the_same_way(site, staff_client):
    """One address per page for everyone (staff pages are never cached, but are linked)."""
    assert staff_client.get("/?utm_source=x")["Location"] == "/"
    assert staff_client.get(f"{A}?reply_to={site['held']}")["Location"] == A
    assert staff_client.get(f"{A}?reply_to={site['public']}").status_code == 200


def test_a_loop_over_made_up_addresses_adds_nothing_and_evicts_no_counter(site, client, settings):
    """The attack: distinct query strings, more than the cache holds. It keeps the canonical
    pages, and an address locked out for failed logins stays locked."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "OPTIONS": {"MAX_ENTRIES": 60}},
    }
    for url in site["canonical"]:
        Client().get(url)
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert client.post("/admin/login/", {"username": "admin", "password": "x"}).status_code == 429

    attacker = Client()
    for n in range(80):  # local memory keeps 60 keys here, then culls a third of them
        attacker.get(f"{A}?reply_to={n + 1000}")
    for n in range(30):
        attacker.get(f"/?page={n + 3}")
        attacker.get(f"/?utm_source={n}")
    assert page_entries() == len(site["canonical"])
    assert client.post("/admin/login/", {"username": "admin", "password": "x"}).status_code == 429


def test_counters_survive_the_page_cache_filling_up(client, settings):
    """Even if pages fill their cache (local memory culls a third of its keys when full;
    Redis evicts), the rate-limit and login counters are elsewhere."""
    for _ in range(5):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    for n in range(2000):
        cache.set(f"pagecache:page:{n}", b"x" * 100)
    assert client.post("/admin/login/", {"username": "admin", "password": "x"}).status_code == 429
    assert not any("login:fail" in key for key in cache._cache)


def test_the_counters_have_their_own_cache(settings):
    assert settings.CACHES["counters"] != settings.CACHES["default"]
    assert caches["counters"] is not caches["default"]


REDIS_URL = "redis://127.0.0.1:6379/11"


def redis_policy(monkeypatch, policy: str, maxmemory: int) -> None:
    """What the Redis server answers to CONFIG GET (the shared test server is left alone)."""
    answers = {"maxmemory-policy": policy, "maxmemory": str(maxmemory)}
    monkeypatch.setattr(
        redis.Redis, "config_get", lambda self, pattern="*", *args: {pattern: answers[pattern]}
    )


def deploy_check_warnings() -> str:
    try:
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "caches")
    except CommandError as error:
        return str(error)
    return ""


@needs_redis(REDIS_URL)
def test_deploy_check_warns_when_pages_can_evict_the_counters(settings, monkeypatch):
    """`manage.py check --deploy` names the risk: counters on the page cache's Redis server
    (another database of it has the same eviction), or on a Redis that evicts when full."""
    counters = {"BACKEND": "nervepain.cache.TolerantRedisCache", "LOCATION": REDIS_URL}
    other_database = {**counters, "LOCATION": "redis://127.0.0.1:6379/12"}
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    redis_policy(monkeypatch, "noeviction", 2**30)

    settings.CACHES = {"default": counters, "counters": counters}
    assert "articles.W001" in deploy_check_warnings()
    settings.CACHES = {"default": other_database, "counters": counters}
    assert "articles.W001" in deploy_check_warnings()

    settings.CACHES = {"default": local, "counters": counters}
    assert deploy_check_warnings() == ""

    redis_policy(monkeypatch, "allkeys-lru", 2**30)
    assert "articles.W002" in deploy_check_warnings()
    redis_policy(monkeypatch, "volatile-ttl", 2**30)  # counters expire: they are volatile too
    assert "articles.W002" in deploy_check_warnings()
    redis_policy(monkeypatch, "allkeys-lru", 0)  # no memory limit: nothing is evicted
    assert deploy_check_warnings() == ""


@needs_redis(REDIS_URL)
def test_counters_on_their_own_redis_count_across_processes(settings):
    """Two clients of the counters' Redis (two web processes) share one login count."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "counters": {"BACKEND": "nervepain.cache.TolerantRedisCache", "LOCATION": REDIS_URL},
    }
    first, second = Client(), Client()
    for browser in (first, second, first, second, first):
        browser.post("/admin/login/", {"username": "admin", "password": "wrong"})
    assert second.post("/admin/login/", {"username": "admin", "password": "x"}).status_code == 429
    assert redis.Redis.from_url(REDIS_URL).keys("*login:fail*")
    redis.Redis.from_url(REDIS_URL).flushdb()
