"""Rate limits live in the shared cache, so every web process counts the same comments."""

import redis
from django.core.cache.backends.redis import RedisCache

from comments import moderation
from tests.services import needs_redis

REDIS_URL = "redis://127.0.0.1:6379/15"


@needs_redis(REDIS_URL)
def test_two_processes_sharing_redis_share_the_count(settings, monkeypatch):
    redis.Redis.from_url(REDIS_URL).flushdb()
    # Two independent cache clients stand for two web processes.
    first = RedisCache(REDIS_URL, {"KEY_PREFIX": "ratelimit-test"})
    second = RedisCache(REDIS_URL, {"KEY_PREFIX": "ratelimit-test"})
    settings.COMMENTS_RATE_LIMIT = 3
    results = []
    for cache in (first, second, first, second):
        monkeypatch.setattr(moderation, "counters", cache)
        results.append(moderation.over_rate_limit("192.0.2.1", "ann@example.org"))
    assert results == [False, False, False, True]
    redis.Redis.from_url(REDIS_URL).flushdb()
