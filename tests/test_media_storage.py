"""Media on shared storage: an S3-compatible bucket when DJANGO_MEDIA_S3_BUCKET is set, the
local disk otherwise; uploads work with either (tested against moto's S3 server on loopback)."""

import io

import pytest
from django.core.files.storage import default_storage

from tests.articles.test_uploads import image_bytes, upload
from tests.test_settings import run_manage

PRINT = (
    "from django.conf import settings as s; "
    "print(s.STORAGES['default']['BACKEND'], s.MEDIA_URL, "
    "' '.join(s.CONTENT_SECURITY_POLICY['img-src']))"
)


def test_the_local_disk_is_the_default():
    out = run_manage("shell", "-c", PRINT, DJANGO_DEBUG="1").stdout.split()
    assert out[-3:] == ["django.core.files.storage.FileSystemStorage", "/media/", "'self'"]


@pytest.mark.parametrize(
    "env, media_url, image_origin",
    [
        (
            {"DJANGO_MEDIA_S3_ENDPOINT_URL": "https://s3.example.net"},
            "https://s3.example.net/site-media/media/",
            "https://s3.example.net",
        ),
        (
            {"DJANGO_MEDIA_S3_CUSTOM_DOMAIN": "media.example.org"},
            "https://media.example.org/media/",
            "https://media.example.org",
        ),
    ],
)
def test_a_bucket_is_chosen_by_the_environment(env, media_url, image_origin):
    """The storage, the media address and the CSP that lets pages show images from it."""
    out = run_manage(
        "shell", "-c", PRINT, DJANGO_DEBUG="1", DJANGO_MEDIA_S3_BUCKET="site-media", **env
    ).stdout.split()
    assert out[-4:] == ["storages.backends.s3.S3Storage", media_url, "'self'", image_origin]


@pytest.fixture
def bucket(settings, monkeypatch):
    moto_server = pytest.importorskip("moto.server", reason="moto (requirements-dev.txt)")
    boto3 = pytest.importorskip("boto3")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket="site-media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "site-media",
                "endpoint_url": endpoint,
                "location": "media",
                "querystring_auth": False,
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield client
    # moto keeps its buckets for the whole process, not per server: empty this one for the next.
    for item in client.list_objects_v2(Bucket="site-media").get("Contents", []):
        client.delete_object(Bucket="site-media", Key=item["Key"])
    client.delete_bucket(Bucket="site-media")
    server.stop()


@pytest.mark.django_db
def test_an_upload_goes_to_the_bucket_and_links_to_it(staff_client, bucket):
    response = upload(staff_client, image_bytes())
    assert response.status_code == 200
    [stored] = bucket.list_objects_v2(Bucket="site-media")["Contents"]
    assert stored["Key"].startswith("media/uploads/") and stored["Key"].endswith(".png")
    body = bucket.get_object(Bucket="site-media", Key=stored["Key"])["Body"].read()
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    # The article links to the object's permanent address in the bucket (no signature).
    url = response.json()["image_code"].split("(")[-1].rstrip(")")
    assert url == f"{bucket.meta.endpoint_url}/site-media/{stored['Key']}"
    assert url == default_storage.url(stored["Key"].removeprefix("media/"))


@pytest.mark.django_db
def test_the_photo_migration_works_in_the_bucket(bucket):
    """Migration 0012 re-encodes people's photos in a bucket too, deletes the originals, and
    leaves a photo whose object is missing as it was named."""
    import importlib

    from django.apps import apps
    from PIL import Image

    from tests.articles.test_people import photo_upload
    from tests.factories import PersonFactory

    photos = importlib.import_module("articles.migrations.0012_person_photos_as_small_squares")
    ada = PersonFactory(slug="ada")
    ada.photo.save("me at home.jpg", photo_upload(size=(900, 1200)))
    gone = PersonFactory(slug="gone", photo="people/gone.jpg")
    old_key = f"media/{ada.photo.name}"

    photos.reencode_photos(apps, None)

    ada.refresh_from_db()
    keys = [item["Key"] for item in bucket.list_objects_v2(Bucket="site-media")["Contents"]]
    assert keys == [f"media/{ada.photo.name}"] and old_key not in keys
    body = bucket.get_object(Bucket="site-media", Key=keys[0])["Body"].read()
    with Image.open(io.BytesIO(body)) as stored:
        assert stored.format == "JPEG" and not stored.getexif() and stored.size == (288, 288)
    gone.refresh_from_db()
    assert gone.photo.name == "people/gone.jpg"
