"""sitemap.xml, robots.txt and the RSS/Atom feeds: published articles only, absolute links."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://nervepain.example"  # SITE_URL in the tests' settings
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles():
    """Two published articles, a draft and a scheduled one."""
    now = timezone.now()
    return {
        "older": ArticleFactory(
            title="Older", slug="older", published_at=now - datetime.timedelta(days=9)
        ),
        "newer": ArticleFactory(
            title="Newer",
            slug="newer",
            summary="Newer summary.",
            author=UserFactory(first_name="Mia", last_name="Writer"),
        ),
        "draft": ArticleFactory(title="Draft", slug="draft", draft=True),
        "scheduled": ArticleFactory(title="Scheduled", slug="scheduled", scheduled=True),
    }


def test_sitemap_lists_published_articles_with_last_modified(client, articles):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    urls = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
        for url in ET.fromstring(response.content).findall(f"{SITEMAP}url")
        if "/articles/" in url.find(f"{SITEMAP}loc").text
    }
    assert urls == {
        f"{SITE}/articles/newer/": articles["newer"].updated_at.date().isoformat(),
        f"{SITE}/articles/older/": articles["older"].updated_at.date().isoformat(),
    }


def test_sitemap_starts_with_the_home_page_and_the_topics_index(client, articles):
    """The pages that lead to every article, dated by the latest article's change."""
    urls = ET.fromstring(client.get("/sitemap.xml").content).findall(f"{SITEMAP}url")
    first = {url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text for url in urls[:2]}
    newest = max(articles["newer"].updated_at, articles["older"].updated_at)
    assert first == {
        f"{SITE}/": newest.date().isoformat(),
        f"{SITE}/topics/": newest.date().isoformat(),
    }


def test_sitemap_lists_the_publishers_pages_anyone_may_read(client):
    from django.contrib.flatpages.models import FlatPage

    staff_only = FlatPage.objects.create(
        url="/staff-notes/", title="Notes", content="x", registration_required=True
    )
    staff_only.sites.add(1)
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locs = {url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")}
    pages = {"/about/", "/editorial-policy/", "/contact/", "/privacy/", "/medical-disclaimer/"}
    assert {f"{SITE}{page}" for page in pages} <= locs
    assert f"{SITE}/staff-notes/" not in locs


def test_robots_txt_allows_readers_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    disallowed = {line.split(":", 1)[1].strip() for line in lines if line.startswith("Disallow")}
    assert disallowed == {"/admin/", "/comments/", "/markdownx/"}
    assert not any(path in {"/", "/articles/"} for path in disallowed)


def test_rss_feed_has_published_articles_newest_first(client, articles):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.find("link").text == f"{SITE}/"
    items = channel.findall("item")
    assert [item.find("title").text for item in items] == ["Newer", "Older"]
    newest = items[0]
    assert newest.find("link").text == f"{SITE}/articles/newer/"
    assert newest.find("description").text == "Newer summary."
    assert newest.find("pubDate").text is not None
    assert "Mia Writer" in newest.find("{http://purl.org/dc/elements/1.1/}creator").text


def test_feeds_name_whom_the_byline_names_and_the_atom_feed_has_an_author(client, articles):
    """RFC 4287: an Atom feed without an author needs one in every entry; the byline's person
    (a team, a profile with credentials) is the entries' author, linked to their page."""
    from articles.models import Person

    team = Person.objects.create(name="The editorial team", slug="team", is_public=True)
    nurse = Person.objects.create(name="Kim Lee", slug="kim", credentials="RN")
    articles["newer"].byline = team
    articles["newer"].save()
    articles["older"].byline = nurse
    articles["older"].save()

    feed = ET.fromstring(client.get("/feed/atom/").content)
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "nervepain"
    authors = [
        (e.find(f"{ATOM}author/{ATOM}name").text, e.findtext(f"{ATOM}author/{ATOM}uri"))
        for e in feed.findall(f"{ATOM}entry")
    ]
    assert authors == [("The editorial team", f"{SITE}/people/team/"), ("Kim Lee, RN", None)]
    channel = ET.fromstring(client.get("/feed/").content).find("channel")
    creators = [
        i.findtext("{http://purl.org/dc/elements/1.1/}creator") for i in channel.iter("item")
    ]
    assert creators == ["The editorial team", "Kim Lee, RN"]


def test_atom_feed_has_published_articles_with_update_dates(client, articles):
    response = client.get("/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/feed/atom/"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Newer", "Older"]
    assert entries[0].find(f"{ATOM}link").get("href") == f"{SITE}/articles/newer/"
    assert (
        entries[0]
        .find(f"{ATOM}updated")
        .text.startswith(articles["newer"].updated_at.date().isoformat())
    )


@pytest.mark.parametrize("url", ["/sitemap.xml", "/feed/", "/feed/atom/"])
def test_drafts_and_scheduled_articles_appear_nowhere(client, articles, url):
    content = client.get(url).content.decode()
    assert "/articles/newer/" in content
    for hidden in ("draft", "scheduled"):
        assert f"/articles/{hidden}/" not in content
        assert articles[hidden].title not in content
