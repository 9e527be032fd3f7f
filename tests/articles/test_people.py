"""People: authors, medical reviewers and the editorial team, with profile pages linked from
every byline and review line; only public people have a page."""

import datetime
import importlib
import io
import json
import os

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import ExifTags, Image

from articles.models import Article, Person
from articles.uploads import PROFILE_PHOTO_SIZE
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
        "Medically reviewed by Dr Ada Nerve, MD, on 10 March 2026"
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


def photo_upload(size=(1200, 800), fmt="JPEG", name="me at home.jpg"):
    """A camera's photo: the maker and a GPS position in its EXIF data."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "CameraMaker"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt, exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def person_post(**extra):
    return {
        "name": "Dr Ada Nerve",
        "slug": "ada-nerve",
        "kind": Person.Kind.PERSON,
        "credentials": "MD",
        "job_title": "",
        "bio": "",
        "same_as": "",
        "is_public": "on",
        **extra,
    }


def test_a_photo_is_stored_as_the_small_square_readers_see_without_its_metadata(
    admin_client, settings
):
    """Readers see the photo as a 96 px circle: a camera's 1200 x 800 file, with the GPS
    position of where it was taken, is neither sent to them nor kept."""
    response = admin_client.post("/admin/articles/person/add/", person_post(photo=photo_upload()))
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Person.objects.get(slug="ada-nerve").photo
    assert photo.name.startswith("people/") and "home" not in photo.name
    with Image.open(photo.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()
        assert stored.size == (PROFILE_PHOTO_SIZE, PROFILE_PHOTO_SIZE)
    page = soup(admin_client.get("/people/ada-nerve/"))
    assert page.select_one(".profile img")["src"] == photo.url
    person = Person.objects.get(slug="ada-nerve")
    editor = soup(admin_client.get(f"/admin/articles/person/{person.pk}/change/"))
    assert editor.select_one(".field-photo_preview img")["src"] == photo.url  # what was kept


def test_a_photo_sent_with_a_form_that_has_errors_is_not_shown_as_stored(admin_client):
    """The form comes back with the slug taken: the photo was checked but not stored, so the
    page shows no picture of it (its address would lead nowhere)."""
    PersonFactory(slug="ada-nerve")
    response = admin_client.post("/admin/articles/person/add/", person_post(photo=photo_upload()))
    assert response.status_code == 200 and "slug" in response.context["adminform"].form.errors
    assert soup(response).select_one(".field-photo_preview img") is None


def test_a_small_photo_is_not_enlarged(admin_client):
    response = admin_client.post(
        "/admin/articles/person/add/", person_post(photo=photo_upload(size=(120, 90), fmt="PNG"))
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    with Image.open(Person.objects.get(slug="ada-nerve").photo.path) as stored:
        assert stored.format == "PNG" and stored.size == (90, 90)


def test_a_file_that_is_not_a_photo_is_refused_with_the_reason(admin_client):
    svg = SimpleUploadedFile("me.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/jpeg")
    response = admin_client.post("/admin/articles/person/add/", person_post(photo=svg))
    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    assert not Person.objects.filter(slug="ada-nerve").exists()


def test_photos_uploaded_before_are_made_small_squares_without_metadata(settings):
    """The migration re-encodes what the admin kept as sent; a missing file stays named."""
    from django.apps import apps

    photos = importlib.import_module("articles.migrations.0012_person_photos_as_small_squares")
    ada = PersonFactory(slug="ada")
    ada.photo.save("me at home.jpg", photo_upload(size=(900, 1200)))
    gone = PersonFactory(slug="gone", photo="people/gone.jpg")
    old = ada.photo.path

    photos.reencode_photos(apps, None)

    ada.refresh_from_db()
    assert ada.photo.name.startswith("people/") and "home" not in ada.photo.name
    with Image.open(ada.photo.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif() and stored.size == (288, 288)
    assert not os.path.exists(old)
    gone.refresh_from_db()
    assert gone.photo.name == "people/gone.jpg"
