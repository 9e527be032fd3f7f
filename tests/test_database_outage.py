"""Readers during a database outage get "back in a minute" (503), logged once per outage."""

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from articles import pagecache
from nervepain import outage
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database(monkeypatch):
    """Switch the database off and on: while off, every statement fails as if the server had
    gone (the error alternating between the two kinds drivers raise)."""
    real_execute, real_executemany = CursorWrapper.execute, CursorWrapper.executemany
    errors = iter(
        [OperationalError("server closed the connection unexpectedly"), InterfaceError("gone")]
        * 1000
    )

    class Switch:
        def off(self):
            def fail(*args, **kwargs):
                raise next(errors)

            monkeypatch.setattr(CursorWrapper, "execute", fail)
            monkeypatch.setattr(CursorWrapper, "executemany", fail)

        def on(self):
            monkeypatch.setattr(CursorWrapper, "execute", real_execute)
            monkeypatch.setattr(CursorWrapper, "executemany", real_executemany)

    return Switch()


@pytest.fixture
def visitor():
    """A browser: a server error is a status, not an exception raised into the test."""
    return Client(raise_request_exception=False)


def assert_back_in_a_minute(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "We&#x27;ll be back in a minute" in page or "We'll be back in a minute" in page
    assert "/static/css/site.css" in page  # the site's own look, not a bare error page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    "path",
    ["/", "ARTICLE", "/privacy/", "/medical-disclaimer/", "/feed/", "/sitemap.xml"],
)
def test_an_uncached_reader_page_is_back_in_a_minute(visitor, database, path):
    article = ArticleFactory()
    database.off()
    response = visitor.get(article.get_absolute_url() if path == "ARTICLE" else path)
    assert_back_in_a_minute(response)


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/comments/comment/"])
def test_the_admin_is_back_in_a_minute(visitor, staff_user, database, path):
    visitor.force_login(staff_user)
    database.off()
    assert_back_in_a_minute(visitor.get(path))


def test_signing_in_during_an_outage_is_back_in_a_minute(visitor, database):
    database.off()
    response = visitor.post("/admin/login/", {"username": "someone", "password": "secret"})
    assert_back_in_a_minute(response)


def test_a_cached_page_is_still_served(settings, visitor, database):
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticleFactory()
    assert visitor.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    database.off()
    response = visitor.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_a_database_error_outside_a_view_is_back_in_a_minute(
    settings, visitor, monkeypatch, caplog
):
    """The page cache reads the next scheduled article after the view: failing there too."""
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticleFactory()

    def scheduled():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(pagecache, "_seconds_until_next_scheduled", scheduled)
    with caplog.at_level(logging.INFO):
        assert_back_in_a_minute(visitor.get(article.get_absolute_url()))
    assert [r.name for r in caplog.records if r.levelno >= logging.ERROR] == ["nervepain.outage"]


def test_the_page_needs_no_database(rf, django_assert_num_queries):
    """Rendered from its template alone: no session, no user, no query."""
    with django_assert_num_queries(0):
        response = outage.outage_response(rf.get("/"), OperationalError("gone"))
    assert_back_in_a_minute(response)


def test_an_outage_is_logged_once_and_its_end_once(visitor, database, caplog):
    """One line when it begins (no traceback), none for each request turned away, one when
    the database answers again; failing after that is a new outage, logged again."""
    article = ArticleFactory()
    url = article.get_absolute_url()
    with caplog.at_level(logging.INFO):
        database.off()
        for path in ["/", url, "/privacy/", "/feed/", url]:
            assert visitor.get(path).status_code == 503
        database.on()
        assert visitor.get(url).status_code == 200
        assert visitor.get("/").status_code == 200
        database.off()
        assert visitor.get("/").status_code == 503
        assert visitor.get(url).status_code == 503

    lines = [(r.levelname, r.name, r.getMessage()) for r in caplog.records if r.levelno >= 30]
    assert [(level, name) for level, name, _ in lines] == [
        ("ERROR", "nervepain.outage"),
        ("WARNING", "nervepain.outage"),
        ("ERROR", "nervepain.outage"),
    ]
    assert "database unavailable" in lines[0][2]
    assert "server closed the connection unexpectedly" in lines[0][2]
    assert "database available again" in lines[1][2]
    assert "answered_503=5" in lines[1][2]
    assert all(record.exc_info is None for record in caplog.records)


def test_other_errors_are_still_plain_500s(visitor, monkeypatch, caplog):
    """Only the database's absence is "back in a minute"; a bug stays a logged 500."""

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("articles.views.ArticleListView.get_queryset", broken)
    response = visitor.get("/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert any(r.name == "django.request" and r.exc_info for r in caplog.records)
