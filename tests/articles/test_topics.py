"""Topics (two levels, one per article) and tags (many): their pages, feeds, breadcrumbs,
sitemap entries and structured data; related articles and previous/next in a topic; the home
page that shows them."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Article, Topic
from tests.factories import ArticleFactory, CommentFactory, TagFactory, TopicFactory

pytestmark = pytest.mark.django_db

SITE = "https://nervepain.example"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def neuropathy():
    parent = TopicFactory(name="Nerve conditions", slug="nerve-conditions", description="")
    return TopicFactory(
        name="Peripheral neuropathy",
        slug="peripheral-neuropathy",
        parent=parent,
        description="Damage to the nerves outside the brain.",
    )


def test_topic_page_lists_its_articles_and_its_subtopics(client, neuropathy):
    own = ArticleFactory(title="Own", topic=neuropathy, published_at=days_ago(2))
    ArticleFactory(title="Draft", topic=neuropathy, draft=True)
    ArticleFactory(title="Elsewhere")
    page = soup(client.get("/topics/peripheral-neuropathy/"))
    assert page.h1.get_text() == "Peripheral neuropathy"
    assert page.select_one(".lede").get_text() == "Damage to the nerves outside the brain."
    assert page.title.get_text() == "Peripheral neuropathy | nervepain"
    assert [a.get_text() for a in page.select(".teaser h2 a")] == ["Own"]
    # The way up, not the page itself: its name is the h1 just below.
    crumbs = [li.get_text(strip=True) for li in page.select(".breadcrumbs li")]
    assert crumbs == ["Home", "Topics", "Nerve conditions"]
    assert page.select_one(".breadcrumb-back a")["href"] == "/topics/nerve-conditions/"

    parent_page = soup(client.get("/topics/nerve-conditions/"))
    assert [a.get_text() for a in parent_page.select(".teaser h2 a")] == [own.title]
    assert parent_page.select_one("nav[aria-label=Subtopics] a")["href"] == (
        "/topics/peripheral-neuropathy/"
    )


def test_topic_pages_are_paginated(client, neuropathy):
    for n in range(21):
        ArticleFactory(title=f"A{n}", topic=neuropathy, published_at=days_ago(n + 1))
    first = soup(client.get("/topics/peripheral-neuropathy/"))
    assert len(first.select(".teaser")) == 20
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    second = soup(client.get("/topics/peripheral-neuropathy/?page=2"))
    assert [a.get_text() for a in second.select(".teaser h2 a")] == ["A20"]
    assert client.get("/topics/nothing-here/").status_code == 404


def test_topic_and_tag_pages_have_feeds(client, neuropathy):
    tag = TagFactory(name="Exercise", slug="exercise")
    ArticleFactory(title="In both", topic=neuropathy, tags=[tag])
    ArticleFactory(title="In neither")
    for url, feed in [
        ("/topics/peripheral-neuropathy/", "/topics/peripheral-neuropathy/feed/"),
        ("/tags/exercise/", "/tags/exercise/feed/"),
    ]:
        page = soup(client.get(url))
        assert page.find("link", rel="alternate", href=feed)
        items = ET.fromstring(client.get(feed).content).findall("channel/item")
        assert [item.findtext("title") for item in items] == ["In both"]


def test_tag_page_lists_the_articles_carrying_it(client):
    pain = TagFactory(name="Pain management", slug="pain-management")
    tagged = ArticleFactory(title="Tagged", tags=[pain])
    ArticleFactory(title="Untagged")
    page = soup(client.get("/tags/pain-management/"))
    assert page.h1.get_text() == "Articles tagged “Pain management”"
    assert [a["href"] for a in page.select(".teaser h2 a")] == [tagged.get_absolute_url()]
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@graph"][0]["@type"] == "CollectionPage"


def test_article_shows_topic_breadcrumbs_tags_and_structured_data(client, neuropathy):
    """The visible trail stops above the article (its title is the h1); the structured data's
    trail still ends with the article, as Google's guidance allows."""
    tag = TagFactory(name="Exercise", slug="exercise")
    article = ArticleFactory(topic=neuropathy, tags=[tag])
    page = soup(client.get(article.get_absolute_url()))
    crumbs = page.select(".breadcrumbs li a")
    assert [a["href"] for a in crumbs] == [
        "/",
        "/topics/",  # as the topic's own page leads up
        "/topics/nerve-conditions/",
        "/topics/peripheral-neuropathy/",
    ]
    assert page.select_one(".article-tags a[rel=tag]")["href"] == "/tags/exercise/"
    graph = json.loads(page.find("script", type="application/ld+json").string)["@graph"]
    webpage = next(node for node in graph if node["@type"] == "MedicalWebPage")
    assert webpage["about"] == {"@type": "MedicalCondition", "name": "Peripheral neuropathy"}
    assert webpage["keywords"] == "Exercise"
    trail = next(node for node in graph if node["@type"] == "BreadcrumbList")
    assert [item["name"] for item in trail["itemListElement"]] == [
        "Home",
        "Topics",
        "Nerve conditions",
        "Peripheral neuropathy",
        article.title,
    ]
    assert trail["itemListElement"][-1]["item"] == f"{SITE}{article.get_absolute_url()}"


def test_related_articles_put_same_topic_and_shared_tags_first(client, neuropathy):
    other_topic = TopicFactory(name="Sciatica")
    a, b, c = TagFactory(name="a"), TagFactory(name="b"), TagFactory(name="c")
    article = ArticleFactory(topic=neuropathy, tags=[a, b])
    ArticleFactory(title="Unrelated", topic=other_topic, tags=[c])
    ArticleFactory(title="Two tags", topic=other_topic, tags=[a, b], published_at=days_ago(2))
    ArticleFactory(title="Topic only", topic=neuropathy, published_at=days_ago(3))
    ArticleFactory(title="Topic and tag", topic=neuropathy, tags=[a], published_at=days_ago(4))
    ArticleFactory(title="One tag", tags=[b], published_at=days_ago(1))
    ArticleFactory(title="Draft", topic=neuropathy, tags=[a, b], draft=True)
    page = soup(client.get(article.get_absolute_url()))
    titles = [a.get_text() for a in page.select(".related li > a")]
    # "Topic only" is the previous in the topic, linked just above: not listed again.
    assert titles == ["Topic and tag", "Two tags", "One tag"]


def test_related_articles_leave_out_the_previous_and_next_just_above(client, neuropathy):
    """ "Previous in Peripheral neuropathy: X", then "Related articles: X" said it twice."""
    article = ArticleFactory(topic=neuropathy, published_at=days_ago(2))
    before = ArticleFactory(title="Before", topic=neuropathy, published_at=days_ago(3))
    after = ArticleFactory(title="After", topic=neuropathy, published_at=days_ago(1))
    ArticleFactory(title="Older", topic=neuropathy, published_at=days_ago(4))
    page = soup(client.get(article.get_absolute_url()))
    nav = page.select_one("nav.in-topic")
    assert [a["href"] for a in nav.select("a")] == [
        before.get_absolute_url(),
        after.get_absolute_url(),
    ]
    assert [a.get_text() for a in page.select(".related li > a")] == ["Older"]


def test_previous_and_next_in_the_topic(client, neuropathy):
    first = ArticleFactory(title="First", topic=neuropathy, published_at=days_ago(3))
    middle = ArticleFactory(title="Middle", topic=neuropathy, published_at=days_ago(2))
    ArticleFactory(title="Other topic", published_at=days_ago(2))
    last = ArticleFactory(title="Last", topic=neuropathy, published_at=days_ago(1))
    nav = soup(client.get(middle.get_absolute_url())).select_one("nav.in-topic")
    assert nav.select_one("a[rel=prev]")["href"] == first.get_absolute_url()
    assert nav.select_one("a[rel=next]")["href"] == last.get_absolute_url()
    assert "Next in Peripheral neuropathy" in nav.get_text()
    nav = soup(client.get(first.get_absolute_url())).select_one("nav.in-topic")
    assert nav.select_one("a[rel=prev]") is None


def test_home_features_the_latest_then_recent_articles_with_comment_counts(client, neuropathy):
    older = ArticleFactory(title="Older", topic=neuropathy, published_at=days_ago(3))
    latest = ArticleFactory(title="Latest", topic=neuropathy, published_at=days_ago(1))
    CommentFactory.create_batch(2, article=older)
    CommentFactory(article=older, state="pending")
    page = soup(client.get("/"))
    featured = page.select_one(".featured")
    assert featured.h2.a["href"] == latest.get_absolute_url()
    assert "No comments yet" in featured.get_text()
    teaser = page.select_one(".teaser")
    assert teaser.h3.a.get_text() == "Older"
    assert teaser.select_one(".kicker a")["href"] == "/topics/peripheral-neuropathy/"
    assert "2 comments" in teaser.get_text()  # public ones only
    topics = [a.get_text() for a in page.select(".topic-list > li > a")]
    assert topics == ["Nerve conditions"]


def test_home_is_paginated_and_later_pages_feature_nothing(client):
    for n in range(11):
        ArticleFactory(title=f"A{n}", published_at=days_ago(n + 1))
    first = soup(client.get("/"))
    assert first.select_one(".featured h2").get_text() == "A0"
    assert len(first.select(".teaser")) == 9
    second = soup(client.get("/?page=2"))
    assert second.select_one(".featured") is None
    assert [a.get_text() for a in second.select(".teaser h3 a")] == ["A10"]


def test_topics_page_lists_topics_with_articles(client, neuropathy):
    TopicFactory(name="Empty topic")
    ArticleFactory(topic=neuropathy)
    page = soup(client.get("/topics/"))
    assert [a.get_text() for a in page.select(".topic-list > li > a")] == ["Nerve conditions"]
    assert page.select_one(".subtopics a")["href"] == "/topics/peripheral-neuropathy/"


def test_topics_stop_at_two_levels(neuropathy):
    deeper = Topic(name="Deeper", slug="deeper", parent=neuropathy)
    with pytest.raises(ValidationError, match="subtopics stop here"):
        deeper.full_clean()
    neuropathy.parent.parent = TopicFactory(name="Other main topic")
    with pytest.raises(ValidationError, match="has subtopics"):
        neuropathy.parent.full_clean()


def test_sitemap_lists_topics_tags_and_public_people_that_have_articles(client, neuropathy):
    tag = TagFactory(name="Exercise", slug="exercise")
    TagFactory(name="Unused", slug="unused")
    TopicFactory(name="Empty", slug="empty")
    ArticleFactory(topic=neuropathy, tags=[tag])
    locs = {
        url.findtext(f"{SITEMAP}loc")
        for url in ET.fromstring(client.get("/sitemap.xml").content).findall(f"{SITEMAP}url")
    }
    assert {
        f"{SITE}/topics/peripheral-neuropathy/",
        f"{SITE}/topics/nerve-conditions/",
        f"{SITE}/tags/exercise/",
        f"{SITE}/people/editorial-team/",
    } <= locs
    assert f"{SITE}/tags/unused/" not in locs
    assert f"{SITE}/topics/empty/" not in locs


@pytest.mark.parametrize("url", ["/", "/topics/peripheral-neuropathy/", "/tags/exercise/"])
def test_list_queries_do_not_grow_with_articles(client, neuropathy, url, django_assert_num_queries):
    """The home, topic and tag pages cost the same number of queries for 1 article as for
    200: people, topics and comment counts come with the page, never one per article."""
    tag = TagFactory(name="Exercise", slug="exercise")
    ArticleFactory(topic=neuropathy, tags=[tag])
    client.get(url)  # the content-type cache
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(199):
        article = ArticleFactory(topic=neuropathy, tags=[tag], published_at=days_ago(n + 2))
        CommentFactory(article=article)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200


def test_article_queries_do_not_grow_with_articles_in_its_topic(client, neuropathy):
    """Related articles and previous/next are a fixed number of queries however many
    articles share the topic and tags."""
    tag = TagFactory(name="Exercise", slug="exercise")
    article = ArticleFactory(topic=neuropathy, tags=[tag], published_at=days_ago(100))
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(article.get_absolute_url())
    for n in range(199):
        ArticleFactory(topic=neuropathy, tags=[tag], published_at=days_ago(n % 150 + 1))
    with CaptureQueriesContext(connection) as many:
        client.get(article.get_absolute_url())
    assert len(many.captured_queries) == len(one.captured_queries)
    assert Article.objects.count() == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_turns_topic_text_into_topics_and_back():
    """Each distinct topic text becomes one topic (case and spacing aside); going back
    writes the names back into the text field."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("articles", "0007_people")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("articles")
    executor.migrate(before)
    old_article = executor.loader.project_state(before).apps.get_model("articles", "Article")
    common = {"summary": "s", "body": "b", "status": "published"}
    a = old_article.objects.create(title="A", slug="a", topic="Sciatica", **common)
    old_article.objects.create(title="B", slug="b", topic="sciatica ", **common)
    old_article.objects.create(title="C", slug="c", topic="", **common)
    # A version saved before (History): its topic is text too, and must stay readable.
    version = Version.objects.create(
        revision=Revision.objects.create(date_created=timezone.now(), comment="Old"),
        object_id=str(a.pk),
        content_type=ContentType.objects.get(app_label="articles", model="article"),
        db="default",
        format="json",
        serialized_data=serializers.serialize("json", [a]),
        object_repr="A",
    )

    MigrationExecutor(connection).migrate(latest)
    assert list(Topic.objects.values_list("name", "slug")) == [("Sciatica", "sciatica")]
    topics = dict(Article.objects.values_list("slug", "topic__name"))
    assert topics == {"a": "Sciatica", "b": "Sciatica", "c": None}
    version.refresh_from_db()
    assert version.field_dict["topic_id"] == Topic.objects.get().pk

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_article = executor.loader.project_state(before).apps.get_model("articles", "Article")
    assert dict(old_article.objects.values_list("slug", "topic")) == {
        "a": "Sciatica",
        "b": "Sciatica",
        "c": "",
    }
    version.refresh_from_db()
    assert json.loads(version.serialized_data)[0]["fields"]["topic"] == "Sciatica"
    MigrationExecutor(connection).migrate(latest)


def test_home_json_ld_names_the_site_its_search_and_its_publisher(client):
    page = soup(client.get("/"))
    website, organization = json.loads(page.find("script", type="application/ld+json").string)[
        "@graph"
    ]
    assert website["@id"] == f"{SITE}/#website"
    assert website["potentialAction"]["target"]["urlTemplate"] == (
        f"{SITE}/search/?q={{search_term_string}}"
    )
    assert organization["logo"]["url"] == f"{SITE}/static/img/logo.png"


def test_a_topic_card_shows_its_whole_description(client, neuropathy):
    """The card cut the editor's description at 18 words ("…, how it is treated, and …"),
    on a card a whole row wide; it is whole, and the style sheet keeps a long one to four lines."""
    neuropathy.parent.description = (
        "Damage to the nerves outside the brain and spinal cord: why it hurts, how it is "
        "treated, and how to live well with it."
    )
    neuropathy.parent.save()
    ArticleFactory(topic=neuropathy)
    page = soup(client.get("/topics/"))
    assert page.select_one(".topic-list > li > p").get_text() == neuropathy.parent.description


def test_the_header_shows_a_topics_page_is_in_topics(client, neuropathy):
    """On a topic's page the header's "Topics" was not marked as on the topics list, and a main
    topic has no breadcrumb: nothing on the page said where the reader was. It is marked as
    the current section ("true"), the list itself as the current page."""
    article = ArticleFactory(topic=neuropathy)

    def topics_link(url):
        return soup(client.get(url)).select_one("header nav a[href='/topics/']")

    assert topics_link("/topics/")["aria-current"] == "page"
    assert topics_link("/topics/nerve-conditions/")["aria-current"] == "true"
    assert topics_link("/topics/peripheral-neuropathy/")["aria-current"] == "true"
    assert topics_link(article.get_absolute_url()).get("aria-current") is None
    assert topics_link("/").get("aria-current") is None


def test_a_main_topics_page_leads_back_to_all_topics(client, neuropathy):
    """A main topic's page reached the list of all topics only through the header; like every
    topic page (its address is under /topics/) it now has the trail Home > Topics, on a phone
    "Back to Topics" (NHS.UK: Home > Health A to Z > a condition). Its JSON-LD says the same."""
    page = soup(client.get("/topics/nerve-conditions/"))
    trail = page.select_one("nav.breadcrumbs")
    assert [(a.get_text(), a["href"]) for a in trail.select("li a")] == [
        ("Home", "/"),
        ("Topics", "/topics/"),
    ]
    assert trail.select_one(".breadcrumb-back a").get_text() == "Back to Topics"
    graph = {
        node["@type"]: node
        for node in json.loads(page.select_one("script[type='application/ld+json']").string)[
            "@graph"
        ]
    }
    names = [item["name"] for item in graph["BreadcrumbList"]["itemListElement"]]
    assert names == ["Home", "Topics", "Nerve conditions"]


def test_a_topics_count_says_what_it_counts_to_a_screen_reader(client):
    """ "Peripheral neuropathy (1)": one what? Read aloud, the number stood alone."""
    topic = TopicFactory(name="Peripheral neuropathy")
    ArticleFactory(topic=topic)
    page = BeautifulSoup(client.get("/topics/").content, "html.parser")
    count = page.select_one(".topic-list > li > .meta")
    assert count.get_text() == "(1 article)"
    assert count.select_one(".visually-hidden").get_text() == " article"
