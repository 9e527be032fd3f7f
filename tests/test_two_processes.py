"""Two web processes sharing PostgreSQL and Redis behave as one site, reached directly or
through Varnish balancing between them (round robin) as the front cache.

Starts two gunicorn servers on loopback against their own PostgreSQL database and Redis
database, and Varnish in front of both (tests/webnodes.py). Skipped (with the reason) when
either server is not running, or, for the runs through Varnish, when varnishd is missing.
"""

import pytest

from tests.webnodes import (
    ARTICLE,
    VARNISHD,
    Browser,
    approve_first_pending,
    eventually,
    log_in_moderator,
    post_comment,
    running_site,
    services_up,
)

DB_NAME = "nervepain_two_processes"
REDIS_URL = "redis://127.0.0.1:6379/8"

pytestmark = pytest.mark.skipif(
    not services_up(REDIS_URL), reason="needs PostgreSQL and Redis on 127.0.0.1 (CI starts them)"
)
ROUTES = [
    "direct",
    pytest.param(
        "through Varnish",
        marks=pytest.mark.skipif(
            VARNISHD is None, reason="needs varnishd (Debian package varnish; .ci/run installs it)"
        ),
    ),
]


@pytest.fixture(scope="module")
def site():
    with running_site(DB_NAME, REDIS_URL, nodes=2, front=VARNISHD is not None) as site:
        yield site


def bases(site, route):
    """Where the first and the second request go: each node in turn, or Varnish both times
    (its round-robin director then sends them to the nodes in turn)."""
    return site.nodes if route == "direct" else [site.front, site.front]


@pytest.mark.parametrize("route", ROUTES)
def test_approval_through_one_process_shows_through_the_other(site, route):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # rate-limit counters from the other test
    first, second = bases(site, route)
    reader = Browser()
    # Every cache has the anonymous page.
    for base in {*site.nodes, first, second}:
        Browser().get(base + ARTICLE)
        Browser().get(base + ARTICLE)
    text = f"Shared across processes, {route}."
    status, _ = post_comment(reader, first, text)
    assert status == 303

    comment_id = approve_first_pending(log_in_moderator(second), second)

    def shown():  # to an anonymous reader, through the other process or the front cache
        _, page = Browser().get(first + ARTICLE)
        return text in page and f'id="c{comment_id}"' in page

    assert eventually(shown, within=0 if route == "direct" else 1.0) is not None


@pytest.mark.parametrize("route", ROUTES)
def test_rate_limits_count_across_both_processes(site, route):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # counters from the other test start again
    first, second = bases(site, route)
    email = "busy@example.org"
    statuses = [
        post_comment(Browser(), base, f"Comment {n}, {route}", email=email)[0]
        for n, base in enumerate([first, second, first, second, first])
    ]
    assert statuses == [303, 303, 303, 303, 429]
