import pytest
from django.test import Client

from comments.forms import FORM_COOKIE, CommentForm, new_form_token
from tests.factories import ArticleFactory

POST_URL = "/comments/post/"


@pytest.fixture(autouse=True)
def _no_time_trap(settings):
    """Tests post at once; the time trap has its own tests that set it back."""
    settings.COMMENTS_MIN_SECONDS = 0


@pytest.fixture
def article(db):
    return ArticleFactory(title="Nerve pain", slug="nerve-pain")


def form_data(article, **fields):
    """What a browser sends from a freshly served form, with the reader's input."""
    data = {
        key: value
        for key, value in CommentForm(article).initial.items()
        if key in {"content_type", "object_pk"}
    }
    data.update(
        name="Ann Reader",
        email="ann@example.org",
        url="",
        comment="Physio made it worse for a week, then better.",
        honeypot="",
    )
    data.update(fields)
    return data


def send(client, data, token=None, **headers):
    """Post the form as a browser does after a page view: with a form token cookie."""
    client.cookies[FORM_COOKIE] = token or new_form_token()
    return client.post(POST_URL, data, **headers)


@pytest.fixture
def post(client):
    """Post a comment as a reader: post(article, client=..., **fields)."""

    def _post(article, client=client, **fields):
        return send(client, form_data(article, **fields))

    return _post


@pytest.fixture
def other_reader():
    """A second browser: no cookies shared with ``client``."""
    return Client()
