"""Every file a browser asks for, on every kind of page, in production and under `make run`.

A browser fetches what a page links (stylesheets, scripts, icons, images, the files those
stylesheets name) and a few addresses it tries on its own (``/favicon.ico``, the Apple touch
icons, ``/robots.txt``). None may answer a server error, in debug mode (``make run``, where
the URLconf adds its debug-only routes) as much as in production (hashed static files
collected by ``collectstatic``); what the pages link answers 200.
"""

import importlib
import re
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import clear_url_caches

from articles import pagecache
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

# What browsers request without being told to by the page.
UNLINKED = ["/favicon.ico", "/apple-touch-icon.png", "/apple-touch-icon-precomposed.png"]
# Of those, what must exist (not merely not fail).
MUST_EXIST = ["/favicon.ico", "/robots.txt"]
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
SITE = "https://nervepain.example"  # settings.SITE_URL in tests (tests/conftest.py)


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files as production serves them: collected, hashed, compressed."""
    root = tmp_path_factory.mktemp("static")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", "--noinput", "-v0")
    return root, storages


def reload_urls():
    import nervepain.urls

    importlib.reload(nervepain.urls)
    clear_url_caches()
    pagecache.view_name.cache_clear()


@pytest.fixture(params=["production", "debug"])
def mode(request, settings):
    """The site as `make serve` runs it, or as `make run` does (DEBUG on, URLconf re-read)."""
    if request.param == "production":
        settings.STATIC_ROOT, settings.STORAGES = request.getfixturevalue("collected_static")
    else:
        settings.DEBUG = True
    reload_urls()
    yield request.param
    settings.DEBUG = False
    reload_urls()


@pytest.fixture
def visitor():
    """A client that answers a server error with its status, as a browser sees it."""
    return Client(raise_request_exception=False)


def linked_urls(html: str) -> set[str]:
    """The addresses a browser fetches to show this HTML page (and crawlers its share image)."""
    page = BeautifulSoup(html, "html.parser")
    urls = {tag["src"] for tag in page.find_all(["script", "img"], src=True)}
    for link in page.find_all("link", href=True):
        rel = set(link.get("rel", []))
        if rel & {"stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "alternate"}:
            urls.add(link["href"])
    for meta in page.find_all("meta", content=True):
        if meta.get("property") == "og:image" or meta.get("name") == "twitter:image":
            urls.add(meta["content"])
    return urls


def local_path(url: str, base: str) -> str | None:
    """The path of a URL on this site, or None for another site's."""
    url = urljoin(base, url)
    if url.startswith(SITE):
        url = url[len(SITE) :]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fetch(visitor, path):
    """The final response for a path, following redirects on this site."""
    response = visitor.get(path)
    for _ in range(5):
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        path = local_path(response["Location"], path)
        assert path is not None, f"{path} redirects off the site"
        response = visitor.get(path)
    return response


def everything_fetched_for(visitor, page_path):
    """Each address fetched for a page (the page, what it links, what its stylesheets name,
    and what browsers try on their own), mapped to its final status."""
    statuses, linked = {}, set()
    page = fetch(visitor, page_path)
    statuses[page_path] = page.status_code
    queue = []
    if page["Content-Type"].startswith("text/html"):
        queue = [local_path(url, page_path) for url in linked_urls(page.content.decode())]
    queue = [path for path in queue if path]
    linked.update(queue)
    while queue:
        path = queue.pop()
        if path in statuses:
            continue
        response = fetch(visitor, path)
        statuses[path] = response.status_code
        if response.status_code == 200 and response["Content-Type"].startswith("text/css"):
            chunks = response.streaming_content if response.streaming else [response.content]
            for url in CSS_URL.findall(b"".join(chunks).decode()):
                if not url.startswith("data:") and (path_ := local_path(url, path)):
                    linked.add(path_)
                    queue.append(path_)
    for path in [*UNLINKED, *MUST_EXIST]:
        statuses[path] = fetch(visitor, path).status_code
    return statuses, linked


@pytest.fixture
def pages(db):
    article = ArticleFactory(body="Words.\n\n![A figure](/static/img/share.png)")
    CommentFactory(article=article, comment="A public comment.")
    return {
        "home": ("/", 200),
        "article": (article.get_absolute_url(), 200),
        "privacy": ("/privacy/", 200),
        "rss feed": ("/feed/", 200),
        "atom feed": ("/feed/atom/", 200),
        "admin login": ("/admin/login/", 200),
        "not found": ("/no-such-page/", 404),
    }


@pytest.mark.parametrize(
    "page", ["home", "article", "privacy", "rss feed", "atom feed", "admin login", "not found"]
)
def test_no_file_a_browser_asks_for_answers_a_server_error(mode, visitor, pages, page):
    """No address a browser fetches for the page answers 5xx; linked ones and the icon
    and robots.txt addresses answer 200 (after the site's own redirects)."""
    path, expected = pages[page]
    statuses, linked = everything_fetched_for(visitor, path)
    assert statuses.pop(path) == expected
    errors = {url: status for url, status in statuses.items() if status >= 500}
    assert errors == {}
    missing = {
        url: status
        for url, status in statuses.items()
        if (url in linked or url in MUST_EXIST) and status != 200
    }
    assert missing == {}
    if page in ("home", "article", "admin login"):
        assert any(url.endswith(".css") for url in linked), "the page's stylesheet was not seen"


def test_favicon_leads_to_the_site_icon(mode, visitor):
    """`/favicon.ico` leads to the site's icon, not an error, however the site is run."""
    response = visitor.get("/favicon.ico")
    assert response.status_code == 302
    icon = fetch(visitor, "/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
