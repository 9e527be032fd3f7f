"""Security headers on reader pages, the comment flow and the admin; admin path; login limits."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.urls import clear_url_caches

from tests.comments.conftest import form_data, send
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def assert_no_inline_code(response):
    """Nothing the policy would block: no inline script, style or event handler."""
    page = BeautifulSoup(response.content, "html.parser")
    for script in page.find_all("script"):
        assert script.get("src") or script.get("type") == "application/ld+json", script
    assert not page.find_all("style")
    for tag in page.find_all(True):
        assert "style" not in tag.attrs, tag
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag


def test_reader_pages(client):
    article = ArticleFactory()
    for url in ("/", article.get_absolute_url(), "/nothing-here/"):
        response = client.get(url)
        assert_security_headers(response)
        assert_no_inline_code(response)


def test_comment_flow(client, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    article = ArticleFactory()
    posted = send(client, form_data(article))
    assert posted.status_code == 303
    assert_security_headers(posted)
    problem = send(client, form_data(article, email="broken"))
    assert problem.status_code == 400
    assert_security_headers(problem)
    assert_no_inline_code(problem)


def test_admin_pages(admin_client, client):
    article = ArticleFactory()
    assert_security_headers(client.get("/admin/login/"))
    assert_no_inline_code(client.get("/admin/login/"))
    for url in (
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",  # markdownx's editor
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/comments/comment/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert_no_inline_code(response)


def test_hsts_is_at_least_six_months_in_production(settings):
    # Tests run with debug off, so these are the production values.
    assert settings.SECURE_HSTS_SECONDS >= 180 * 24 * 3600
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.fixture
def admin_at(settings):
    """Serve the admin at another path for the test, then restore the URLs."""
    import nervepain.urls

    def move(path):
        settings.ADMIN_PATH = path
        importlib.reload(nervepain.urls)
        clear_url_caches()

    yield move
    settings.ADMIN_PATH = "admin/"
    importlib.reload(nervepain.urls)
    clear_url_caches()


def test_admin_path_is_configurable(client, admin_at):
    admin_at("back-office-7f3/")
    assert client.get("/admin/").status_code == 404
    response = client.get("/back-office-7f3/")
    assert response.status_code == 302
    assert response["Location"].startswith("/back-office-7f3/login/")


def test_failed_logins_are_rate_limited_per_account(client, settings):
    settings.LOGIN_ATTEMPTS_LIMIT = 3
    settings.SITE_NAME = "Nerve Health Clinic"
    UserFactory(username="editor", is_staff=True)
    wrong = {"username": "editor", "password": "wrong", "next": "/admin/"}
    for _ in range(3):
        assert client.post("/admin/login/", wrong).status_code == 200
    locked = client.post("/admin/login/", {**wrong, "password": "correct horse battery staple"})
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert "<title>Too many attempts | Nerve Health Clinic</title>" in locked.content.decode()
    # Another account from the same address is not locked yet.
    UserFactory(username="other", is_staff=True)
    right = {"username": "other", "password": "correct horse battery staple", "next": "/admin/"}
    assert client.post("/admin/login/", right).status_code == 302


def test_failed_logins_are_rate_limited_per_address(client, settings):
    settings.LOGIN_ATTEMPTS_LIMIT = 2
    for n in range(8):
        client.post("/admin/login/", {"username": f"guess{n}", "password": "x"})
    response = client.post("/admin/login/", {"username": "guess99", "password": "x"})
    assert response.status_code == 429
    assert (
        client.post(
            "/admin/login/", {"username": "guess99", "password": "x"}, REMOTE_ADDR="192.0.2.200"
        ).status_code
        == 200
    )
