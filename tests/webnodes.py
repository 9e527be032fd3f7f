"""A site of several web nodes on this machine, for tests: gunicorn servers sharing one
PostgreSQL database and one Redis database, optionally with Varnish (deploy/varnish/default.vcl)
in front balancing between them and a worker sending its purges. Tests skip, saying why, when
PostgreSQL, Redis or varnishd is not there (CI starts the servers and installs Varnish)."""

import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432"
ARTICLE = "/articles/why-does-nerve-pain-get-worse-after-physical-therapy/"
VARNISHD = shutil.which("varnishd") or (
    "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
)

CREATE_MODERATOR = """
from django.contrib.auth.models import Group, User
user = User.objects.create_user("mod", "mod@example.org", "a long test password", is_staff=True)
user.groups.add(Group.objects.get(name="Moderators"))
"""


def services_up(redis_url: str) -> bool:
    try:
        import psycopg2
        import redis

        psycopg2.connect(f"{PG}/postgres", connect_timeout=1).close()
        return redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except Exception:
        return False


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now: several copies of the suite may run on one machine."""
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:  # refused, or not answering yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Site:
    """The running site: ``nodes`` (each gunicorn's address), ``front`` (Varnish's, or None),
    and ``manage()`` to change data as a web node would (through the models, in its own process)."""

    def __init__(self, nodes, front, env):
        self.nodes = nodes
        self.front = front
        self.env = env

    def manage(self, code: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT, env=self.env, check=True, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        return done.stdout


@contextmanager
def running_site(db_name, redis_url, nodes=2, front=True, extra_env=None):
    """Start ``nodes`` web nodes (and Varnish in front), yield a ``Site``, stop them all.

    Free ports and a database named after this process: other copies of the suite may be
    running the same test on this machine."""
    import psycopg2
    import redis

    db_name = f"{db_name}_{os.getpid()}"
    *ports, front_port = free_ports(nodes + 1)
    front_port = front_port if front else None

    admin = psycopg2.connect(f"{PG}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{db_name}"')
    redis.Redis.from_url(redis_url).flushdb()
    workdir = Path(tempfile.mkdtemp(prefix="nervepain-nodes-"))
    workdir.chmod(0o755)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "COMMENTS_"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"{PG}/{db_name}",
        "REDIS_URL": redis_url,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "COMMENTS_MIN_SECONDS": "0",
        "COMMENTS_RATE_LIMIT": "4",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_TASKS_BACKEND": "database",
        **(extra_env or {}),
    }
    if front_port:
        env["DJANGO_FRONT_CACHE_VARNISH"] = f"http://127.0.0.1:{front_port}"
        env["DJANGO_TRUSTED_PROXIES"] = "1"
    manage = [sys.executable, "manage.py"]
    for command in (
        ["collectstatic", "--noinput", "-v0"],
        ["migrate", "--noinput", "-v0"],
        ["load_seed"],
        ["shell", "-c", CREATE_MODERATOR],
    ):
        done = subprocess.run(manage + command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "nervepain.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", "1", "--access-logfile", "/dev/null"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]  # fmt: skip
    front = None
    try:
        if front_port:
            processes.append(
                subprocess.Popen(
                    [*manage, "db_worker", "--queue-name", "frontcache", "--interval", "0.1",
                     "--no-reload", "--no-startup-delay"],
                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
            backends = subprocess.run(
                [str(ROOT / "scripts/varnish-backends.sh"), *(f"127.0.0.1:{p}" for p in ports)],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            (workdir / "backends.vcl").write_text(backends)
            processes.append(
                subprocess.Popen(
                    [VARNISHD, "-F", "-a", f"127.0.0.1:{front_port}",
                     "-n", str(workdir / "varnish"), "-s", "malloc,64m",
                     "-f", str(ROOT / "deploy/varnish/default.vcl"),
                     "-p", f"vcl_path={workdir}:{ROOT / 'deploy/varnish'}"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
            front = f"http://127.0.0.1:{front_port}"
        for port in ports:
            wait_for(f"http://127.0.0.1:{port}/")
        if front:
            wait_for(front + "/")
        yield Site([f"http://127.0.0.1:{port}" for port in ports], front, env)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()
        redis.Redis.from_url(redis_url).flushdb()
        shutil.rmtree(workdir, ignore_errors=True)


class Browser:
    """Just enough of a browser: cookies, forms, status codes, and the comment form's script
    (which fetches a form token when the page came without one, from a front cache)."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect(),
        )

    def get(self, url):
        with self.opener.open(url, timeout=10) as response:
            return response.status, response.read().decode()

    def head(self, url):
        with self.opener.open(url, timeout=10) as response:
            response.read()
            return dict(response.headers)

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
    browser.get(base + "/comments/token/")  # as the form's script does on first focus
    data = {**hidden_fields(page), "name": "Ann", "email": email, "comment": text, "honeypot": ""}
    return browser.post(base + "/comments/post/", data)


def log_in_moderator(base):
    moderator = Browser()
    _, login = moderator.get(base + "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    status, _ = moderator.post(
        base + "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": "mod", "password": "a long test password"},
    )
    assert status == 302
    return moderator


def approve_first_pending(moderator, base, text="") -> str:
    """Approve the first pending comment in the moderation queue (with ``text``, the first
    found by searching for it: urgent comments lead the queue); return its id."""
    query = "?" + urllib.parse.urlencode({"q": text}) if text else ""
    _, queue = moderator.get(base + "/admin/comments/comment/" + query)
    comment_id = re.search(r'name="_selected_action" value="(\d+)"', queue).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', queue).group(1)
    status, _ = moderator.post(
        base + "/admin/comments/comment/",
        {"csrfmiddlewaretoken": token, "action": "approve", "_selected_action": comment_id},
    )
    assert status == 302
    return comment_id


def eventually(check, within=1.0):
    """Poll ``check`` until it is true or ``within`` seconds passed; return the seconds taken
    (or None if it never became true)."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > within:
            return None
        time.sleep(0.02)
