"""Uploaded images are served in production, as images only, and nothing else under /media/ is.

Media were served only in debug mode, so under `make serve` every image in an article was a 404.
The site now serves MEDIA_ROOT itself (nervepain/media.py) with debug off, as these tests run:
raster images with a fixed type, long caching, ``nosniff`` and a sandboxing CSP; every other
name, every way out of MEDIA_ROOT, and every file that is not what its name says is a plain 404.
"""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

UPLOAD = "/markdownx/upload/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(fmt="PNG", size=(40, 30), **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(client, content, name="photo.png"):
    """Upload through the editor's endpoint; the stored file's URL, e.g. /media/uploads/x.png."""
    response = client.post(
        UPLOAD, {"image": SimpleUploadedFile(name, content, content_type="image/png")}, **XHR
    )
    assert response.status_code == 200, response.content
    return response.json()["image_code"][len("![](") : -1]


def content_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_media_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")],
)
def test_an_uploaded_image_is_served_with_debug_off(staff_client, settings, fmt, content_type):
    """The editor's upload answers 200 for anyone, as an image, cached for a year."""
    assert settings.DEBUG is False
    url = upload(staff_client, image_bytes(fmt))
    response = Client().get(url)  # an anonymous reader
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Disposition"] == f'inline; filename="{url.rsplit("/", 1)[1]}"'
    assert "Last-Modified" in response
    assert_media_headers(response)
    stored = settings.MEDIA_ROOT / url.removeprefix("/media/")
    assert content_of(response) == stored.read_bytes()
    assert int(response["Content-Length"]) == stored.stat().st_size


def test_an_image_in_an_article_is_on_the_published_page_and_loads(staff_client, client):
    """The whole way: uploaded in the editor, written in Markdown, fetched by the reader."""
    url = upload(staff_client, image_bytes())
    article = ArticleFactory(body=f"Before.\n\n![A diagram]({url})\n\nAfter.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'src="{url}"' in page
    assert client.get(url).status_code == 200


def test_head_and_conditional_requests(staff_client, client):
    url = upload(staff_client, image_bytes())
    head = client.head(url)
    assert head.status_code == 200
    assert head["Content-Type"] == "image/png"
    assert content_of(head) == b""
    again = client.get(url, headers={"If-Modified-Since": head["Last-Modified"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"


def test_only_get_and_head(staff_client, client):
    url = upload(staff_client, image_bytes())
    response = client.post(url)
    assert response.status_code == 405
    assert response["Content-Type"] != "text/html"


@pytest.fixture
def planted(settings, tmp_path):
    """Files an attacker would love to reach: real images outside MEDIA_ROOT, HTML inside it."""
    media = settings.MEDIA_ROOT
    (media / "uploads").mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes(image_bytes())  # next to MEDIA_ROOT
    (media / "uploads" / "real.png").write_bytes(image_bytes())
    (media / "uploads" / "page.html").write_bytes(SCRIPT)
    (media / "uploads" / "page.htm").write_bytes(SCRIPT)
    (media / "uploads" / "drawing.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (media / "uploads" / "notes.txt").write_bytes(b"plain")
    (media / "uploads" / "shell.php").write_bytes(b"<?php system($_GET['c']); ?>")
    (media / "uploads" / "fake.png").write_bytes(SCRIPT)  # HTML named as an image
    (media / "uploads" / "fake.gif").write_bytes(b"<svg onload=alert(1)>GIF89a")
    (media / "uploads" / "polyglot.png.html").write_bytes(image_bytes() + SCRIPT)
    (media / "uploads" / ".hidden.png").write_bytes(image_bytes())
    (media / "uploads" / "folder.png").mkdir()
    os.symlink(tmp_path / "outside.png", media / "uploads" / "link.png")
    return media


def test_a_planted_real_image_is_served(client, planted):
    """The fixture's own image is served: the refusals below are not for want of a file."""
    assert client.get("/media/uploads/real.png").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        # Out of MEDIA_ROOT to a real image next to it, every way a path can be written.
        "/media/../outside.png",
        "/media/uploads/../../outside.png",
        "/media/%2e%2e/outside.png",
        "/media/uploads/%2E%2E%2F%2E%2E%2Foutside.png",
        "/media/..%2foutside.png",
        "/media/%252e%252e/outside.png",
        "/media/uploads/..%5c..%5coutside.png",
        "/media/uploads/..\\..\\outside.png",
        "/media/./uploads/real.png",
        "/media//uploads/real.png",
        "/media/uploads//real.png",
        "/media/uploads/real.png%00.html",
        "/media/uploads/link.png",  # a symbolic link out of MEDIA_ROOT
        # Not a raster image by name.
        "/media/uploads/page.html",
        "/media/uploads/page.htm",
        "/media/uploads/drawing.svg",
        "/media/uploads/notes.txt",
        "/media/uploads/shell.php",
        "/media/uploads/polyglot.png.html",
        "/media/uploads/real.png/",
        "/media/uploads/",
        "/media/uploads",
        "/media/uploads/.hidden.png",
        "/media/uploads/folder.png",
        "/media/uploads/missing.png",
        # Named as an image, but not one inside.
        "/media/uploads/fake.png",
        "/media/uploads/fake.gif",
    ],
)
def test_everything_else_under_media_is_a_plain_404(client, planted, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert_media_headers(response)
    body = content_of(response)
    assert b"script" not in body and b"PNG" not in body


def test_no_media_response_is_ever_html_or_svg(client, planted):
    """Every file planted under MEDIA_ROOT, asked for by its own name: never a type that runs."""
    for path in sorted(planted.rglob("*")):
        response = client.get("/media/" + path.relative_to(planted).as_posix())
        assert response["Content-Type"].split(";")[0] in {
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "text/plain",
        }, path


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (image_bytes() + SCRIPT, "polyglot.png"),  # a valid PNG with a page after it
        (image_bytes("GIF", comment=SCRIPT), "comment.gif"),  # markup in the GIF's comment
        (image_bytes("JPEG", comment=SCRIPT), "comment.jpg"),  # and in a JPEG's
    ],
)
def test_markup_hidden_in_an_uploaded_image_is_not_stored_or_served(
    staff_client, client, content, name
):
    """The upload endpoint re-encodes: what is served is pixels, without the hidden page."""
    response = client.get(upload(staff_client, content, name=name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert b"<script" not in content_of(response)


def test_media_are_served_the_same_way_in_debug_mode(staff_client, settings, planted):
    """`make run` serves exactly what production does (it used Django's own static view)."""
    url = upload(staff_client, image_bytes())
    settings.DEBUG = True
    assert Client().get(url)["Cache-Control"] == "public, max-age=31536000, immutable"
    assert Client().get("/media/uploads/page.html").status_code == 404


def test_an_image_costs_no_database_query(staff_client, django_assert_num_queries):
    """Images are answered before sessions and the page cache: no query, whatever the load."""
    url = upload(staff_client, image_bytes())
    reader = Client()
    with django_assert_num_queries(0):
        assert reader.get(url).status_code == 200
