"""The 400, 403 and 500 pages a reader may meet (the 404 and 503 have their own tests): each
says what happened and leads on, in light and dark, where Django's 400 and 403 were a bare
heading on a white page, and the 500 page had no link at all."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.views import defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def assert_site_page_with_a_way_on(response, status, settings):
    assert response.status_code == status
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("link", rel="stylesheet")["href"].startswith("/static/css/site")
    assert page.select_one(".brand-name").get_text() == settings.SITE_NAME
    assert page.select_one("main").find("a", href="/") is not None
    return page


def test_a_bad_request_is_a_page_of_the_site(visitor, settings):
    settings.SITE_NAME = "Nerve Help"
    response = visitor.get("/", HTTP_HOST="evil.example")  # a Host not allowed: 400
    page = assert_site_page_with_a_way_on(response, 400, settings)
    assert page.title.get_text() == "Bad request | Nerve Help"
    assert "Back button" in page.select_one("main").get_text()


def test_a_refused_page_is_a_page_of_the_site(visitor, settings):
    settings.SITE_NAME = "Nerve Help"
    response = visitor.get("/markdownx/uploaded/")  # staff only: 403 to anyone else
    page = assert_site_page_with_a_way_on(response, 403, settings)
    assert page.title.get_text() == "You cannot open this page | Nerve Help"


def test_the_403_page_is_what_the_admin_and_views_raise_too(rf, settings):
    response = defaults.permission_denied(rf.get("/"), PermissionDenied())
    assert b"You cannot open this page" in response.content


def test_the_500_page_leads_home_in_the_sites_colours(rf):
    """Standalone (it must render when anything else fails: no base template, no context),
    but in the site's stylesheet, light or dark as the reader's screen, where it was black
    on white, and the browser's own link colour in dark failed contrast (axe)."""
    page = BeautifulSoup(defaults.server_error(rf.get("/")).content, "html.parser")
    assert page.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    assert page.find("link", rel="stylesheet")["href"].startswith("/static/css/site")
    assert page.select_one("main").find("a", href="/").get_text() == "Go to the home page"
