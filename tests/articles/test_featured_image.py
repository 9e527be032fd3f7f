"""An article's featured image: on the home page, in link previews and in the JSON-LD."""

import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SITE = "https://nervepain.example"  # SITE_URL in the tests' settings
SHARE_IMAGE = f"{SITE}/static/img/share.png"


def image_file(name="knee.jpg", size=(1200, 630), fmt="JPEG", exif=None):
    buffer = io.BytesIO()
    options = {"exif": exif} if exif else {}
    Image.new("RGB", size, "teal").save(buffer, fmt, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def featured(settings):
    article = ArticleFactory(title="Knees", featured_image_alt="A knee stretch on a mat")
    article.featured_image.save("knee.jpg", image_file(), save=True)
    return article


def page_of(client, url):
    return BeautifulSoup(client.get(url).content, "html.parser")


def meta(page, key):
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"]


def test_link_previews_use_the_featured_image_with_its_description(client, featured):
    page = page_of(client, featured.get_absolute_url())
    url = f"{SITE}{featured.featured_image.url}"
    assert meta(page, "og:image") == url and meta(page, "twitter:image") == url
    assert meta(page, "og:image:width") == "1200" and meta(page, "og:image:height") == "630"
    assert meta(page, "og:image:alt") == "A knee stretch on a mat"
    assert meta(page, "twitter:image:alt") == "A knee stretch on a mat"


def test_json_ld_uses_the_featured_image(client, featured):
    page = page_of(client, featured.get_absolute_url())
    graph = json.loads(page.find("script", type="application/ld+json").string)["@graph"]
    url = f"{SITE}{featured.featured_image.url}"
    assert graph[0]["primaryImageOfPage"]["url"] == url
    assert graph[1]["image"] == url


def test_without_a_featured_image_the_share_image_stays(client):
    article = ArticleFactory()
    page = page_of(client, article.get_absolute_url())
    assert meta(page, "og:image") == SHARE_IMAGE
    graph = json.loads(page.find("script", type="application/ld+json").string)["@graph"]
    assert graph[1]["image"] == SHARE_IMAGE
    assert not page_of(client, "/").select(".featured img")


def test_home_page_shows_the_featured_image_with_its_size(client, featured):
    image = page_of(client, "/").select_one(".featured img")
    assert image["src"] == featured.featured_image.url
    assert image["alt"] == "A knee stretch on a mat"
    assert (image["width"], image["height"]) == ("1200", "630")


def test_a_featured_image_needs_a_description():
    name = default_storage.save("featured/x.jpg", image_file())
    article = ArticleFactory.build(featured_image=name, featured_image_alt=" ")
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert "featured_image_alt" in error.value.message_dict


def admin_post(article, **extra):
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "published_at_0": "",
        "published_at_1": "",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        **extra,
    }
    return data


def test_admin_upload_is_checked_and_re_encoded_without_metadata(admin_client, settings):
    """Like the body's uploads: a server-chosen name, and no GPS position kept."""
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    article = ArticleFactory()
    response = admin_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        admin_post(
            article,
            featured_image=image_file(name="../../me at home.jpg", exif=exif.tobytes()),
            featured_image_alt="A knee stretch",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.featured_image.name.startswith("featured/")
    assert "home" not in article.featured_image.name
    with Image.open(article.featured_image.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()


def test_admin_refuses_a_file_that_is_not_an_image_and_one_without_description(admin_client):
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    svg = SimpleUploadedFile("x.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/jpeg")
    response = admin_client.post(url, admin_post(article, featured_image=svg))
    assert response.status_code == 200
    assert "featured_image" in response.context["adminform"].form.errors
    response = admin_client.post(url, admin_post(article, featured_image=image_file()))
    assert response.context["adminform"].form.errors["featured_image_alt"]
    assert not Article.objects.get(pk=article.pk).featured_image


def test_a_form_sent_back_for_a_correction_asks_for_the_image_again(admin_client):
    """The browser drops a chosen file when the form comes back with an error: the next save
    went without the image, with 'changed successfully'. The image's field now says so."""
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    response = admin_client.post(url, admin_post(article, featured_image=image_file()))
    errors = response.context["adminform"].form.errors
    assert errors["featured_image_alt"]
    assert errors["featured_image"] == [
        "Choose the image again before you save: a browser does not keep a file chosen in a "
        "form that comes back to be corrected."
    ]
    assert admin_client.post(url, admin_post(article, summary="No image.")).status_code == 302


def test_the_article_form_shows_the_stored_featured_image(admin_client, featured):
    """The form showed only "Currently: featured/….jpg"; WordPress and Ghost show the image."""
    page = page_of(admin_client, f"/admin/articles/article/{featured.pk}/change/")
    thumbnail = page.select_one(".field-featured_image img.image-thumbnail")
    assert thumbnail["src"] == featured.featured_image.url
    assert thumbnail["alt"] == ""  # its description is the field below
    blank = ArticleFactory()
    page = page_of(admin_client, f"/admin/articles/article/{blank.pk}/change/")
    assert page.select_one("img.image-thumbnail") is None
