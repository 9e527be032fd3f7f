"""Production settings: refuse an insecure start, and pass Django's deployment checks."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "key",
    [None, "", "short", "django-insecure-" + "x" * 60, "a" * 60],
)
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = {"DJANGO_DEBUG": "0"}
    if key is not None:
        env["DJANGO_SECRET_KEY"] = key
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_mode_starts_without_a_key():
    assert run_manage("check", DJANGO_DEBUG="1").returncode == 0


def test_a_proxy_that_is_no_address_stops_the_start():
    """A host name in FORWARDED_ALLOW_IPS made every request a 500 (gunicorn refuses it too)."""
    result = run_manage("check", DJANGO_DEBUG="1", FORWARDED_ALLOW_IPS="10.0.0.5,varnish.internal")
    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS: 'varnish.internal' is no address" in result.stderr
    assert (
        run_manage("check", DJANGO_DEBUG="1", FORWARDED_ALLOW_IPS="10.0.0.0/24,::1").returncode == 0
    )


def test_a_network_with_host_bits_stops_the_start_as_gunicorn_does():
    """Django read "10.0.0.5/24" as 10.0.0.0/24 and trusted 256 addresses; gunicorn refuses the
    value at start, so the two would never agree on who the reader is."""
    result = run_manage("check", DJANGO_DEBUG="1", FORWARDED_ALLOW_IPS="10.0.0.5/24")
    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS: '10.0.0.5/24' is no address" in result.stderr
    assert "has host bits set" in result.stderr


# A value for each variable docs/deploying.md names as the least a production configuration
# needs. The caches point at two Redis servers, as the docs ask; whether they answer only changes
# an Info line (the counters' policy could not be read), never a warning.
PRODUCTION_VALUES = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "nervepain.example",
    "DJANGO_SITE_URL": "https://nervepain.example",
    "DATABASE_URL": "postgres://nervepain@db.nervepain.invalid:5432/nervepain",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "REDIS_COUNTERS_URL": "redis://127.0.0.1:6399/0",
}


def documented_production_variables() -> list[str]:
    """The variables of the sentence "A production configuration needs at least ..."."""
    text = (ROOT / "docs" / "deploying.md").read_text()
    sentence = re.search(r"A production configuration needs at least (.+?);", text, re.DOTALL)
    assert sentence, "docs/deploying.md no longer says what production needs at least"
    return [name.split("=")[0] for name in re.findall(r"`([A-Z][A-Z0-9_]*(?:=\w+)?)`", sentence[1])]


def test_deploy_check_passes_with_the_documented_production_variables():
    """Exactly the documented minimum, REDIS_URL included: no warning from `check --deploy`."""
    names = documented_production_variables()
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "REDIS_URL"} <= set(names)
    assert set(names) <= set(PRODUCTION_VALUES), "a documented variable has no value here"
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{name: PRODUCTION_VALUES[name] for name in names},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS:" not in output and "ERRORS:" not in output, output


@pytest.mark.parametrize(
    "env, sender",
    [
        ({}, "nervepain <noreply@localhost>"),  # the local server: http://127.0.0.1:8000
        (
            {"DJANGO_SITE_NAME": "Nerve Pain, Explained", "DJANGO_SITE_URL": "https://np.example"},
            '"Nerve Pain, Explained" <noreply@np.example>',
        ),
        (
            {"DJANGO_SITE_URL": "https://np.example", "DJANGO_DEFAULT_FROM_EMAIL": "a@b.example"},
            "a@b.example",
        ),
    ],
)
def test_the_site_sends_email_in_its_name_from_its_own_domain(env, sender):
    """Unset, the sender was "nervepain <noreply@localhost>" in production too: mail services
    refuse that domain and readers' providers file it as spam (a moderator's crisis alert
    among them), under a name that was not the site's."""
    show = "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)"
    result = run_manage("shell", "-c", show, DJANGO_DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == sender


@pytest.mark.parametrize(
    "site_url, warned",
    [
        ("http://127.0.0.1:8000", True),  # DJANGO_SITE_URL left unset
        ("http://nervepain.example", True),  # no one-click unsubscribe (RFC 8058 wants https)
        ("https://nervepain.example", False),
    ],
)
def test_deploy_check_warns_when_email_links_lead_elsewhere_than_the_https_site(
    settings, site_url, warned
):
    """Every link in an email is made from SITE_URL; unset in production, each led to the
    local server, and nothing said so."""
    settings.SITE_URL = site_url
    found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    assert ("nervepain.W001" in {message.id for message in found}) is warned
