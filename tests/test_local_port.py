"""A local server on another port writes links to itself, not to port 8000.

`make run` listened on 8000 whatever one asked, and with ``DJANGO_SITE_URL`` unset the site's
absolute links (canonical, feeds, sitemap, email) named port 8000 even when the server ran
elsewhere. Now ``make run PORT=8123`` (and ``make serve``, ``make worker``) listen there and the
site URL follows, unless DJANGO_SITE_URL says otherwise.
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parents[1]


def settings_with(monkeypatch, **env):
    """The settings module as a fresh process with this environment would compute it."""
    for name in ("DJANGO_PORT", "DJANGO_SITE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "nervepain" / "settings.py"))


def test_the_site_url_follows_the_port_unless_it_is_set(monkeypatch):
    assert settings_with(monkeypatch, DJANGO_PORT="8123")["SITE_URL"] == "http://127.0.0.1:8123"
    configured = settings_with(
        monkeypatch, DJANGO_PORT="8123", DJANGO_SITE_URL="https://nervepain.example"
    )
    assert configured["SITE_URL"] == "https://nervepain.example"


FULLWIDTH_8080 = "\uff18\uff10\uff18\uff10"


@pytest.mark.parametrize("port", ["80a", "0", "70000", FULLWIDTH_8080])
def test_a_port_that_is_not_one_stops_the_start_saying_so(port):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_DEBUG": "1", "DJANGO_PORT": port},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_PORT must be a port number" in result.stderr


def test_the_canonical_link_names_the_port(monkeypatch, client, settings, db):
    """The page's canonical link, built from the site URL, points at the running server."""
    settings.SITE_URL = settings_with(monkeypatch, DJANGO_PORT="8123")["SITE_URL"]
    article = ArticleFactory()
    page = client.get(article.get_absolute_url()).content.decode()
    assert (
        f'<link rel="canonical" href="http://127.0.0.1:8123{article.get_absolute_url()}">' in page
    )


def make(*args):
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def test_make_run_dry_run_shows_the_port():
    """`make -n run PORT=8123`: the server listens on 8123 and the settings are told so."""
    assert "DJANGO_PORT=8123 .venv/bin/python manage.py runserver 127.0.0.1:8123" in make(
        "-n", "run", "PORT=8123"
    )


@pytest.mark.parametrize("target", ["serve", "worker"])
def test_make_serve_and_worker_pass_the_port_on(target):
    assert "DJANGO_PORT=8123 scripts/serve.sh" in make("-n", target, "PORT=8123")


def test_make_run_starts_the_server_on_the_port_with_matching_settings(tmp_path):
    """`make run PORT=8123` for real, with a stand-in Python that records what it was asked."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "calls"
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "DJANGO_PORT=$DJANGO_PORT $*" >> {log}\n')
    python.chmod(0o755)
    (venv / ".runtime").touch()  # newer than requirements.txt: nothing to install
    make("run", "PORT=8123", f"VENV={venv}")
    assert log.read_text().splitlines()[-1] == (
        "DJANGO_PORT=8123 manage.py runserver 127.0.0.1:8123"
    )


def test_gunicorn_listens_on_the_port(monkeypatch):
    """`make serve PORT=8123`: gunicorn binds there unless GUNICORN_BIND says otherwise."""
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.setenv("DJANGO_PORT", "8123")
    conf = ROOT / "nervepain" / "gunicorn_conf.py"
    assert runpy.run_path(str(conf))["bind"] == "127.0.0.1:8123"
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9000")
    assert runpy.run_path(str(conf))["bind"] == "127.0.0.1:9000"


def test_make_serve_environment_leaves_the_site_url_to_the_port(tmp_path):
    """scripts/serve-env.sh no longer pins the site URL to port 8000."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [
            "bash",
            "-c",
            '. scripts/serve-env.sh && exec "$0" -c "$1"',
            sys.executable,
            "from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "nervepain.settings",
            "DJANGO_PORT": "8123",
            "DJANGO_SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8123", result.stderr
