"""What search engines and link previews read: meta tags and one JSON-LD @graph per article."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from comments.models import Comment
from tests.factories import (
    ArticleFactory,
    CallToActionFactory,
    CommentFactory,
    PersonFactory,
    ReferenceFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://nervepain.example"  # SITE_URL in the tests' settings
IMAGE = f"{SITE}/static/img/share.png"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def meta(page, key):
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


@pytest.fixture
def article():
    """A reviewed, cited, commented article by a named author, with a call-to-action."""
    author = UserFactory(first_name="Mia", last_name="Writer")
    article = ArticleFactory(
        title="Nerve pain after therapy",
        slug="nerve-pain-after-therapy",
        summary="Why nerve pain flares after physical therapy, and what helps.",
        topic=TopicFactory(name="Peripheral neuropathy"),
        body="## Causes\n\nNerves get irritated [@nhs].\n\n## Help\n\nRest [@mayo].",
        author=author,
        call_to_action=CallToActionFactory(
            heading="Join our programme", text="Sign up for **coaching** today."
        ),
    )
    ReferenceFactory(
        article=article,
        position=1,
        key="nhs",
        title="Peripheral neuropathy",
        publisher="NHS",
        url="https://www.nhs.uk/conditions/peripheral-neuropathy/",
    )
    ReferenceFactory(
        article=article,
        position=2,
        key="mayo",
        title="Nerve pain",
        publisher="Mayo Clinic",
        url="https://www.mayoclinic.org/nerve-pain",
    )
    reviewer = PersonFactory(
        name="Dr Ada Nerve",
        credentials="MD",
        job_title="Consultant neurologist",
        same_as="https://example.org/ada",
    )
    article.refresh_from_db()
    article.sign_off_review(reviewer, on=datetime.date(2026, 3, 10))
    article.save()
    CommentFactory.create_batch(2, article=article)
    CommentFactory(article=article, state=Comment.State.PENDING)
    CommentFactory(article=article, state=Comment.State.SPAM)
    article.refresh_from_db()
    return article


def graph_of(page):
    scripts = page.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


def test_article_head_has_every_meta_tag_from_the_article(client, article):
    page = soup(client.get(article.get_absolute_url()))
    url = f"{SITE}{article.get_absolute_url()}"
    assert page.title.get_text() == "Nerve pain after therapy | nervepain"
    assert meta(page, "description") == article.summary
    assert page.find("link", rel="canonical")["href"] == url
    assert {
        key: meta(page, key)
        for key in (
            "og:title",
            "og:type",
            "og:url",
            "og:image",
            "og:description",
            "og:site_name",
            "twitter:card",
            "twitter:title",
            "twitter:description",
            "twitter:image",
            "article:published_time",
            "article:modified_time",
        )
    } == {
        "og:title": article.title,
        "og:type": "article",
        "og:url": url,
        "og:image": IMAGE,
        "og:description": article.summary,
        "og:site_name": "nervepain",
        "twitter:card": "summary_large_image",
        "twitter:title": article.title,
        "twitter:description": article.summary,
        "twitter:image": IMAGE,
        "article:published_time": article.published_at.isoformat(),
        "article:modified_time": article.updated_at.isoformat(),
    }
    assert meta(page, "og:image:alt") and meta(page, "twitter:image:alt")


def test_home_page_has_website_meta_tags(client):
    page = soup(client.get("/"))
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:url") == f"{SITE}/"
    assert meta(page, "og:image") == IMAGE
    assert meta(page, "og:description") == meta(page, "description")
    assert meta(page, "twitter:card") == "summary_large_image"
    # The site and its publisher, not an article (tests/articles/test_topics.py has the rest).
    (script,) = page.find_all("script", type="application/ld+json")
    assert '"WebSite"' in script.string and '"Article"' not in script.string


def test_default_share_image_and_icons_ship_with_the_site():
    for path in ("img/share.png", "img/logo.png", "img/favicon.svg"):
        assert finders.find(path), path


@pytest.mark.parametrize("url_of", [lambda a: "/", lambda a: a.get_absolute_url()])
def test_every_page_links_its_feeds_and_icon(client, article, url_of):
    page = soup(client.get(url_of(article)))
    alternates = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate")}
    assert alternates == {"application/rss+xml": "/feed/", "application/atom+xml": "/feed/atom/"}
    assert page.find("link", rel="icon")["href"] == "/static/img/favicon.svg"


def test_json_ld_medical_web_page(client, article):
    graph = graph_of(soup(client.get(article.get_absolute_url())))
    url = f"{SITE}{article.get_absolute_url()}"
    assert graph["MedicalWebPage"] == {
        "@type": "MedicalWebPage",
        "@id": f"{url}#webpage",
        "url": url,
        "name": article.title,
        "description": article.summary,
        "inLanguage": "en",
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "lastReviewed": "2026-03-10",
        "reviewedBy": {"@id": graph["Person"]["@id"]},
        "breadcrumb": {"@id": graph["BreadcrumbList"]["@id"]},
        "about": {"@type": "MedicalCondition", "name": "Peripheral neuropathy"},
        "mainEntity": {"@id": graph["Article"]["@id"]},
        "publisher": {"@id": graph["Organization"]["@id"]},
        "primaryImageOfPage": {"@type": "ImageObject", "url": IMAGE},
    }


def test_json_ld_article(client, article):
    graph = graph_of(soup(client.get(article.get_absolute_url())))
    url = f"{SITE}{article.get_absolute_url()}"
    assert graph["Article"] == {
        "@type": "Article",
        "@id": f"{url}#article",
        "headline": article.title,
        "description": article.summary,
        "author": {"@type": "Person", "name": "Mia Writer"},
        "publisher": {"@id": f"{SITE}/#organization"},
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "inLanguage": "en",
        "image": IMAGE,
        "mainEntityOfPage": {"@id": f"{url}#webpage"},
        "wordCount": article.word_count,
        "timeRequired": "PT1M",
        "commentCount": 2,  # the public ones: not the held or the spam
        "citation": [
            {
                "@type": "CreativeWork",
                "name": "Peripheral neuropathy",
                "url": "https://www.nhs.uk/conditions/peripheral-neuropathy/",
                "publisher": {"@type": "Organization", "name": "NHS"},
            },
            {
                "@type": "CreativeWork",
                "name": "Nerve pain",
                "url": "https://www.mayoclinic.org/nerve-pain",
                "publisher": {"@type": "Organization", "name": "Mayo Clinic"},
            },
        ],
    }
    assert article.word_count == 6  # "Causes Nerves get irritated Help Rest": no citation marks


def test_json_ld_reviewer_publisher_and_breadcrumbs(client, article):
    graph = graph_of(soup(client.get(article.get_absolute_url())))
    url = f"{SITE}{article.get_absolute_url()}"
    profile = f"{SITE}{article.reviewed_by.get_absolute_url()}"
    assert graph["Person"] == {
        "@type": "Person",
        "@id": f"{profile}#person",
        "name": "Dr Ada Nerve",
        "honorificSuffix": "MD",
        "jobTitle": "Consultant neurologist",
        "description": "Treats people with nerve pain.",
        "url": profile,
        "sameAs": ["https://example.org/ada"],
    }
    assert graph["MedicalWebPage"]["reviewedBy"] == {"@id": f"{profile}#person"}
    assert graph["Organization"] == {
        "@type": "Organization",
        "@id": f"{SITE}/#organization",
        "name": "nervepain",
        "url": f"{SITE}/",
        "logo": {"@type": "ImageObject", "url": f"{SITE}/static/img/logo.png"},
    }
    assert graph["BreadcrumbList"] == {
        "@type": "BreadcrumbList",
        "@id": f"{url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{SITE}/"},
            {"@type": "ListItem", "position": 2, "name": "Topics", "item": f"{SITE}/topics/"},
            {
                "@type": "ListItem",
                "position": 3,
                "name": "Peripheral neuropathy",
                "item": f"{SITE}/topics/peripheral-neuropathy/",
            },
            {"@type": "ListItem", "position": 4, "name": article.title, "item": url},
        ],
    }


def test_json_ld_of_an_unreviewed_article_claims_no_review(client):
    article = ArticleFactory(author=UserFactory(first_name="", last_name=""), topic=None)
    graph = graph_of(soup(client.get(article.get_absolute_url())))
    assert "Person" not in graph
    assert "lastReviewed" not in graph["MedicalWebPage"]
    assert "reviewedBy" not in graph["MedicalWebPage"]
    assert graph["MedicalWebPage"]["about"] == {"@type": "Thing", "name": article.title}
    # An author without a public name is not exposed by user name: the site is the author.
    assert graph["Article"]["author"] == {"@id": f"{SITE}/#organization"}
    assert "citation" not in graph["Article"]


def test_json_ld_cannot_be_closed_by_article_text(client):
    article = ArticleFactory(title="Pain </script><script>alert(1)</script>")
    content = client.get(article.get_absolute_url()).content.decode()
    script = content.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    assert json.loads(script)["@graph"][1]["headline"] == article.title


def test_call_to_action_is_labelled_and_left_out(client, article):
    """Promotion is marked as such, kept out of snippets, word count and structured data."""
    response = client.get(article.get_absolute_url())
    page = soup(response)
    cta = page.select_one("aside.cta")
    # The editorial policy promises readers that calls to action "are labelled": the label is
    # for every reader, sighted too, and says who is asking in a reader's words (it was
    # "Call to action", for screen readers only; a dashed box alone says nothing).
    label = cta.select_one(".cta-label")
    assert label.get_text() == "From nervepain"
    assert "visually-hidden" not in label["class"]
    assert label.find_next_sibling("h2")["id"] == "cta-heading"
    assert "{#" not in response.content.decode()  # the template's notes stay notes
    assert cta.has_attr("data-nosnippet")
    assert cta.find_parent(class_="article-body") is None
    script = page.find("script", type="application/ld+json").string
    for promotion in ("Join our programme", "coaching", "Sign up"):
        assert promotion not in script
    # "Causes Nerves get irritated Help Rest": the body's words only, nothing of the CTA.
    assert article.word_count == 6
    assert page.select_one(".reading-time").get_text() == "1 min read"


def test_breadcrumbs_reading_time_and_contents(client, article):
    article.body = "## Causes\n\n" + "word " * 460 + "\n\n### Overuse\n\n## Help\n\nRest."
    article.save()
    page = soup(client.get(article.get_absolute_url()))
    crumbs = page.select_one("nav.breadcrumbs")
    assert crumbs["aria-label"] == "Breadcrumb"
    # The way up to the article, not the article: its title is the h1 just below (GOV.UK).
    assert [li.get_text(strip=True) for li in crumbs.find_all("li")] == [
        "Home",
        "Topics",
        "Peripheral neuropathy",
    ]
    assert crumbs.a["href"] == "/"
    assert article.title not in crumbs.get_text()
    # What a phone shows instead of the trail (NHS.UK): the nearest step up.
    back = crumbs.select_one(".breadcrumb-back a")
    assert back.get_text() == "Back to Peripheral neuropathy"
    assert back["href"] == article.topic.get_absolute_url()
    # 465 words: "Causes", 460 words, "Overuse", "Help", "Rest" -> 3 minutes.
    assert page.select_one(".reading-time").get_text() == "3 min read"
    toc = page.select_one("nav.toc")
    assert [a["href"] for a in toc.find_all("a")] == [
        "#causes",
        "#overuse",
        "#help",
        "#references-heading",
    ]
    for link in toc.find_all("a"):
        assert page.find(id=link["href"][1:]) is not None
    assert toc.select_one("a[href='#overuse']").find_parent("ol").find_parent("li") is not None


def test_an_article_scheduled_then_published_was_not_updated_before_it_came_out(client):
    """An article saved on the 6th, scheduled for the 7th, went out on the 7th: its page said
    "Published 7 … · Last updated 6 …", and its JSON-LD, feed entry and sitemap dated the change
    before the publication. Its last change, for readers, is its publication."""
    from django.utils import timezone

    from articles.models import Article

    now = timezone.now()
    article = ArticleFactory(published_at=now - datetime.timedelta(hours=1))
    Article.objects.filter(pk=article.pk).update(updated_at=now - datetime.timedelta(days=1))
    article.refresh_from_db()
    page = soup(client.get(article.get_absolute_url()))
    [published] = page.select_one(".meta").find_all("time")  # no "Last updated" before it
    assert published["datetime"] == article.published_at.isoformat()
    assert "Last updated" not in page.select_one(".meta").get_text()
    graph = graph_of(page)
    for node in ("Article", "MedicalWebPage"):
        assert graph[node]["dateModified"] == article.published_at.isoformat()
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    entry = ET.fromstring(client.get("/feed/atom/").content).find(f"{atom}entry")
    assert entry.find(f"{atom}updated").text == entry.find(f"{atom}published").text
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<lastmod>{article.published_at.date().isoformat()}</lastmod>" in sitemap
