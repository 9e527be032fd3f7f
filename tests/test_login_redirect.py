"""Signing in goes on to a page of the admin, never off the site or to a page that is not there."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"
LOGIN = "/admin/login/"

# Every kind of `next` a login must not follow: other hosts however written, script and data
# addresses, paths that name no page of the admin, and the login and logout themselves.
BAD_NEXT = [
    "https://evil.example/",
    "http://evil.example/admin/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    " //evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://testserver/admin/",
    "admin/",
    "/no-such-page/",
    "/admin/no-such-page/",
    "/admin/comments/no-such-model/",
    "/accounts/profile/",
    "/",
    "/admin/logout/",
    "/admin/login/",
    "",
]


@pytest.fixture
def staff_member(db):
    return UserFactory(is_staff=True, is_superuser=True, username="editor", password=PASSWORD)


def sign_in(client, next_url, where="POST"):
    data = {"username": "editor", "password": PASSWORD}
    if where == "POST":
        return client.post(LOGIN, {**data, "next": next_url})
    return client.post(f"{LOGIN}?{'next=' + next_url}", data)


@pytest.mark.parametrize("where", ["POST", "GET"])
@pytest.mark.parametrize("next_url", BAD_NEXT)
def test_a_bad_next_goes_to_the_admin_index(client, staff_member, next_url, where):
    """However the address is written, in the form or the query string, the login goes to
    the admin index."""
    response = sign_in(client, next_url, where)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "next_url",
    ["/admin/", "/admin/comments/comment/", "/admin/comments/comment/?state=pending"],
)
def test_a_page_of_the_admin_is_where_the_login_goes_on_to(client, staff_member, next_url):
    response = sign_in(client, next_url)
    assert response.status_code == 302
    assert response["Location"] == next_url


def test_the_form_for_a_bad_next_carries_the_admin_index(client):
    """The login page itself never hands a bad address back in its form."""
    page = client.get(f"{LOGIN}?next=//evil.example/").content.decode()
    assert "evil.example" not in page
    assert 'name="next" value="/admin/"' in page


def test_being_sent_to_sign_in_from_an_admin_page_comes_back_to_it(staff_member):
    browser = Client()
    to_login = browser.get("/admin/comments/comment/?state=pending")
    assert to_login.status_code == 302
    response = browser.post(
        to_login["Location"], {"username": "editor", "password": PASSWORD}, follow=False
    )
    assert response["Location"] == "/admin/comments/comment/?state=pending"


def test_the_default_destinations_exist():
    """Django's own defaults (/accounts/login/, /accounts/profile/) are not pages here."""
    assert resolve_url(settings.LOGIN_REDIRECT_URL) == "/admin/"
    assert resolve_url(settings.LOGIN_URL) == LOGIN
