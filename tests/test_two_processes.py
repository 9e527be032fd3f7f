"""Two web processes sharing PostgreSQL and Redis behave as one site, reached directly or
through Varnish balancing between them (round robin) as the front cache.

Starts two gunicorn servers on loopback against their own PostgreSQL database and Redis
database, and Varnish in front of both (tests/webnodes.py). Skipped (with the reason) when
either server is not running, or, for the runs through Varnish, when varnishd is missing.
"""

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.webnodes import (
    ARTICLE,
    VARNISHD,
    Browser,
    approve_first_pending,
    eventually,
    hidden_fields,
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

    comment_id = approve_first_pending(log_in_moderator(second), second, text)

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


def test_a_crisis_comment_shows_its_resources_to_its_writer_alone(site):
    """The writer's page shows the crisis resources; no reader of either process ever does,
    and the writer's page never enters the shared cache."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    first, second = site.nodes
    for base in site.nodes:  # both processes have the anonymous page cached
        Browser().get(base + ARTICLE)
    writer = Browser()
    status, _ = post_comment(writer, first, "Some nights I want to die.", email="w@example.org")
    assert status == 303
    for base in site.nodes:
        _, page = writer.get(base + ARTICLE)
        assert 'class="crisis"' in page and "awaiting moderation" in page
    for base in (second, first, second):
        _, page = Browser().get(base + ARTICLE)
        assert 'class="crisis"' not in page and "want to die" not in page


def approve(moderator, base, comment_id):
    _, queue = moderator.get(base + "/admin/comments/comment/?state=all")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', queue).group(1)
    status, _ = moderator.post(
        base + "/admin/comments/comment/?state=all",
        {"csrfmiddlewaretoken": token, "action": "approve", "_selected_action": comment_id},
    )
    assert status == 302


def posted_id(browser, base, text, email):
    """Post through ``base``; the new comment's id (from the address the writer lands on)."""
    _, page = browser.get(base + ARTICLE)
    browser.get(base + "/comments/token/")
    data = {**hidden_fields(page), "name": "Ann", "email": email, "comment": text, "honeypot": ""}
    request = urllib.request.Request(
        base + "/comments/post/", data=urllib.parse.urlencode(data).encode()
    )
    try:
        browser.opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 303
        return error.headers["Location"].rsplit("#c", 1)[1]
    raise AssertionError("no redirect after posting")


def seen_by_readers_of(bases, text) -> list[bool]:
    return [text in Browser().get(base + ARTICLE)[1] for base in bases]


def test_edit_delete_and_reports_show_at_once_through_the_other_process(site):
    """What a reader changes through one process (edit, delete, the third report) shows at
    once to anonymous readers of the other, whose pages were cached."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    first, second = site.nodes
    writer = Browser()
    edited = posted_id(writer, first, "Before the edit.", "writer@example.org")
    deleted = posted_id(writer, first, "Soon deleted.", "writer@example.org")
    reported = posted_id(Browser(), second, "Soon reported.", "other@example.org")
    moderator = log_in_moderator(second)
    for comment_id in (edited, deleted, reported):
        approve(moderator, second, comment_id)
    for text in ("Before the edit.", "Soon deleted.", "Soon reported."):
        assert seen_by_readers_of(site.nodes, text) == [True, True]  # and now cached on both

    status, _ = writer.post(f"{first}/comments/{edited}/edit/", {"comment": "After the edit."})
    assert status == 303
    assert seen_by_readers_of(site.nodes, "After the edit.") == [True, True]

    status, _ = writer.post(f"{second}/comments/{deleted}/delete/", {})
    assert status == 303
    assert seen_by_readers_of(site.nodes, "Soon deleted.") == [False, False]

    for base in (first, second, first):
        status, _ = Browser().post(f"{base}/comments/{reported}/report/", {"reason": "abusive"})
        assert status == 303  # to the thanks, a page of its own
    assert seen_by_readers_of(site.nodes, "Soon reported.") == [False, False]
