"""What a real browser fetches for each kind of page never answers a server error.

The browser decides what to fetch (stylesheets, scripts, icons, images, the files stylesheets
name): each answer is recorded, in production and under `make run` (debug mode, URLconf
re-read), and the console stays free of errors.
"""

import pytest

from tests.factories import ArticleFactory, CommentFactory
from tests.test_debug_assets import reload_urls

# serialized_rollback: data migrations (the privacy page) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(params=["production", "debug"])
def mode(request, settings):
    settings.DEBUG = request.param == "debug"
    reload_urls()
    yield request.param
    settings.DEBUG = False
    reload_urls()


@pytest.fixture
def paths():
    article = ArticleFactory(body="Words.\n\n![A figure](/static/img/share.png)")
    CommentFactory(article=article, comment="A public comment.")
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "privacy": "/privacy/",
        "admin login": "/admin/login/",
        "not found": "/no-such-page/",
    }


@pytest.mark.parametrize("kind", ["home", "article", "privacy", "admin login", "not found"])
def test_every_request_of_a_page_load_succeeds(page, live_server, mode, paths, kind):
    answers = []
    page.on("response", lambda response: answers.append((response.url, response.status)))
    console = []
    page.on("console", lambda message: console.append(message) if message.type == "error" else None)
    document = page.goto(live_server.url + paths[kind])
    page.wait_for_load_state("networkidle")
    assert document.status == (404 if kind == "not found" else 200)
    assert len(answers) > 1 or (mode == "debug" and kind == "not found")
    assert [(url, status) for url, status in answers if status >= 500] == []
    assert [(url, status) for url, status in answers[1:] if status >= 400] == []
    if kind == "not found":
        # Chromium reports a document answered 404 as a console error; in debug mode it is
        # Django's own 404 page, whose inline style the site's policy blocks.
        return
    assert [m.text for m in console] == []
