"""markdownx's preview and upload endpoints: staff only, and uploads that are really images."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.markdown import render_markdown

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def image_bytes(fmt="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, fmt)
    return buffer.getvalue()


def upload(client, content, name="photo.png", content_type="image/png"):
    return client.post(
        UPLOAD, {"image": SimpleUploadedFile(name, content, content_type=content_type)}, **XHR
    )


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_anonymous_and_non_staff_get_403(client, reader_account_client, url):
    assert client.post(url, {"content": "x"}).status_code == 403
    assert reader_account_client.post(url, {"content": "x"}).status_code == 403


def test_preview_is_sanitised_like_saved_articles(staff_client):
    response = staff_client.post(PREVIEW, {"content": "**hi** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert response.content.decode() == "<p><strong>hi</strong> </p>"


def test_preview_without_content_is_empty_not_an_error(staff_client):
    assert staff_client.post(PREVIEW, {}).status_code == 200


def test_real_image_is_stored_under_a_server_chosen_name(staff_client, settings):
    response = upload(staff_client, image_bytes(), name="../../evil name.php.png")
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(".png)")
    stored = code[len("![](/media/") : -1]
    assert "evil" not in stored and ".php" not in stored
    with Image.open(settings.MEDIA_ROOT / stored) as saved:
        assert saved.format == "PNG"


def test_extension_follows_the_decoded_format_not_the_name(staff_client):
    response = upload(staff_client, image_bytes("JPEG"), name="photo.png", content_type="image/png")
    assert response.json()["image_code"].endswith(".jpg)")


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (b"<?php system($_GET['c']); ?>", "shell.png", "image/png"),
        (b"GIF89a<script>alert(1)</script>", "x.gif", "image/gif"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "x.svg",
            "image/svg+xml",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "x.png", "image/png"),
        (image_bytes()[:60], "truncated.png", "image/png"),
    ],
)
def test_files_that_do_not_decode_as_raster_images_are_refused(
    staff_client, settings, content, name, content_type
):
    response = upload(staff_client, content, name=name, content_type=content_type)
    assert response.status_code == 400
    assert "image" in response.json()
    assert not (settings.MEDIA_ROOT / "uploads").exists()


def test_uploads_are_size_capped(staff_client, settings):
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = 1000
    response = upload(staff_client, image_bytes(size=(400, 400)) + b"\0" * 2000)
    assert response.status_code == 400
    assert "larger than" in response.json()["image"][0]


def test_decompression_bombs_are_refused(staff_client, monkeypatch):
    monkeypatch.setattr("articles.uploads.MAX_PIXELS", 100)
    response = upload(staff_client, image_bytes(size=(20, 20)))
    assert response.status_code == 400


def test_upload_is_named_by_its_size_with_narrower_copies_beside_it(staff_client, settings):
    """Pillow makes the responsive copies at upload; the page's srcset names them."""
    response = upload(staff_client, image_bytes("JPEG", size=(2000, 1000)), name="knee.jpg")
    url = response.json()["url"]
    assert url.startswith("/media/uploads/") and url.endswith("-1600x800.jpg")
    stem = settings.MEDIA_ROOT / url[len("/media/") : -len(".jpg")]
    for width in (480, 960):
        with Image.open(f"{stem}-{width}w.jpg") as copy:
            assert copy.size == (width, width // 2) and copy.format == "JPEG"
    assert "1600w" in render_markdown(f"![Knee]({url})")


def test_small_upload_gets_no_copy_wider_than_itself(staff_client, settings):
    url = upload(staff_client, image_bytes(size=(600, 300))).json()["url"]
    assert url.endswith("-600x300.png")
    names = sorted(path.name for path in (settings.MEDIA_ROOT / "uploads").iterdir())
    assert len(names) == 2 and any(name.endswith("-480w.png") for name in names)


def sideways_photo():
    """A phone's photo as its sensor stored it: red on the left, blue on the right, with the
    EXIF Orientation tag (6) that tells viewers to turn it a quarter clockwise."""
    image = Image.new("RGB", (400, 200), "blue")
    image.paste("red", (0, 0, 200, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def test_a_phone_photo_is_stored_upright_since_its_orientation_tag_is_dropped(
    staff_client, settings
):
    """Re-encoding drops the EXIF tag that turned it, so its pixels are turned first: without
    that, a portrait taken on a phone shows on its side in the article."""
    url = upload(staff_client, sideways_photo(), name="knee.jpg").json()["url"]
    assert url.endswith("-200x400.jpg")
    with Image.open(settings.MEDIA_ROOT / url[len("/media/") :]) as stored:
        assert stored.size == (200, 400) and not stored.getexif()
        red, _, blue = stored.convert("RGB").getpixel((100, 50))
        assert red > 200 and blue < 60  # the left half is now on top
        red, _, blue = stored.convert("RGB").getpixel((100, 350))
        assert red < 60 and blue > 200


def test_a_phone_jpeg_holding_more_pictures_is_accepted_as_a_jpeg(staff_client, settings):
    """Phones put a depth map or preview after the photo (Pillow reads such a file as MPO):
    it is still a JPEG to the editor who took it, and is stored as one, first picture only."""
    buffer = io.BytesIO()
    photo, depth = Image.new("RGB", (300, 200), "red"), Image.new("RGB", (300, 200), "black")
    photo.save(buffer, "MPO", save_all=True, append_images=[depth])
    with Image.open(io.BytesIO(buffer.getvalue())) as probe:
        assert probe.format == "MPO"
    response = upload(staff_client, buffer.getvalue(), name="IMG_0001.JPG")
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    assert url.endswith("-300x200.jpg")
    with Image.open(settings.MEDIA_ROOT / url[len("/media/") :]) as stored:
        assert stored.format == "JPEG" and stored.convert("RGB").getpixel((10, 10))[0] > 200


def test_preview_fills_in_the_periods_a_page_states(staff_client, settings):
    """The page editor's preview showed "{ip_days}" and "{deleted_days}" as typed, where the
    page itself says the periods the settings give."""
    settings.COMMENTS_IP_RETENTION_DAYS = 30
    settings.COMMENTS_SPAM_RETENTION_DAYS = 1
    response = staff_client.post(
        PREVIEW, {"content": "IP addresses: {ip_days}. Deleted comments: {deleted_days}."}
    )
    assert response.content.decode() == "<p>IP addresses: 30 days. Deleted comments: 1 day.</p>"
