"""A front cache or load balancer finds each web node up, with production settings."""

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def varnish_probe_url() -> str:
    """The address the shipped Varnish probes on each web node (scripts/varnish-backends.sh)."""
    vcl = subprocess.run(
        ["scripts/varnish-backends.sh", "10.0.0.11:8000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.search(r'\.url = "([^"]+)"', vcl).group(1)


def test_varnish_finds_a_production_node_up(settings, client, django_assert_num_queries):
    """Varnish probes a node by its address, over plain HTTP. With production settings (only
    the site's name allowed as Host, HTTPS redirect on) its probe of /robots.txt got 400, with
    a DisallowedHost traceback in the log every 2 s (or a 301 with the address allowed): every
    node was sick and Varnish answered 503 to every reader. The probe needs no database, so a
    node serving cached pages through an outage stays in the round robin."""
    settings.ALLOWED_HOSTS = ["example.org"]
    settings.SECURE_SSL_REDIRECT = True
    with django_assert_num_queries(0):
        response = client.get(varnish_probe_url(), HTTP_HOST="10.0.0.11:8000")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_health_check_answers_nothing_but_reads(settings, client):
    settings.ALLOWED_HOSTS = ["example.org"]
    response = client.post(varnish_probe_url(), HTTP_HOST="example.org")
    assert response.status_code != 200
