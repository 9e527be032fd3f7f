"""HTML is compressed at gzip level 5, with Django's guard against BREACH kept."""

import gzip

import pytest

from nervepain.middleware import GZipMiddleware
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def deflate_stream(packed: bytes) -> bytes:
    """What follows the gzip header and its zero-terminated file name."""
    assert packed[3] & gzip.FNAME
    return packed[packed.index(b"\x00", 10) + 1 :]


def test_pages_are_compressed_at_level_5(client):
    article = ArticleFactory(body="Nerve pain after therapy. " * 400)
    plain = client.get(article.get_absolute_url()).content
    packed = client.get(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(packed.content)
    assert gzip.decompress(packed.content) == plain
    level_5 = gzip.compress(plain, compresslevel=5, mtime=0)[10:]
    assert deflate_stream(packed.content) == level_5


def test_the_file_name_varies_the_length_against_breach(rf):
    from django.http import HttpResponse

    middleware = GZipMiddleware(lambda request: HttpResponse("x" * 1000))
    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
    lengths = {len(middleware(request).content) for _ in range(20)}
    assert len(lengths) > 1


def test_strong_etags_become_weak_and_small_or_encoded_responses_are_left(rf):
    from django.http import HttpResponse

    def view(body, **headers):
        return lambda request: HttpResponse(body, headers=headers)

    request = rf.get("/", HTTP_ACCEPT_ENCODING="gzip")
    tagged = GZipMiddleware(view("x" * 1000, ETag='"abc"'))(request)
    assert tagged["ETag"] == 'W/"abc"'
    assert not GZipMiddleware(view("short"))(request).has_header("Content-Encoding")
    done = GZipMiddleware(view("x" * 1000, **{"Content-Encoding": "br"}))(request)
    assert done["Content-Encoding"] == "br" and done.content == b"x" * 1000
    plain = GZipMiddleware(view("x" * 1000))(rf.get("/"))
    assert not plain.has_header("Content-Encoding") and "Accept-Encoding" in plain["Vary"]
