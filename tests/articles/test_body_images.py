"""The editors' uploaded images (Articles, Images): every image uploaded in an editor, where it
is shown, and deleting one nothing shows, with its copies."""

import importlib
import io
import re

import pytest
import reversion
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.flatpages.models import FlatPage
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from articles.images import unused
from articles.models import ArticleDraft, BodyImage
from articles.uploads import StaffUploadedImagesView
from tests.factories import ArticleFactory, CallToActionFactory

pytestmark = pytest.mark.django_db

IMAGES = "/admin/articles/bodyimage/"
migration = importlib.import_module("articles.migrations.0017_body_images")


def listed(response):
    """The Images list as read: without the <wbr> that say where a long file name may wrap, or
    the pieces its random part is kept in."""
    content = re.sub(rb'<span class="name-run">([0-9a-f]+)</span>', rb"\1", response.content)
    return BeautifulSoup(content.replace(b"<wbr>", b""), "html.parser")


def upload(client, size=(1200, 800), name="knee.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    response = client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    return response.json()["url"]


def test_an_upload_is_listed_with_its_size_and_who_uploaded_it(admin_client, admin_user):
    url = upload(admin_client)
    image = BodyImage.objects.get()
    assert url == f"/media/{image.path}"
    assert (image.width, image.height, image.uploaded_by) == (1200, 800, admin_user)
    assert image.original_name == "knee.png"  # for staff; the stored name is the server's
    assert image.stored_files() == [
        image.path,
        image.path.replace(".png", "-480w.png"),
        image.path.replace(".png", "-960w.png"),
    ]
    assert all(default_storage.exists(name) for name in image.stored_files())
    page = listed(admin_client.get(IMAGES))
    row = page.select_one("#result_list tbody tr")
    assert row.select_one("img.image-thumb")["src"] == url.replace(".png", "-480w.png")
    assert (
        row.select_one(".field-size").get_text()
        == "1200\N{NO-BREAK SPACE}\N{MULTIPLICATION SIGN} 800"
    )
    assert row.select_one(".field-name").get_text(" ", strip=True) == (
        f"knee.png stored as {image.stored_name}"
    )
    assert row.select_one(".field-shown_in").get_text() == "Nothing: it can be deleted."


def test_the_list_says_what_shows_each_image(admin_client):
    shown = upload(admin_client, name="shown.png")
    upload(admin_client, (300, 200), name="unused.png")
    article = ArticleFactory(title="Knee exercises", body=f"Text.\n\n![A knee]({shown})\n")
    FlatPage.objects.filter(url="/about/").update(content=f"![Us]({shown})")
    CallToActionFactory(name="Physio offer", text=f"![Physio]({shown})")
    page = listed(admin_client.get(IMAGES))
    cells = {
        row.select_one(".field-name a").contents[0]: row.select_one(".field-shown_in")
        for row in page.select("#result_list tbody tr")
    }
    links = [(a.get_text(), a["href"]) for a in cells["shown.png"].select("a")]
    about = FlatPage.objects.get(url="/about/")
    assert links[0] == ("Article: Knee exercises", f"/admin/articles/article/{article.pk}/change/")
    assert links[1] == (
        "Page: About nervepain",
        f"/admin/articles/publisherpage/{about.pk}/change/",
    )
    assert links[2][0] == "Call-to-action: Physio offer"
    assert cells["unused.png"].get_text() == "Nothing: it can be deleted."


def test_an_unused_image_is_deleted_with_its_copies(
    admin_client, django_capture_on_commit_callbacks
):
    upload(admin_client)
    image = BodyImage.objects.get()
    files = image.stored_files()
    page = BeautifulSoup(admin_client.get(f"{IMAGES}{image.pk}/change/").content, "html.parser")
    assert page.select_one("a.deletelink") is not None
    assert (
        f"![describe the image](/media/{image.path})"
        in page.select_one(".image-markdown").get_text()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{IMAGES}{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not BodyImage.objects.exists()
    assert not any(default_storage.exists(name) for name in files)


@pytest.mark.parametrize("where", ["article", "draft"])
def test_an_image_something_shows_cannot_be_deleted(admin_client, admin_user, where):
    """Shown by an article, or only in an unsaved draft in the editor (its autosave)."""
    url = upload(admin_client)
    if where == "article":
        ArticleFactory(body=f"![A knee]({url})")
    else:
        ArticleDraft.objects.create(user=admin_user, key="new", data={"body": f"![]({url})"})
    image = BodyImage.objects.get()
    page = BeautifulSoup(admin_client.get(f"{IMAGES}{image.pk}/change/").content, "html.parser")
    assert page.select_one("a.deletelink") is None
    # Its delete page opened before it was put in a text (or the address typed): it answered
    # "You cannot open this page"; now its own page, saying why and where it is shown.
    response = admin_client.post(f"{IMAGES}{image.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.redirect_chain == [(f"{IMAGES}{image.pk}/change/", 302)]
    [message] = [str(m) for m in response.context["messages"]]
    shown_in = "An unsaved draft in the editor" if where == "draft" else "Article"
    assert message.startswith("Not deleted: it is shown in ") and shown_in in message
    assert all(default_storage.exists(name) for name in image.stored_files())
    assert BodyImage.objects.filter(pk=image.pk).exists()


def test_an_image_is_added_here_as_the_editor_uploads_it(admin_client, admin_user):
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 500), "teal").save(buffer, "JPEG")
    image_file = SimpleUploadedFile("ward.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = admin_client.post(f"{IMAGES}add/", {"image": image_file})
    assert response.status_code == 302
    image = BodyImage.objects.get()
    assert image.path.endswith("-1000x500.jpg")
    assert (image.width, image.height, image.uploaded_by) == (1000, 500, admin_user)
    assert all(default_storage.exists(name) for name in image.stored_files())

    not_an_image = SimpleUploadedFile("notes.png", b"<script>", content_type="image/png")
    response = admin_client.post(f"{IMAGES}add/", {"image": not_an_image})
    assert response.status_code == 200
    assert "not an image we accept" in response.content.decode()
    assert BodyImage.objects.count() == 1


def test_an_image_is_not_changed_here(admin_client):
    upload(admin_client)
    image = BodyImage.objects.get()
    response = admin_client.post(f"{IMAGES}{image.pk}/change/", {"path": "uploads/other.png"})
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.path.startswith("uploads/") and image.path != "uploads/other.png"


def test_the_list_reads_only_the_drafts_that_show_its_images(admin_client, admin_user):
    """ "Shown in" read every unsaved draft (each article being written, each call-to-action)
    on every view of the list, to look for the page's images in them: the database now hands
    back only the drafts holding one of their names, and a draft still counts."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shown = upload(admin_client, name="knee.png")
    upload(admin_client, name="calf.png")
    for n in range(3):
        ArticleDraft.objects.create(user=admin_user, key=f"other-{n}", data={"body": "Words."})
    ArticleDraft.objects.create(user=admin_user, key="new", data={"body": f"![]({shown})"})
    with CaptureQueriesContext(connection) as queries:
        page = listed(admin_client.get(IMAGES))
    shown_in = [cell.get_text(" ", strip=True) for cell in page.select(".field-shown_in")]
    assert shown_in == ["Nothing: it can be deleted.", "An unsaved draft in the editor"]
    drafts = [
        q["sql"] for q in queries.captured_queries if 'FROM "articles_articledraft"' in q["sql"]
    ]
    where_used = [sql for sql in drafts if "LIKE" in sql]
    assert where_used, drafts  # the names looked for by the database, not in Python
    assert all("WHERE" in sql for sql in drafts), drafts


def test_the_list_costs_the_same_queries_for_one_image_or_many(
    admin_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ArticleFactory(body=f"![]({upload(admin_client)})")
    with CaptureQueriesContext(connection) as one:
        admin_client.get(IMAGES)
    one_image = len(one)  # read now: the requests below empty the connection's log
    for _ in range(4):
        ArticleFactory(body=f"![]({upload(admin_client, (100, 100))})")
    with django_assert_max_num_queries(one_image):
        admin_client.get(IMAGES)


def test_the_migration_lists_the_images_uploaded_before_it():
    for name in (
        "uploads/0123456789abcdef0123456789abcdef-1200x800.jpg",
        "uploads/0123456789abcdef0123456789abcdef-1200x800-480w.jpg",
        "uploads/fedcba9876543210fedcba9876543210-64x64.gif",
        "uploads/notes.txt",
    ):
        default_storage.save(name, io.BytesIO(b"x"))
    migration.list_uploads(apps, None)
    assert sorted(BodyImage.objects.values_list("path", "width", "height")) == [
        ("uploads/0123456789abcdef0123456789abcdef-1200x800.jpg", 1200, 800),
        ("uploads/fedcba9876543210fedcba9876543210-64x64.gif", 64, 64),
    ]
    migration.list_uploads(apps, None)  # again: nothing twice
    assert BodyImage.objects.count() == 2


def test_the_editor_lists_the_newest_uploads_to_choose_from(admin_client, client):
    first = upload(admin_client, (300, 200))
    second = upload(admin_client)
    images = admin_client.get("/markdownx/uploaded/").json()["images"]
    assert [image["url"] for image in images] == [second, first]
    assert images[0]["thumb"] == second.replace(".png", "-480w.png")  # a small copy to show
    assert images[1]["thumb"] == first  # no copy narrower than 300 pixels
    assert (images[0]["width"], images[0]["height"]) == (1200, 800)
    assert client.get("/markdownx/uploaded/").status_code == 403  # staff only


def test_the_editor_gives_each_upload_the_description_a_text_gives_it(admin_client):
    """Uploads of one file bear one name: each comes (in the editor's dialog and the Images
    list) with what a text describes it as (the
    newest article's words first, a smaller copy's address counting), or nothing."""
    older = upload(admin_client, name="knee.png")
    newer = upload(admin_client, name="knee.png")
    upload(admin_client, name="knee.png")
    ArticleFactory(body=f"![A bent knee]({older})")
    ArticleFactory(body=f"![Knee on a mat]({older})\n\n![]({newer})")
    CallToActionFactory(text=f"![A physio]({newer.replace('.png', '-480w.png')})")
    images = admin_client.get("/markdownx/uploaded/").json()["images"]
    assert [image["alt"] for image in images] == ["", "A physio", "Knee on a mat"]
    assert {image["name"] for image in images} == {"knee.png"}
    page = listed(admin_client.get(IMAGES))
    names = [cell.get_text("|", strip=True) for cell in page.select("#result_list .field-name")]
    assert [name.split("|")[:2] for name in names] == [
        ["knee.png", f"stored as {BodyImage.objects.first().stored_name}"],
        ["knee.png", "\N{LEFT DOUBLE QUOTATION MARK}A physio\N{RIGHT DOUBLE QUOTATION MARK}"],
        ["knee.png", "\N{LEFT DOUBLE QUOTATION MARK}Knee on a mat\N{RIGHT DOUBLE QUOTATION MARK}"],
    ]


def test_the_editor_finds_uploads_by_name_a_page_at_a_time(admin_client, monkeypatch):
    monkeypatch.setattr(StaffUploadedImagesView, "SHOWN", 2)
    knee = upload(admin_client, (300, 200), "Knee stretch.png")
    ankles = [upload(admin_client, (300, 200), f"ankle-{n}.png") for n in range(3)]
    first = admin_client.get("/markdownx/uploaded/").json()
    assert [image["url"] for image in first["images"]] == [ankles[2], ankles[1]]
    assert first["images"][0]["name"] == "ankle-2.png"
    assert first["more"] is True
    rest = admin_client.get("/markdownx/uploaded/", {"offset": 2}).json()
    assert [image["url"] for image in rest["images"]] == [ankles[0], knee]
    assert rest["more"] is False
    found = admin_client.get("/markdownx/uploaded/", {"q": "STRETCH knee"}).json()
    assert [image["url"] for image in found["images"]] == [knee]  # every word, any case
    assert admin_client.get("/markdownx/uploaded/", {"q": "knee ankle"}).json() == {
        "images": [],
        "more": False,
    }
    assert admin_client.get("/markdownx/uploaded/", {"offset": "x"}).json() == first
    # Each was a 500: the offset overflowed the database's integers; PostgreSQL refused NUL.
    far = admin_client.get("/markdownx/uploaded/", {"offset": "9" * 20}).json()
    assert far == {"images": [], "more": False}
    assert admin_client.get("/markdownx/uploaded/", {"q": "knee\x00"}).json() == found


def test_the_editor_finds_uploads_by_the_words_a_text_describes_them_with(admin_client):
    """Three "knee.jpg": the dialog shows each one's description under it, and finds it by
    those words too, any case, a word from the name and one from a description together; the
    words of two images' descriptions find neither."""
    bent = upload(admin_client, name="knee.png")
    mat = upload(admin_client, name="knee.png")
    upload(admin_client, name="knee.png")
    ArticleFactory(
        body=f"![A bent knee]({bent})\n\n![A physio's mat]({mat.replace('.png', '-480w.png')})"
    )
    CallToActionFactory(text=f"![Stretching on the floor]({mat})")

    def found(q):
        images = admin_client.get("/markdownx/uploaded/", {"q": q}).json()["images"]
        return [image["url"] for image in images]

    assert found("BENT") == [bent]
    assert found("mat") == [mat]  # its small copy's address counts
    assert found("floor") == [mat]  # the call-to-action's words, not the one shown
    assert found("knee stretching") == [mat]  # the name's word and a description's
    assert found("bent floor") == []
    assert found("knee") == found("") and len(found("knee")) == 3


def test_the_images_list_finds_an_image_by_its_original_name(admin_client):
    upload(admin_client, name="hamstring-glide.png")
    upload(admin_client, name="calf.png")
    page = listed(admin_client.get(IMAGES, {"q": "hamstring"}))
    names = [cell.contents[0] for cell in page.select("#result_list .field-name a")]
    assert names == ["hamstring-glide.png"]


@pytest.mark.parametrize("query", ["élodie", "ÉLODIE", "écharpe", "ÉCHARPE", "élodie-knee.png"])
def test_the_images_list_matches_accented_letters_in_any_case(admin_client, query):
    """SQLite's LIKE folds only A to Z: "élodie" did not find "Élodie-knee.png", nor
    "écharpe" an image described as "Écharpe"; an accented letter finds its capital, and a
    capital its small letter, in a name and in a description, as PostgreSQL's search did."""
    elodie = upload(admin_client, name="Élodie-knee.png")
    upload(admin_client, name="calf.png")
    ArticleFactory(body=f"![Écharpe on a knee]({elodie})")
    page = listed(admin_client.get(IMAGES, {"q": query}))
    names = [cell.contents[0] for cell in page.select("#result_list .field-name a")]
    assert names == ["Élodie-knee.png"]


@pytest.mark.parametrize("query", ["knee(", "[k", "k+*", "\\", "a|b", "$^.?"])
def test_a_search_with_a_regular_expressions_signs_finds_them_as_written(admin_client, query):
    """The search is a regular expression of the words as written (for the accents above):
    its signs are only letters to find, on SQLite and PostgreSQL, never an error."""
    upload(admin_client, name="knee.png")
    assert listed(admin_client.get(IMAGES, {"q": query})).select("#result_list tbody tr") == []
    found = admin_client.get("/markdownx/uploaded/", {"q": query}).json()
    assert found["images"] == []


def test_the_images_list_searches_the_first_200_characters_and_says_so(admin_client):
    """A search of any length was split into words, each a clause of the query (a pasted
    paragraph: hundreds). It searches the first 200 characters, as the box shows, and says so."""
    upload(admin_client, name="hamstring-glide.png")
    upload(admin_client, name="calf.png")
    query = "hamstring " + "x" * 300
    response = admin_client.get(IMAGES, {"q": query})
    page = listed(response)
    assert page.select_one("#searchbar")["value"] == query[:200]
    assert [cell.contents[0] for cell in page.select("#result_list .field-name a")] == []
    messages = [m.get_text(strip=True) for m in page.select(".messagelist li")]
    assert messages == ["Only the first 200 characters of the search were used."]
    short = listed(admin_client.get(IMAGES, {"q": "hamstring " + "x" * 10}))
    assert short.select(".messagelist li") == []


def test_the_images_list_finds_an_image_by_its_description(admin_client):
    """As the Image dialog does: the words shown under the name find it too."""
    bent = upload(admin_client, name="knee.png")
    upload(admin_client, name="knee.png")
    ArticleFactory(body=f"![A bent knee on a yoga mat]({bent})")
    page = listed(admin_client.get(IMAGES, {"q": "Yoga knee"}))
    found = [cell.get_text("|", strip=True) for cell in page.select("#result_list .field-name")]
    assert [name.split("|")[:2] for name in found] == [
        [
            "knee.png",
            "\N{LEFT DOUBLE QUOTATION MARK}A bent knee on a yoga mat"
            "\N{RIGHT DOUBLE QUOTATION MARK}",
        ]
    ]


@pytest.mark.parametrize(
    "sent, kept",
    [
        ("C:\\Users\\ana\\Pictures\\knee.png", "knee.png"),
        ("photos/knee.png", "knee.png"),
        ("knee\u202egnp.png", "kneegnp.png"),  # no bidi overrides or other unprintables
        ("x" * 300 + ".png", "x" * 251 + ".png"),  # 255 at most, the extension kept
    ],
)
def test_an_upload_keeps_its_files_own_name_without_folders_or_controls(admin_client, sent, kept):
    upload(admin_client, name=sent)
    assert BodyImage.objects.get().original_name == kept


def saved_version(obj, **changes):
    """Change ``obj`` and keep the result as a version, as a save in the admin does."""
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()


def field_text(admin_client, image, field):
    page = BeautifulSoup(admin_client.get(f"{IMAGES}{image.pk}/change/").content, "html.parser")
    return page.select_one(f".field-{field} .readonly")


def test_an_unused_image_says_which_saved_versions_still_show_it(
    admin_client, django_capture_on_commit_callbacks
):
    url = upload(admin_client)
    image = BodyImage.objects.get()
    article = ArticleFactory(title="Knee exercises", body="Text.")
    saved_version(article, body=f"Text.\n\n![A knee]({url})")
    saved_version(article, body=f"More text.\n\n![A knee]({url})")
    saved_version(article, body="More text, no picture.")  # what readers see now
    about = FlatPage.objects.get(url="/about/")
    saved_version(about, content=f"![Us]({url})")
    about.delete()  # recoverable: its versions stay
    cell = field_text(admin_client, image, "in_versions")
    links = [(a.get_text(), a["href"]) for a in cell.select("a")]
    assert links == [
        ("Article: Knee exercises", f"/admin/articles/article/{article.pk}/history/"),
        ("Page: /about/ -- About nervepain (deleted)", "/admin/articles/publisherpage/recover/"),
    ]
    assert "(2 versions)" in cell.get_text() and "(1 version)" in cell.get_text()

    confirm = admin_client.get(f"{IMAGES}{image.pk}/delete/").content.decode()
    warning = BeautifulSoup(confirm, "html.parser").select_one(".image-in-versions")
    assert "they would show a broken image" in warning.get_text(" ", strip=True)
    assert warning.select_one("a")["href"] == f"/admin/articles/article/{article.pk}/history/"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"{IMAGES}{image.pk}/delete/", {"post": "yes"})
    assert not BodyImage.objects.exists()  # it may still be deleted


def test_an_image_no_version_shows_says_so(admin_client):
    upload(admin_client)
    image = BodyImage.objects.get()
    ArticleFactory(title="Knee exercises", body="Text.")
    assert field_text(admin_client, image, "in_versions").get_text() == (
        "None: no restored version will miss it."
    )
    confirm = admin_client.get(f"{IMAGES}{image.pk}/delete/").content.decode()
    assert "image-in-versions" not in confirm


@pytest.mark.parametrize("where", ["article", "page", "call-to-action", "draft", "copy"])
def test_the_unused_filter_lists_only_images_nothing_shows(admin_client, admin_user, where):
    """Like WordPress's "Unattached": "Unused" leaves out an image any text shows (by its own
    address or a smaller copy's, or in an unsaved draft), and keeps the others."""
    shown = upload(admin_client, name="shown.png")
    upload(admin_client, (300, 200), name="unused.png")
    text = f"![A knee]({shown})"
    if where == "article":
        ArticleFactory(body=text)
    elif where == "page":
        FlatPage.objects.filter(url="/about/").update(content=text)
    elif where == "call-to-action":
        CallToActionFactory(text=text)
    elif where == "draft":
        ArticleDraft.objects.create(user=admin_user, key="new", data={"body": text})
    else:
        ArticleFactory(body=f"![A knee]({shown.replace('.png', '-480w.png')})")
    page = listed(admin_client.get(IMAGES, {"use": "unused"}))
    names = [a.contents[0] for a in page.select("#result_list tbody .field-name a")]
    assert names == ["unused.png"]
    everything = listed(admin_client.get(IMAGES))
    assert len(everything.select("#result_list tbody tr")) == 2
    assert everything.select_one('#changelist-filter a[href="?use=unused"]')


def test_the_unused_filter_costs_the_same_queries_for_few_images_and_texts_or_many(
    admin_client,
):
    """The filter reads each kind of text once and lets the database leave out the images
    they hold: its queries do not grow with the images or the texts, as searching every
    text for every image would (18 s for 2,000 images and 300 long articles)."""

    def counted():
        with CaptureQueriesContext(connection) as queries:
            found = unused(BodyImage.objects.all()).count()
        return found, len(queries)

    first = upload(admin_client, name="k0.png")
    ArticleFactory(body=f"![A knee]({first})")
    few = counted()
    for number in range(1, 4):
        shown = upload(admin_client, name=f"k{number}.png")
        upload(admin_client, name=f"unused{number}.png")
        ArticleFactory(body=f"![A knee]({shown})")
        CallToActionFactory(text=f"![A knee]({shown})")
    many = counted()
    assert (few[0], many[0]) == (0, 3)
    assert few[1] == many[1] == 5  # articles, pages, calls-to-action, drafts, then the images
