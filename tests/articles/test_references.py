"""References: structured sources, numbered in their order, cited from the text by [@key]."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from articles.models import Article, Reference
from tests.factories import ArticleFactory, ReferenceFactory

pytestmark = pytest.mark.django_db


def page_of(client, article):
    return BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")


@pytest.fixture
def cited():
    """An article citing two sources, entered in the admin's order (position)."""
    article = ArticleFactory(body="Rest helps [@nhs-rest]. Ice too [@mayo-ice].")
    ReferenceFactory(
        article=article,
        position=2,
        key="mayo-ice",
        title="Ice and heat",
        publisher="Mayo Clinic",
        url="https://www.mayoclinic.org/ice",
        accessed_on=None,
    )
    ReferenceFactory(
        article=article,
        position=1,
        key="nhs-rest",
        title="Resting after injury",
        publisher="NHS",
        url="https://www.nhs.uk/rest/",
        accessed_on=datetime.date(2026, 2, 3),
    )
    article.refresh_from_db()
    return article


def test_references_are_listed_in_order_at_the_end(client, cited):
    page = page_of(client, cited)
    section = page.select_one("section.references")
    assert section.h2.get_text() == "References"
    items = section.select("ol > li")
    assert [li["id"] for li in items] == ["ref-nhs-rest", "ref-mayo-ice"]
    assert " ".join(items[0].get_text().split()) == (
        "Resting after injury. NHS. Accessed 3 February 2026. Back to text (reference 1)"
    )
    assert items[0].a["href"] == "https://www.nhs.uk/rest/"
    assert "noopener" in items[0].a["rel"]
    assert items[0].time["datetime"] == "2026-02-03"
    assert "Accessed" not in items[1].get_text()
    # The list follows the article, outside its body.
    assert section.find_previous("div", class_="article-body") is not None
    assert page.select_one(".article-body section.references") is None


def test_citations_link_to_their_reference_with_its_number(client, cited):
    page = page_of(client, cited)
    citations = page.select(".article-body sup.citation a")
    assert [(a["href"], a.get_text()) for a in citations] == [
        ("#ref-nhs-rest", "Reference 1"),
        ("#ref-mayo-ice", "Reference 2"),
    ]
    for link in citations:
        assert page.find(id=link["href"][1:]).find_parent("section")["class"] == ["references"]


def test_each_cited_reference_leads_back_to_where_the_text_first_cites_it(client, cited):
    """The number took the reader down to the reference, with no way back but a long scroll
    on a phone or the Back button (Wikipedia and NHS-style notes have one)."""
    cited.body = "Rest helps [@nhs-rest]. Ice too [@mayo-ice]. Rest again [@nhs-rest]."
    cited.save()
    ReferenceFactory(article=cited, position=3, key="uncited", title="Further reading")
    cited.refresh_from_db()
    page = page_of(client, cited)
    sups = page.select(".article-body sup.citation")
    assert [sup.get("id") for sup in sups] == ["cite-nhs-rest", "cite-mayo-ice", None]
    backs = {li["id"]: li.select_one("a.ref-back") for li in page.select("section.references li")}
    assert backs["ref-nhs-rest"]["href"] == "#cite-nhs-rest"
    assert backs["ref-nhs-rest"].get_text() == "Back to text (reference 1)"
    assert backs["ref-mayo-ice"]["href"] == "#cite-mayo-ice"
    assert backs["ref-uncited"] is None  # nothing in the text to go back to


def test_an_editor_cannot_write_a_citations_id(cited):
    cited.body = 'Rest helps. <span id="cite-nhs-rest">Here</span> [@mayo-ice]'
    cited.save()
    cited.refresh_from_db()
    assert cited.body_html.count('id="cite-') == 1 and 'id="cite-mayo-ice"' in cited.body_html


def test_reordering_references_renumbers_the_citations(cited):
    """Saving a reference renders the article again: the numbers follow the new order."""
    mayo = cited.references.get(key="mayo-ice")
    mayo.position = 0
    mayo.save()
    cited.refresh_from_db()
    assert [a.get_text() for a in BeautifulSoup(cited.body_html, "html.parser").select("a")] == [
        "Reference 2",
        "Reference 1",
    ]


def test_deleting_a_reference_leaves_its_citation_visible_as_typed(cited):
    cited.references.get(key="mayo-ice").delete()
    cited.refresh_from_db()
    assert "[@mayo-ice]" in cited.body_html
    assert 'href="#ref-nhs-rest"' in cited.body_html


def test_table_of_contents_ends_with_the_references(client, cited):
    cited.body = "## Rest\n\nRest [@nhs-rest].\n\n## Ice\n\nIce [@mayo-ice]."
    cited.save()
    toc = page_of(client, cited).select_one("nav.toc")
    assert [a["href"] for a in toc.find_all("a")] == ["#rest", "#ice", "#references-heading"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "/relative"])
def test_reference_links_must_be_web_addresses(url):
    reference = ReferenceFactory.build(article=ArticleFactory(), url=url)
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert "url" in error.value.message_dict


def test_reference_keys_are_unique_within_an_article():
    article = ArticleFactory()
    ReferenceFactory(article=article, key="same")
    duplicate = ReferenceFactory.build(article=article, key="same")
    with pytest.raises(ValidationError):
        duplicate.validate_constraints()


def test_references_are_added_in_the_admin_and_cited_on_save(admin_client):
    response = admin_client.post(
        "/admin/articles/article/add/",
        {
            "title": "Cited",
            "slug": "cited",
            "summary": "Summary.",
            "body": "Fact [@nice].",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "references-TOTAL_FORMS": "1",
            "references-INITIAL_FORMS": "0",
            "references-0-position": "1",
            "references-0-key": "nice",
            "references-0-title": "Neuropathic pain",
            "references-0-publisher": "NICE",
            "references-0-url": "https://www.nice.org.uk/guidance/cg173",
            "references-0-accessed_on": "2026-01-20",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="cited")
    assert Reference.objects.get().article == article
    assert 'href="#ref-nice"' in article.body_html


def test_reference_link_goes_to_its_place_in_the_list(cited):
    reference = cited.references.get(key="nhs-rest")
    assert reference.get_absolute_url() == f"{cited.get_absolute_url()}#ref-nhs-rest"


def test_links_that_skip_validation_are_never_put_in_an_href(client):
    """Data written around the forms (a shell, an import) cannot turn into a script link."""
    from tests.factories import PersonFactory

    article = ArticleFactory()
    ReferenceFactory(article=article, url="javascript:alert(1)", title="Bad source")
    article.refresh_from_db()
    article.sign_off_review(PersonFactory(same_as="javascript:alert(2)"))
    article.save()
    content = client.get(article.get_absolute_url()).content.decode()
    assert "javascript:" not in content
    assert "Bad source" in content


def _form_as_sent(html):
    """The article form's fields as a browser sends them, untouched."""
    form = BeautifulSoup(html, "html.parser").select_one("form#article_form")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text()
            if data[name].startswith("\n"):
                data[name] = data[name][1:]  # as the HTML parser of a browser drops it
        elif field.name == "select":
            chosen = [option["value"] for option in field.select("option[selected]")]
            if field.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else field.select_one("option")["value"]
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("file", "submit", "button"):
            data[name] = field.get("value", "")
    return data


def test_the_blank_reference_row_is_numbered_after_the_saved_ones(admin_client):
    """References stored as 2 and 3 (the first deleted) are shown as readers number them, 1
    and 2, and saved so; the blank row is 3: a reference written there is listed last."""
    article = ArticleFactory(body="Walk [@walk]. Rest [@rest]. Stretch [@stretch].")
    ReferenceFactory(article=article, position=2, key="walk")
    ReferenceFactory(article=article, position=3, key="rest")
    url = f"/admin/articles/article/{article.pk}/change/"
    response = admin_client.get(url)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("#id_references-0-position")["value"] == "1"
    assert page.select_one("#id_references-1-position")["value"] == "2"
    assert page.select_one("#id_references-2-position")["value"] == "3"

    data = _form_as_sent(response.content)
    data |= {
        "references-2-key": "stretch",
        "references-2-title": "Stretching",
        "references-2-publisher": "NHS",
        "references-2-url": "https://www.nhs.uk/",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rows = list(article.references.values_list("key", "position"))
    assert rows == [("walk", 1), ("rest", 2), ("stretch", 3)]


def test_the_editor_numbers_references_as_readers_do(admin_client, client):
    """Stored as 4, 7 and 9 (numbers typed, rows deleted), the list readers see is 1, 2, 3:
    the editor shows the same numbers, and a reference moved by its number lands where the
    editor put it."""
    article = ArticleFactory(body="[@a] [@b] [@c]", status=Article.Status.PUBLISHED)
    for position, key in [(4, "a"), (7, "b"), (9, "c")]:
        ReferenceFactory(article=article, position=position, key=key)
    url = f"/admin/articles/article/{article.pk}/change/"
    response = admin_client.get(url)
    page = BeautifulSoup(response.content, "html.parser")
    shown = [page.select_one(f"#id_references-{n}-position")["value"] for n in range(3)]
    assert shown == ["1", "2", "3"]
    heading = page.select_one("#references-group thead th.column-position")
    assert heading.get_text(strip=True) == "Number"  # as on a phone's card; it was "Position"
    assert page.select_one("#id_references-0-position")["aria-label"] == "Number, reference 1"

    # "c" made number 2, as the editor's script sorts and renumbers the rows before saving.
    data = _form_as_sent(response.content)
    data |= {"references-1-position": "3", "references-2-position": "2"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(article.references.values_list("key", flat=True)) == ["a", "c", "b"]
    readers = [li["id"] for li in page_of(client, article).select(".references li")]
    assert readers == ["ref-a", "ref-c", "ref-b"]


def test_a_renumbered_reference_says_so_in_the_history(admin_client):
    """Saved with the numbers readers see (1, 2 for references stored as 2, 3), the rows the
    editor did not touch were saved with an empty list of changed fields: the article's
    history read "Changed  for reference “…”", naming nothing."""
    from django.contrib.admin.models import LogEntry

    article = ArticleFactory(body="Walk [@walk]. Rest [@rest].")
    ReferenceFactory(article=article, position=2, key="walk", title="Walking")
    ReferenceFactory(article=article, position=3, key="rest", title="Resting")
    url = f"/admin/articles/article/{article.pk}/change/"
    response = admin_client.post(url, _form_as_sent(admin_client.get(url).content))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(article.references.values_list("position", flat=True)) == [1, 2]
    message = LogEntry.objects.filter(object_id=str(article.pk)).latest("pk").get_change_message()
    assert "Changed number for reference “Walking”." in message, message
    assert "Changed  for" not in message


@pytest.mark.parametrize("saved", [False, True])
def test_every_heading_of_the_references_table_has_a_name(admin_client, saved):
    """Django's tabular inline left its first column's heading empty (axe: "empty-table-header"),
    so a screen reader announced the saved reference's cell under no heading. It is named
    "Reference", for screen readers only: the table looks as it did."""
    article = ArticleFactory(body="Walk [@walk].")
    if saved:
        ReferenceFactory(article=article, position=1, key="walk")
    page = BeautifulSoup(
        admin_client.get(f"/admin/articles/article/{article.pk}/change/").content, "html.parser"
    )
    headings = page.select("#references-group table thead th")
    first = headings[0]
    assert "original" in first["class"]
    assert first.get_text(strip=True) == "Reference"
    assert first.select_one(".visually-hidden").get_text() == "Reference"
    assert all(th.get_text(strip=True) for th in headings), [str(th) for th in headings]
