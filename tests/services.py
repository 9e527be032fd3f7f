"""Tests that need a real Redis server skip, saying so, where none runs (CI starts one)."""

import pytest
import redis


def redis_available(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.exceptions.RedisError:
        return False


def needs_redis(url: str):
    return pytest.mark.skipif(not redis_available(url), reason="no Redis server on 127.0.0.1:6379")
