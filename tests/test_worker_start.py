"""The worker waits for the database schema instead of dying, and mails links the site accepts.

`make serve` and `make worker` started together on a fresh checkout: the worker used to query its
tasks table before the web server's migrate had made it, and die; and the two processes made
different secret keys, so the confirmation link the worker mailed failed on the site. The
end-to-end test runs the real scripts against their own PostgreSQL database and Redis db (12),
and is skipped, saying so, when either server is not running.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.services import redis_available

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "nervepain_worker_start"
REDIS_URL = "redis://127.0.0.1:6379/12"
BIND = "127.0.0.1:8361"
ARTICLE = "/articles/why-does-nerve-pain-get-worse-after-physical-therapy/"


def clean_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "COMMENTS_", "DATABASE_URL", "REDIS_URL"))
    }
    return {**env, **extra}


def test_wait_for_schema_says_it_waits_and_gives_up_with_what_to_do(tmp_path):
    """On an unmigrated database it logs why it waits, then stops at its bound with the fix."""
    result = subprocess.run(
        [sys.executable, "manage.py", "wait_for_schema", "--timeout", "1.5", "--interval", "0.2"],
        cwd=ROOT,
        env=clean_env(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    # One line per reason, not one per check.
    assert result.stdout.count("waiting for the database schema") == 1
    assert "migrations not applied yet" in result.stdout
    assert "not ready after 1.5 s" in result.stderr
    assert "Run `manage.py migrate`" in result.stderr


def test_wait_for_schema_returns_once_the_database_is_migrated(tmp_path):
    """Migrated while it waits: it notices, says so and exits 0, so the worker starts."""
    env = clean_env(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    waiting = subprocess.Popen(
        [sys.executable, "manage.py", "wait_for_schema", "--timeout", "120", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
        )
        output, _ = waiting.communicate(timeout=60)
    finally:
        waiting.kill()
    assert waiting.returncode == 0, output
    # One line while migrate works through the migrations, not one per check.
    assert output.count("waiting for the database schema") == 1, output
    assert "database schema ready after" in output


def services_up() -> bool:
    try:
        import psycopg2

        psycopg2.connect(f"{PG}/postgres", connect_timeout=1).close()
    except Exception:
        return False
    return redis_available(REDIS_URL)


@pytest.fixture
def fresh_database():
    import psycopg2
    import redis

    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    redis.Redis.from_url(REDIS_URL).flushdb()
    yield f"{PG}/{DB_NAME}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    admin.close()
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.mark.skipif(not services_up(), reason="needs PostgreSQL and Redis on 127.0.0.1")
def test_worker_started_with_the_server_waits_then_mails_a_link_the_site_accepts(
    tmp_path, fresh_database
):
    """`make worker` and `make serve` at once, on no database and no key: both work, as one."""
    env = clean_env(
        DATABASE_URL=fresh_database,
        REDIS_URL=REDIS_URL,
        DJANGO_SECRET_KEY_FILE=str(tmp_path / "venv" / "secret_key"),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SITE_URL=f"http://{BIND}",
        GUNICORN_BIND=BIND,
        WEB_CONCURRENCY="1",
        COMMENTS_MIN_SECONDS="0",
    )
    worker_log = (tmp_path / "worker.log").open("w+")
    web_log = (tmp_path / "web.log").open("w+")
    worker = subprocess.Popen(
        ["scripts/serve.sh", "worker"], cwd=ROOT, env=env, stdout=worker_log, stderr=worker_log
    )
    web = subprocess.Popen(
        ["scripts/serve.sh", "web"], cwd=ROOT, env=env, stdout=web_log, stderr=web_log
    )
    try:
        wait_for(f"http://{BIND}/", [web, worker], timeout=180)
        assert worker.poll() is None, read(worker_log)
        assert "waiting for the database schema" in read(worker_log)

        browser = Browser()
        status = post_comment(browser, f"http://{BIND}", "Does this get easier?")
        assert status == 303

        link = wait_for_link(worker_log, worker)
        assert link.startswith(f"http://{BIND}/comments/confirm/")
        status, page = browser.get(link)
        assert status == 200, page
        assert "Confirm" in page
    finally:
        for process in (web, worker):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def read(log):
    log.flush()
    return Path(log.name).read_text()


def wait_for(url, processes, timeout):
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:  # refused, reset or timed out: not serving yet
            for process in processes:
                assert process.poll() is None, f"{process.args} exited with {process.returncode}"
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def wait_for_link(log, worker, timeout=60):
    """The confirmation link in the email the worker wrote to its console."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"http://\S+/comments/confirm/\S+/", read(log))
        if found:
            return found.group(0)
        assert worker.poll() is None, read(log)
        time.sleep(0.5)
    raise AssertionError("the worker sent no confirmation email:\n" + read(log))


class Browser:
    """Cookies, forms and status codes, without following redirects."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def get(self, url):
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url, data):
        request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode())
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_comment(browser, base, text):
    _, page = browser.get(base + ARTICLE)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    data = {
        **hidden,
        "name": "Ann",
        "email": "ann@example.org",
        "comment": text,
        "followup": "on",
        "honeypot": "",
    }
    return browser.post(base + "/comments/post/", data)
