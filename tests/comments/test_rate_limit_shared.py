"""Rate limits live in the shared cache, so every web process counts the same comments."""

import pytest
import redis
from django.core.cache.backends.redis import RedisCache

from comments import moderation

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis server on 127.0.0.1:6379")
def test_two_processes_sharing_redis_share_the_count(settings, monkeypatch):
    redis.Redis.from_url(REDIS_URL).flushdb()
    # Two independent cache clients stand for two web processes.
    first = RedisCache(REDIS_URL, {"KEY_PREFIX": "ratelimit-test"})
    second = RedisCache(REDIS_URL, {"KEY_PREFIX": "ratelimit-test"})
    settings.COMMENTS_RATE_LIMIT = 3
    results = []
    for cache in (first, second, first, second):
        monkeypatch.setattr(moderation, "cache", cache)
        results.append(moderation.over_rate_limit("192.0.2.1", "ann@example.org"))
    assert results == [False, False, False, True]
    redis.Redis.from_url(REDIS_URL).flushdb()
