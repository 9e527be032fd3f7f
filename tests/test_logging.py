"""Logs: one key=value line per event on stdout, errors carrying the request id."""

import contextlib
import io
import logging
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import path

from nervepain.middleware import RequestIdLogFilter
from tests.webnodes import free_ports, wait_for

ROOT = Path(__file__).resolve().parents[1]


def boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", boom)]


@pytest.fixture
def log_output():
    """The project's own formatter and filter, writing to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdLogFilter())
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["keyvalue"]["format"]))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.urls("tests.test_logging")
def test_errors_are_logged_with_the_request_id(client, log_output):
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 500
    line = log_output.getvalue().splitlines()[0]
    assert "level=ERROR" in line
    assert "logger=django.request" in line
    assert "request_id=req-42" in line
    assert "kaboom" in log_output.getvalue()


@pytest.mark.django_db
def test_every_response_names_its_request_id(client):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    assert first and second and first != second
    assert client.get("/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    # An id that could forge log fields is replaced.
    assert client.get("/", HTTP_X_REQUEST_ID="x level=ERROR")["X-Request-ID"] != "x level=ERROR"


@pytest.mark.django_db
def test_a_not_found_page_is_logged_with_its_request_id(client, log_output):
    """Django 5.2 logs 4xx responses after the middleware has returned: the line still names
    the request, as the access log's line for it does."""
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")
    assert response.status_code == 404
    line = log_output.getvalue().splitlines()[0]
    assert "level=WARNING" in line and "Not Found: /no-such-page/" in line
    assert "request_id=req-404" in line


def clean_env(tmp_path, **extra):
    ours = ("DJANGO_", "DATABASE_URL", "FORWARDED_ALLOW_IPS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **extra}


def test_in_debug_mode_each_django_event_is_one_line(tmp_path):
    """`make run` printed every django.* event twice: Django's own console handler (stderr),
    then ours (stdout)."""
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "import logging; logging.getLogger('django.request').warning('Not Found: /x/')",
        ],
        cwd=ROOT,
        env=clean_env(tmp_path, DJANGO_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = done.stdout + done.stderr
    assert output.count("Not Found: /x/") == 1, output
    assert "level=WARNING logger=django.request" in done.stdout


@contextlib.contextmanager
def gunicorn_server(tmp_path, **env):
    """One gunicorn worker with the production configuration file (debug on, so no collected
    static files are needed), and any more environment given: yields its address; its log is
    in ``tmp_path / "gunicorn.log"`` once the block ends."""
    (port,) = free_ports(1)
    with (tmp_path / "gunicorn.log").open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "nervepain.wsgi",
                "-c",
                "nervepain/gunicorn_conf.py",
            ],
            cwd=ROOT,
            env=clean_env(
                tmp_path,
                DJANGO_DEBUG="1",
                GUNICORN_BIND=f"127.0.0.1:{port}",
                WEB_CONCURRENCY="1",
                **env,
            ),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/robots.txt")
            yield base
            time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=20)


def test_gunicorn_logs_no_warning_for_a_head_request(tmp_path):
    """Django answers HEAD with the GET's body for the server to drop; gunicorn drops it and
    logged a warning for each one (a monitor's HEAD every minute, a warning every minute)."""
    with gunicorn_server(tmp_path) as base:
        request = urllib.request.Request(base + "/robots.txt", method="HEAD")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    output = (tmp_path / "gunicorn.log").read_text()
    assert 'method=HEAD path="/robots.txt" status=200' in output  # the access log has it
    assert "no-body response" not in output, output


def test_gunicorn_logs_the_bytes_of_a_static_file(tmp_path):
    """Files (whitenoise's static files, uploaded images) were sent by sendfile(), which
    gunicorn does not count: the access log said bytes=0 for every one of them."""
    with gunicorn_server(tmp_path) as base:
        response = urllib.request.urlopen(base + "/static/css/site.css", timeout=10)
        with response:
            assert response.status == 200
            size = len(response.read())
    output = (tmp_path / "gunicorn.log").read_text()
    assert size > 1000
    assert f'path="/static/css/site.css" status=200 bytes={size} ' in output, output


@pytest.mark.parametrize(
    ("allowed", "logged"),
    [
        (None, "198.51.100.7"),  # the default: a proxy on this machine (Varnish, make serve-front)
        ("10.0.0.5,192.0.2.0/24", "127.0.0.1"),  # not one of ours: its header is not believed
    ],
)
def test_gunicorn_logs_the_client_behind_a_trusted_proxy(tmp_path, allowed, logged):
    """remote= was the proxy's address (Varnish's, 127.0.0.1) for every request: abuse could
    not be traced to a reader. It is now the entry our proxy appended to X-Forwarded-For, only
    on a request from an address in FORWARDED_ALLOW_IPS; the made-up entry before it is never
    taken, and Django reads the same address (nervepain/client_address.py)."""
    env = {"DJANGO_TRUSTED_PROXIES": "1"}
    if allowed is not None:
        env["FORWARDED_ALLOW_IPS"] = allowed
    with gunicorn_server(tmp_path, **env) as base:
        request = urllib.request.Request(
            base + "/robots.txt", headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    output = (tmp_path / "gunicorn.log").read_text()
    assert f'access remote={logged} method=GET path="/robots.txt" status=200' in output, output
