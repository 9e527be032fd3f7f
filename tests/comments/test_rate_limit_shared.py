"""Rate limits live in the shared cache, so every web process counts the same comments."""

from contextlib import contextmanager

import redis
from django.core.cache import caches

from comments import moderation
from nervepain.cache import TolerantRedisCache
from tests.services import needs_redis

REDIS_URL = "redis://127.0.0.1:6379/15"


@contextmanager
def counters_cache(cache):
    """The "counters" cache is ``cache`` for a while; then the one the settings name again."""
    caches["counters"] = cache
    try:
        yield
    finally:
        del caches["counters"]


@needs_redis(REDIS_URL)
def test_two_processes_sharing_redis_share_the_count(settings):
    redis.Redis.from_url(REDIS_URL).flushdb()
    # Two independent cache clients stand for two web processes.
    first = TolerantRedisCache(REDIS_URL, {"KEY_PREFIX": "ratelimit-test"})
    second = TolerantRedisCache(REDIS_URL, {"KEY_PREFIX": "ratelimit-test"})
    settings.COMMENTS_RATE_LIMIT = 3
    results = []
    for cache in (first, second, first, second):
        with counters_cache(cache):
            results.append(moderation.over_rate_limit("192.0.2.1", "ann@example.org"))
    assert results == [False, False, False, True]
    redis.Redis.from_url(REDIS_URL).flushdb()


@needs_redis(REDIS_URL)
def test_a_window_starts_at_the_first_comment_and_is_not_extended(settings):
    """One round trip counts both keys; the window's expiry is set by the first count only."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    settings.COMMENTS_RATE_WINDOW = 600
    with counters_cache(TolerantRedisCache(REDIS_URL, {"KEY_PREFIX": "w"})):
        moderation.over_rate_limit("192.0.2.1", "ann@example.org")
        [key] = client.keys("w:*:comments:rate:ip:192.0.2.1")
        client.expire(key, 100)  # as if 500 of the 600 seconds had gone by
        moderation.over_rate_limit("192.0.2.1", "ann@example.org")
    assert int(client.get(key)) == 2
    assert 90 < client.ttl(key) <= 100
    [email_key] = client.keys("w:*:comments:rate:email:ann@example.org")
    assert 590 < client.ttl(email_key) <= 600
    client.flushdb()
