"""People: authors, medical reviewers and the editorial team, with profile pages linked from
every byline and review line; only public people have a page."""

import datetime
import importlib
import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command

from articles.models import Article, Person
from tests.factories import ArticleFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://nervepain.example"
migration = importlib.import_module("articles.migrations.0007_people")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def graph_of(page):
    data = json.loads(page.find("script", type="application/ld+json").string)
    return data["@graph"]


@pytest.fixture
def ada():
    return PersonFactory(
        name="Dr Ada Nerve",
        slug="ada-nerve",
        credentials="MD",
        job_title="Consultant neurologist",
        bio="Ada treats people with nerve pain.",
        same_as="https://example.org/ada\nhttps://register.example/ada",
    )


def test_byline_links_the_writer_profile(client, ada):
    article = ArticleFactory(byline=ada)
    byline = soup(client.get(article.get_absolute_url())).select_one("p.byline")
    assert " ".join(byline.get_text().split()) == "By Dr Ada Nerve, MD"
    assert byline.a["href"] == "/people/ada-nerve/"


def test_byline_is_the_author_profile_when_none_is_chosen(client, ada):
    ada.user = UserFactory(first_name="Ada", last_name="Account")
    ada.save()
    article = ArticleFactory(author=ada.user)
    assert article.writer == ada
    byline = soup(client.get(article.get_absolute_url())).select_one("p.byline")
    assert byline.a.get_text() == "Dr Ada Nerve"


def test_a_private_person_is_named_but_not_linked_and_has_no_page(client, ada):
    ada.is_public = False
    ada.save()
    article = ArticleFactory(byline=ada)
    byline = soup(client.get(article.get_absolute_url())).select_one("p.byline")
    assert byline.get_text() == "By Dr Ada Nerve, MD"
    assert byline.a is None
    assert client.get("/people/ada-nerve/").status_code == 404


def test_review_line_links_the_reviewer(client, ada):
    article = ArticleFactory()
    article.sign_off_review(ada, on=datetime.date(2026, 3, 10))
    article.save()
    review = soup(client.get(article.get_absolute_url())).select_one("p.review")
    assert " ".join(review.get_text().split()) == (
        "Medically reviewed by Dr Ada Nerve, MD, 10 March 2026"
    )
    assert review.a["href"] == "/people/ada-nerve/"


def test_profile_page_shows_the_person_and_their_articles(client, ada):
    written = ArticleFactory(title="Written by Ada", byline=ada)
    reviewed = ArticleFactory(title="Reviewed by Ada")
    reviewed.sign_off_review(ada)
    reviewed.save()
    ArticleFactory(title="Draft by Ada", byline=ada, draft=True)
    ArticleFactory(title="Someone else's")
    page = soup(client.get("/people/ada-nerve/"))
    assert page.h1.get_text() == "Dr Ada Nerve, MD"
    assert page.select_one(".role").get_text() == "Consultant neurologist"
    assert page.select_one(".bio").get_text() == "Ada treats people with nerve pain."
    assert [a["href"] for a in page.select(".same-as a")] == [
        "https://example.org/ada",
        "https://register.example/ada",
    ]
    titles = {a.get_text() for a in page.select(".teaser h3 a")}
    assert titles == {written.title, reviewed.title}


def test_profile_json_ld_is_a_person_with_its_properties(client, ada):
    graph = graph_of(soup(client.get("/people/ada-nerve/")))
    profile_page, person = graph
    assert profile_page["@type"] == "ProfilePage"
    assert profile_page["mainEntity"] == {"@id": f"{SITE}/people/ada-nerve/#person"}
    assert person == {
        "@type": "Person",
        "@id": f"{SITE}/people/ada-nerve/#person",
        "name": "Dr Ada Nerve",
        "honorificSuffix": "MD",
        "jobTitle": "Consultant neurologist",
        "description": "Ada treats people with nerve pain.",
        "url": f"{SITE}/people/ada-nerve/",
        "sameAs": ["https://example.org/ada", "https://register.example/ada"],
    }


def test_article_json_ld_names_the_writer(client, ada):
    article = ArticleFactory(byline=ada)
    graph = graph_of(soup(client.get(article.get_absolute_url())))
    article_node = next(node for node in graph if node["@type"] == "Article")
    assert article_node["author"] == {"@id": f"{SITE}/people/ada-nerve/#person"}
    assert any(node.get("@id") == f"{SITE}/people/ada-nerve/#person" for node in graph)


def test_links_must_be_web_addresses():
    person = PersonFactory.build(slug="x", same_as="https://ok.example\njavascript:alert(1)")
    with pytest.raises(ValidationError, match="Not a web address"):
        person.full_clean()
    person.same_as = "javascript:alert(1)"
    assert person.links == []  # data written around the form never reaches an href


def test_the_seed_article_is_bylined_to_the_editorial_team_not_a_person(client):
    call_command("load_seed")
    article = Article.objects.get()
    page = soup(client.get(article.get_absolute_url()))
    byline = page.select_one("p.byline")
    assert byline.get_text() == "By The nervepain editorial team"
    team_url = byline.a["href"]
    assert team_url == "/people/editorial-team/"
    team_page = soup(client.get(team_url))
    assert "a team, not a person" in team_page.get_text()
    assert team_page.select_one(".teaser h3 a")["href"] == article.get_absolute_url()
    nodes = {node["@id"]: node for node in graph_of(page) if "@id" in node}
    team = nodes[f"{SITE}/people/editorial-team/#person"]
    assert team["@type"] == "Organization"


def test_profile_queries_do_not_grow_with_articles(client, ada, django_assert_num_queries):
    """Person, count, one page of articles with their people and topics, their comment
    counts: 4 queries, for 1 article or 200 (a query per byline would grow with the page)."""
    ArticleFactory(byline=ada)
    client.get("/people/ada-nerve/")  # the content-type cache
    with django_assert_num_queries(4):
        client.get("/people/ada-nerve/")
    for n in range(199):
        ArticleFactory(byline=PersonFactory() if n % 2 else ada, author=UserFactory())
    with django_assert_num_queries(4):
        assert client.get("/people/ada-nerve/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_maps_reviewers_and_authors_and_can_be_reversed():
    """Back before it and forward again: reviewers keep their sign-offs and get public
    profiles, authors get private ones, and articles no one person wrote get the team."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("articles", "0006_site_settings_and_publisher_pages")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("articles")
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Reviewer = old.get_model("articles", "Reviewer")
    old_article = old.get_model("articles", "Article")
    User = old.get_model("auth", "User")
    reviewer = Reviewer.objects.create(
        name="Dr Old Reviewer", job_title="GP", profile_url="https://example.org/old"
    )
    author = User.objects.create(username="wes", first_name="Wes", last_name="Writer")
    common = {"summary": "s", "body": "b", "status": "published"}
    old_article.objects.create(title="Authored", slug="authored", author=author, **common)
    old_article.objects.create(
        title="Unauthored", slug="unauthored", reviewed_by=reviewer, **common
    )

    MigrationExecutor(connection).migrate(latest)

    reviewed = Person.objects.get(pk=reviewer.pk)
    assert (reviewed.slug, reviewed.same_as, reviewed.is_public) == (
        "dr-old-reviewer",
        "https://example.org/old",
        True,
    )
    profile = Person.objects.get(user_id=author.pk)
    assert (profile.name, profile.is_public) == ("Wes Writer", False)
    team = Person.objects.get(slug=migration.TEAM_SLUG)
    assert team.is_team
    assert Article.objects.get(slug="unauthored").byline == team
    assert Article.objects.get(slug="unauthored").reviewed_by == reviewed
    assert Article.objects.get(slug="authored").byline is None
