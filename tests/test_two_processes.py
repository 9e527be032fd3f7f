"""Two web processes sharing PostgreSQL and Redis behave as one site.

Starts two gunicorn servers on loopback against their own PostgreSQL database and Redis
database. Skipped (with the reason) when either server is not running.
"""

import http.cookiejar
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Overridable so that two checkouts on one machine can run this at the same time.
DB_NAME = os.environ.get("TWO_PROCESSES_DB", "nervepain_two_processes")
PG = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = os.environ.get("TWO_PROCESSES_REDIS_URL", "redis://127.0.0.1:6379/13")
PORTS = tuple(int(p) for p in os.environ.get("TWO_PROCESSES_PORTS", "8301,8302").split(","))
ARTICLE = "/articles/why-does-nerve-pain-get-worse-after-physical-therapy/"


def services_up() -> bool:
    try:
        import psycopg2
        import redis

        psycopg2.connect(f"{PG}/postgres", connect_timeout=1).close()
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


pytestmark = pytest.mark.skipif(
    not services_up(), reason="needs PostgreSQL and Redis on 127.0.0.1 (CI starts them)"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import psycopg2
    import redis

    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "COMMENTS_"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "COMMENTS_MIN_SECONDS": "0",
        "COMMENTS_RATE_LIMIT": "4",
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    manage = [sys.executable, "manage.py"]
    for command in (
        ["collectstatic", "--noinput", "-v0"],
        ["migrate", "--noinput", "-v0"],
        ["load_seed"],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [*manage, "shell", "-c", CREATE_MODERATOR], cwd=ROOT, env=env, check=True, timeout=60
    )
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "nervepain.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", "1", "--access-logfile", "/dev/null"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in PORTS
    ]  # fmt: skip
    try:
        for port in PORTS:
            wait_for(f"http://127.0.0.1:{port}/")
        yield [f"http://127.0.0.1:{port}" for port in PORTS]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        admin.close()
        redis.Redis.from_url(REDIS_URL).flushdb()


CREATE_MODERATOR = """
from django.contrib.auth.models import Group, User
user = User.objects.create_user("mod", "mod@example.org", "a long test password", is_staff=True)
user.groups.add(Group.objects.get(name="Moderators"))
"""


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Browser:
    """Just enough of a browser: cookies, forms, status codes."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect(),
        )

    def get(self, url):
        with self.opener.open(url, timeout=10) as response:
            return response.status, response.read().decode()

    def post(self, url, data):
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode(data, doseq=True).encode()
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def hidden_fields(html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def post_comment(browser, base, text, email="ann@example.org"):
    _, page = browser.get(base + ARTICLE)
    data = {**hidden_fields(page), "name": "Ann", "email": email, "comment": text, "honeypot": ""}
    return browser.post(base + "/comments/post/", data)


def test_approval_through_one_process_shows_through_the_other(site):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # rate-limit counters from the other test
    first, second = site
    reader = Browser()
    # Both processes have the anonymous page cached.
    for base in site:
        Browser().get(base + ARTICLE)
        Browser().get(base + ARTICLE)
    status, _ = post_comment(reader, first, "Shared across processes.")
    assert status == 303

    moderator = Browser()
    _, login = moderator.get(second + "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    status, _ = moderator.post(
        second + "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": "mod", "password": "a long test password"},
    )
    assert status == 302
    _, queue = moderator.get(second + "/admin/comments/comment/")
    comment_id = re.search(r'name="_selected_action" value="(\d+)"', queue).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', queue).group(1)
    status, _ = moderator.post(
        second + "/admin/comments/comment/",
        {"csrfmiddlewaretoken": token, "action": "approve", "_selected_action": comment_id},
    )
    assert status == 302

    _, page = Browser().get(first + ARTICLE)  # an anonymous reader, through the other process
    assert "Shared across processes." in page
    assert f'id="c{comment_id}"' in page


def test_rate_limits_count_across_both_processes(site):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # counters from the other test start again
    first, second = site
    email = "busy@example.org"
    statuses = [
        post_comment(Browser(), base, f"Comment {n}", email=email)[0]
        for n, base in enumerate([first, second, first, second, first])
    ]
    assert statuses == [303, 303, 303, 303, 429]


def test_a_crisis_comment_shows_its_resources_to_its_writer_alone(site):
    """The writer's page shows the crisis resources; no reader of either process ever does,
    and the writer's page never enters the shared cache."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    first, second = site
    for base in site:  # both processes have the anonymous page cached
        Browser().get(base + ARTICLE)
    writer = Browser()
    status, _ = post_comment(writer, first, "Some nights I want to die.", email="w@example.org")
    assert status == 303
    for base in site:
        _, page = writer.get(base + ARTICLE)
        assert 'class="crisis"' in page and "awaiting moderation" in page
    for base in (second, first, second):
        _, page = Browser().get(base + ARTICLE)
        assert 'class="crisis"' not in page and "want to die" not in page


def login_moderator(base):
    moderator = Browser()
    _, login = moderator.get(base + "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    status, _ = moderator.post(
        base + "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": "mod", "password": "a long test password"},
    )
    assert status == 302
    return moderator


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


def seen_by_readers_of(site, text) -> list[bool]:
    return [text in Browser().get(base + ARTICLE)[1] for base in site]


def test_edit_delete_and_reports_show_at_once_through_the_other_process(site):
    """What a reader changes through one process (edit, delete, the third report) shows at
    once to anonymous readers of the other, whose pages were cached."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    first, second = site
    writer = Browser()
    edited = posted_id(writer, first, "Before the edit.", "writer@example.org")
    deleted = posted_id(writer, first, "Soon deleted.", "writer@example.org")
    reported = posted_id(Browser(), second, "Soon reported.", "other@example.org")
    moderator = login_moderator(second)
    for comment_id in (edited, deleted, reported):
        approve(moderator, second, comment_id)
    for text in ("Before the edit.", "Soon deleted.", "Soon reported."):
        assert seen_by_readers_of(site, text) == [True, True]  # and now cached on both

    status, _ = writer.post(f"{first}/comments/{edited}/edit/", {"comment": "After the edit."})
    assert status == 303
    assert seen_by_readers_of(site, "After the edit.") == [True, True]

    status, _ = writer.post(f"{second}/comments/{deleted}/delete/", {})
    assert status == 303
    assert seen_by_readers_of(site, "Soon deleted.") == [False, False]

    for base in (first, second, first):
        status, _ = Browser().post(f"{base}/comments/{reported}/report/", {"reason": "abusive"})
        assert status == 200
    assert seen_by_readers_of(site, "Soon reported.") == [False, False]
