"""The Topics, Tags and People lists say how many articles each has, linked to the articles
list showing those articles, as WordPress's Tags ("Count") and Users ("Posts") screens do."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, PersonFactory, TagFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db


def rows(response, column, part=""):
    """Each row's name and its ``column`` cell, or the ``part`` of it (its text and its link,
    if any)."""
    page = BeautifulSoup(response.content, "html.parser")
    found = {}
    for row in page.select("#result_list tbody tr"):
        name = row.select_one("th a").find(string=True).strip()  # not the line under it
        cell = row.select_one(f".field-{column} {part}".strip())
        link = cell.find("a")
        found[name] = (cell.get_text(" ", strip=True), link["href"] if link else None)
    return found


def titles(admin_client, url):
    page = BeautifulSoup(admin_client.get(url).content, "html.parser")
    return {a.get_text(strip=True) for a in page.select("#result_list tbody th a")}


def test_each_tag_counts_its_articles_and_links_to_them(admin_client):
    """The Tags list said only each tag's name and slug: which articles carry one was found by
    opening every article."""
    sciatica, diabetes = TagFactory(name="sciatica"), TagFactory(name="diabetes")
    TagFactory(name="unused")
    ArticleFactory(title="Sciatica at night", tags=[sciatica])
    ArticleFactory(title="Both", tags=[sciatica, diabetes])
    ArticleFactory(title="Untagged draft", draft=True)

    found = rows(admin_client.get("/admin/articles/tag/"), "article_count")
    assert found["unused"] == ("No article", None)
    text, url = found["sciatica"]
    assert text == "2 articles"
    assert url.startswith("/admin/articles/article/?")
    assert titles(admin_client, url) == {"Sciatica at night", "Both"}
    assert titles(admin_client, found["diabetes"][1]) == {"Both"}


def test_each_topic_counts_its_articles_and_links_to_them(admin_client):
    """A topic with articles cannot be deleted (they keep it): the list now says which."""
    neuropathy = TopicFactory(name="Neuropathy")
    TopicFactory(name="Empty")
    ArticleFactory(title="Burning feet", topic=neuropathy)
    ArticleFactory(title="Numb hands", topic=neuropathy, draft=True)
    ArticleFactory(title="Elsewhere")

    found = rows(admin_client.get("/admin/articles/topic/"), "article_count")
    assert found["Empty"] == ("No article", None)
    text, url = found["Neuropathy"]
    assert text == "2 articles"
    assert titles(admin_client, url) == {"Burning feet", "Numb hands"}


def test_each_person_counts_the_articles_they_wrote_and_reviewed(admin_client):
    """An editor replacing a reviewer who left needs the articles they signed off: the People
    list did not say, and the articles list could not show them."""
    haddad, okoro = PersonFactory(name="Amira Haddad"), PersonFactory(name="Sam Okoro")
    ArticleFactory(title="Reviewed by Haddad", reviewed_by=haddad)
    ArticleFactory(title="Also reviewed", reviewed_by=haddad, byline=okoro)
    ArticleFactory(title="Neither")

    response = admin_client.get("/admin/articles/person/")
    written, reviewed = (
        rows(response, "articles", ".person-byline"),
        rows(response, "articles", ".person-reviewed"),
    )
    assert written["Amira Haddad"] == ("Byline: No article", None)
    assert reviewed["Amira Haddad"][0] == "Reviewed: 2 articles"
    assert titles(admin_client, reviewed["Amira Haddad"][1]) == {
        "Reviewed by Haddad",
        "Also reviewed",
    }
    assert written["Sam Okoro"][0] == "Byline: 1 article"
    assert titles(admin_client, written["Sam Okoro"][1]) == {"Also reviewed"}


def test_the_people_list_shows_each_login(admin_client):
    """The login went when "Articles" took its place: which person is which editor was seen
    only on each one's page. It is under the name, in the list's own query, and found by
    the search."""
    PersonFactory(name="Amira Haddad", user=UserFactory(username="amira.haddad"))
    PersonFactory(name="Team")
    page = BeautifulSoup(admin_client.get("/admin/articles/person/").content, "html.parser")
    names = {
        row.select_one("th a").find(string=True).strip(): row.select_one("th .help")
        for row in page.select("#result_list tbody tr")
    }
    assert names["Amira Haddad"].get_text(strip=True) == "login: amira.haddad"
    assert names["Team"] is None
    found = admin_client.get("/admin/articles/person/", {"q": "amira.haddad"})
    assert [
        a.find(string=True).strip()
        for a in BeautifulSoup(found.content, "html.parser").select("#result_list tbody th a")
    ] == ["Amira Haddad"]
    with CaptureQueriesContext(connection) as one:
        admin_client.get("/admin/articles/person/")
    for n in range(3):
        PersonFactory(user=UserFactory(username=f"editor{n}"))
    with CaptureQueriesContext(connection) as many:
        admin_client.get("/admin/articles/person/")
    assert len(many) == len(one)


def test_the_counts_cost_no_query_per_row(admin_client, django_assert_max_num_queries):
    """Counted in the list's own query, as the calls-to-action's are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = ["/admin/articles/tag/", "/admin/articles/topic/", "/admin/articles/person/"]
    TagFactory(), TopicFactory(), PersonFactory()
    budget = {}
    for url in urls:
        with CaptureQueriesContext(connection) as few:
            admin_client.get(url)
        budget[url] = len(few)
    for _ in range(4):
        person = PersonFactory()
        ArticleFactory(topic=TopicFactory(), tags=[TagFactory()], byline=person, reviewed_by=person)
    for url in urls:
        with django_assert_max_num_queries(budget[url]):
            admin_client.get(url)


def test_deleting_a_tag_names_the_articles_that_lose_it(admin_client):
    """The confirmation listed "Article-tag relationship: Article_tags object (4)" once per
    article: nothing said which articles would lose the tag."""
    sciatica = TagFactory(name="sciatica")
    published = ArticleFactory(title="Sciatica at night", tags=[sciatica])
    draft = ArticleFactory(title="Sciatica draft", tags=[sciatica], draft=True)
    ArticleFactory(title="Unrelated", tags=[TagFactory(name="other")])

    for response in [
        admin_client.get(f"/admin/articles/tag/{sciatica.pk}/delete/"),
        admin_client.post(
            "/admin/articles/tag/",
            {"action": "delete_selected", "_selected_action": [sciatica.pk]},
        ),
    ]:
        page = BeautifulSoup(response.content, "html.parser")
        text = page.select_one("#content").get_text(" ", strip=True)
        assert "Article_tags object" not in text and "relationship" not in text
        assert "Unrelated" not in text
        assert "Sciatica at night (Published)" in text and "Sciatica draft (Draft)" in text
        assert "Articles that lose the tag (the articles stay): 2" in text
        assert "Stays, without this tag: Sciatica at night (Published)" in text
        links = {a["href"] for a in page.select("#content li a")}
        assert {
            f"/admin/articles/article/{published.pk}/change/",
            f"/admin/articles/article/{draft.pk}/change/",
        } <= links

    admin_client.post(f"/admin/articles/tag/{sciatica.pk}/delete/", {"post": "yes"})
    assert list(published.tags.all()) == [] and published.pk  # the articles stay


@pytest.mark.parametrize("model", ["topic", "person"])
def test_a_topic_or_person_articles_use_says_how_to_delete_it(admin_client, model):
    """Django's "Cannot delete" page said deleting it "would require deleting" the articles, as
    if they could go with it, and not what to do instead."""
    if model == "topic":
        used = TopicFactory(name="Neuropathy")
        ArticleFactory(title="Burning feet", topic=used)
        fix = "choose another topic"
    else:
        used = PersonFactory(name="Amira Haddad")
        ArticleFactory(title="Burning feet", reviewed_by=used)
        fix = "choose another byline or reviewer"
    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/{model}/{used.pk}/delete/").content, "html.parser"
    )
    note = page.select_one(".protected-note").get_text(" ", strip=True)
    assert fix in note and "The articles are not deleted" in note
    # Our note alone, above the articles it speaks of: not Django's sentence under it too.
    content = page.select_one("#content").get_text(" ", strip=True)
    assert "would require deleting" not in content
    assert "Burning feet" in page.select_one("#content ul:not(.protected-note)").get_text()
    bulk = admin_client.post(
        f"/admin/articles/{model}/", {"action": "delete_selected", "_selected_action": [used.pk]}
    )
    page = BeautifulSoup(bulk.content, "html.parser")
    assert fix in page.select_one(".protected-note").get_text(" ", strip=True)
    assert "would require deleting" not in page.select_one("#content").get_text(" ", strip=True)
    assert "Burning feet" in page.select_one("#content ul:not(.protected-note)").get_text()

    for unused in [TopicFactory(name="Empty"), PersonFactory(name="Nobody")]:
        url = f"/admin/articles/{unused._meta.model_name}/{unused.pk}/delete/"
        assert (
            BeautifulSoup(admin_client.get(url).content, "html.parser").select_one(
                ".protected-note"
            )
            is None
        )
