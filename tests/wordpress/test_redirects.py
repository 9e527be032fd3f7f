"""Old WordPress addresses keep working: they redirect for good to the article they became."""

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    return ArticleFactory(slug="why-nerve-pain-flares", wp_post_id=42)


@pytest.mark.parametrize(
    "old_url",
    [
        "/?p=42",
        "/?page_id=42",
        "/2023/04/01/why-nerve-pain-flares/",
        "/2023/04/why-nerve-pain-flares/",
        "/why-nerve-pain-flares/",
        "/2023/04/01/Why-Nerve-Pain-Flares/",
    ],
)
def test_old_addresses_redirect_permanently(client, imported, old_url):
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/why-nerve-pain-flares/"


def test_a_percent_encoded_slug_finds_its_article(client):
    """WordPress writes non-ASCII slugs percent-encoded; the import made them ASCII."""
    ArticleFactory(slug="ca-va-nevralgie")
    response = client.get("/2023/04/%C3%A7a-va-n%C3%A9vralgie/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/ca-va-nevralgie/"


@pytest.mark.parametrize(
    "old_url",
    ["/?p=43", "/?p=abc", "/no-such-post/", "/2023/04/01/no-such-post/", "/2023/04/%F0%9F%98%96/"],
)
def test_unknown_addresses_are_not_found(client, imported, old_url):
    assert client.get(old_url).status_code == 404


@pytest.mark.parametrize("trait", ["draft", "scheduled"])
def test_articles_readers_cannot_see_do_not_redirect(client, trait):
    """A redirect would reveal that a draft or a scheduled article exists."""
    ArticleFactory(slug="secret", wp_post_id=7, **{trait: True})
    assert client.get("/?p=7").status_code == 404
    assert client.get("/secret/").status_code == 404


def test_the_home_page_is_still_the_article_list(client, imported):
    response = client.get("/", {"page": 1})
    assert response.status_code == 200
    assert list(response.context["articles"]) == [imported]


@pytest.mark.parametrize(
    "url, status",
    [("/admin/", 302), ("/articles/why-nerve-pain-flares/", 200), ("/comments/post/", 405)],
)
def test_site_addresses_are_not_shadowed(client, imported, url, status):
    """The catch-all ``/slug/`` comes last: the site's own addresses answer as before."""
    assert client.get(url).status_code == status


def test_wordpress_searches_go_to_this_sites_search(client):
    """Old links and a browser's remembered site search ask for /?s=words: the home page came
    back (301 to "/"), the words dropped."""
    response = client.get("/", {"s": "nerve pain & PT"})
    assert response.status_code == 301
    assert response["Location"] == "/search/?q=nerve+pain+%26+PT"
    assert client.get("/", {"s": ""})["Location"] == "/search/"
