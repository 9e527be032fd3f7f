"""`make worker` and `make serve-front` (scripts/serve.sh, scripts/serve-front.sh) as an operator
runs them: the workers they start, and how they stop.

`make worker` used to start a purge worker even where no front cache was configured: beside
`make serve-front` it took the purges the web process queued, logged "front cache purged" and
sent nothing, so Varnish kept the stale page for hours. `make serve-front` started no email
worker, so a held comment's email waited for a `make worker` that would then drop purges.
A SIGTERM to `make worker` (a process manager, `kill`) went unanswered while its email worker
ran, and a purge worker that died left it running on half its work.

The worker tests run on SQLite; the serve-front one needs PostgreSQL, Redis and varnishd, and
is skipped, saying so, without them.
"""

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.webnodes import (
    CREATE_MODERATOR,
    PG,
    VARNISHD,
    Browser,
    free_ports,
    post_comment,
    services_up,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/13"


def script_env(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "COMMENTS_", "DATABASE_URL", "REDIS_"))
    }
    return {
        **env,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        # Nothing listens there: the cache is tolerant, every read a miss.
        "REDIS_URL": "redis://127.0.0.1:1/0",
        **extra,
    }


def manage(env, *args):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "0", "DJANGO_TASKS_BACKEND": "database"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite database, copied for each test."""
    path = tmp_path_factory.mktemp("db") / "db.sqlite3"
    manage(script_env(path.parent, DATABASE_URL=f"sqlite:///{path}"), "migrate", "-v0")
    return path


@pytest.fixture
def worker_env(tmp_path, migrated):
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    return script_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")


class Script:
    """A script in a session of its own (as under a terminal or a process manager), its output
    collected as it comes."""

    def __init__(self, args, env):
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            # A terminal's Ctrl-C reaches the script: SIGINT not ignored, whatever ran pytest.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.output = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.output += line

    def wait_for_output(self, text, count=1, timeout=90):
        deadline = time.monotonic() + timeout
        while self.output.count(text) < count:
            assert self.process.poll() is None, self.output
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.output}"
            time.sleep(0.1)

    def processes(self) -> list[str]:
        found = subprocess.run(
            ["ps", "-o", "pid=,args=", "-s", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        return found.splitlines()

    def exit_status(self, timeout=20):
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        with contextlib.suppress(ProcessLookupError):  # anything left in its session
            os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture
def scripts():
    started = []
    yield lambda *args, env: started.append(Script(list(args), env)) or started[-1]
    for script in started:
        script.stop()


QUEUED_PURGE = "from articles.frontcache import purge; purge.enqueue(['home'])"
TASK_STATUS = (
    "from django_tasks_db.models import DBTaskResult; print(DBTaskResult.objects.get().status)"
)


def test_worker_without_a_front_cache_leaves_purges_alone_and_stops_on_sigterm(scripts, worker_env):
    manage(worker_env, "shell", "-c", QUEUED_PURGE)
    worker = scripts("scripts/serve.sh", "worker", env=worker_env)
    worker.wait_for_output("Starting worker")
    time.sleep(2)  # a purge worker polls every 0.1 s
    assert "queues=frontcache" not in worker.output
    assert "no front cache configured" in worker.output
    assert manage(worker_env, "shell", "-c", TASK_STATUS).split()[-1] == "READY"

    worker.process.terminate()  # to the script alone, as a process manager or `kill` does
    assert worker.exit_status() == 0, worker.output
    assert worker.processes() == []


def test_worker_with_a_front_cache_stops_whole_when_its_purge_worker_dies(scripts, worker_env):
    env = {**worker_env, "DJANGO_FRONT_CACHE_VARNISH": "http://127.0.0.1:1"}
    worker = scripts("scripts/serve.sh", "worker", env=env)
    worker.wait_for_output("Starting worker", count=2)
    assert "queues=frontcache" in worker.output and "queues=default" in worker.output
    purger = next(line for line in worker.processes() if "frontcache" in line)
    os.kill(int(purger.split()[0]), signal.SIGKILL)

    status = worker.exit_status()
    assert status not in (None, 0), worker.output
    assert worker.processes() == []


def test_ctrl_c_stops_the_workers_gracefully_and_exits_0(scripts, worker_env):
    env = {**worker_env, "DJANGO_FRONT_CACHE_VARNISH": "http://127.0.0.1:1"}
    worker = scripts("scripts/serve.sh", "worker", env=env)
    worker.wait_for_output("Starting worker", count=2)
    os.killpg(worker.process.pid, signal.SIGINT)  # Ctrl-C: the terminal's whole group

    assert worker.exit_status() == 0, worker.output
    assert worker.output.count("shutting down gracefully") == 2, worker.output
    # One signal each: a second one makes a worker drop the task it is running.
    assert "terminating current task" not in worker.output
    assert worker.processes() == []


@pytest.mark.skipif(
    VARNISHD is None or not services_up(REDIS_URL),
    reason="needs varnishd (Debian package varnish; .ci/run installs it), PostgreSQL and Redis",
)
def test_serve_front_sends_email_and_purges_on_its_own_and_stops_on_ctrl_c(tmp_path, scripts):
    import psycopg2
    import redis

    db_name = f"nervepain_serve_front_{os.getpid()}"
    front_port, web_port = free_ports(2)
    front = f"http://127.0.0.1:{front_port}"
    env = script_env(
        tmp_path,
        DATABASE_URL=f"{PG}/{db_name}",
        REDIS_URL=REDIS_URL,
        FRONT_BIND=f"127.0.0.1:{front_port}",
        GUNICORN_BIND=f"127.0.0.1:{web_port}",
        WEB_CONCURRENCY="1",
        COMMENTS_MIN_SECONDS="0",
    )
    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    # Counters a run stopped before its clean-up left (the rate limit's among them) would
    # refuse this run's post with 429.
    redis.Redis.from_url(REDIS_URL).flushdb()
    try:
        site = scripts("scripts/serve-front.sh", env=env)
        site.wait_for_output("serve-front: Varnish on", timeout=180)
        wait_for(front + "/")
        manage({**env, "DJANGO_FRONT_CACHE_VARNISH": front}, "shell", "-c", CREATE_MODERATOR)

        assert post_comment(Browser(), front, "Is swimming easier on the nerves?")[0] == 303
        # A first comment is held, and its moderators' email goes out with no `make worker`.
        # (a body's line: the subject, which names the article, may be MIME-encoded)
        site.wait_for_output("Comments waiting now: ", timeout=30)

        os.killpg(site.process.pid, signal.SIGINT)
        assert site.exit_status() == 0, site.output
        assert site.processes() == []
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()
        redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.mark.skipif(not services_up(REDIS_URL), reason="needs PostgreSQL and Redis")
def test_serve_started_again_with_another_site_address_serves_no_page_cached_before(
    tmp_path, scripts
):
    """`make serve` started again with a new release or configuration (here
    `DJANGO_SITE_URL`): pages the previous run left in Redis named the old address (canonical
    link, feeds) for up to `DJANGO_PAGE_CACHE_SECONDS`, and a front cache then kept them for
    hours. Started again unchanged, it keeps them."""
    import psycopg2
    import redis

    db_name = f"nervepain_serve_again_{os.getpid()}"
    (port,) = free_ports(1)
    base = f"http://127.0.0.1:{port}"
    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    pages = []
    try:
        for site_url in (
            "http://old.example.org",
            "http://new.example.org",
            "http://new.example.org",
        ):
            env = script_env(
                tmp_path,
                DATABASE_URL=f"{PG}/{db_name}",
                REDIS_URL=REDIS_URL,
                DJANGO_PORT=str(port),
                DJANGO_SITE_URL=site_url,
                WEB_CONCURRENCY="1",
            )
            site = scripts("scripts/serve.sh", env=env)
            site.wait_for_output("Booting worker", timeout=180)
            wait_for(base + "/robots.txt")
            with urllib.request.urlopen(base + "/", timeout=10) as response:
                pages.append((response.headers["X-Page-Cache"], response.read().decode()))
            with urllib.request.urlopen(base + "/", timeout=10) as response:
                pages.append((response.headers["X-Page-Cache"], response.read().decode()))
            os.killpg(site.process.pid, signal.SIGTERM)
            assert site.exit_status() == 0, site.output
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()
        redis.Redis.from_url(REDIS_URL).flushdb()
    old, new = '"http://old.example.org/"', '"http://new.example.org/"'
    assert [(state, old in html, new in html) for state, html in pages] == [
        ("miss", True, False),
        ("hit", True, False),
        ("miss", False, True),  # the old address's page: no longer served
        ("hit", False, True),
        ("hit", False, True),  # started again unchanged: the cache is kept
        ("hit", False, True),
    ]
