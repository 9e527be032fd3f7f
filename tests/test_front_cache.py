"""Through the shipped Varnish (deploy/varnish/default.vcl) readers are never shown a stale
page: an approval, an edit and an unpublish reach them within a second, a held comment never.

Drives a real varnishd in front of two gunicorn nodes (tests/webnodes.py), with the task
worker sending the purges. Skipped, saying why, without PostgreSQL, Redis or varnishd.
"""

import http.client
import re
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.webnodes import (
    ARTICLE,
    VARNISHD,
    Browser,
    approve_first_pending,
    eventually,
    log_in_moderator,
    post_comment,
    running_site,
    services_up,
)

VCL = Path(__file__).resolve().parents[1] / "deploy/varnish/default.vcl"
REDIS_URL = "redis://127.0.0.1:6379/9"
needs_varnish = pytest.mark.skipif(
    VARNISHD is None or not services_up(REDIS_URL),
    reason="needs varnishd (Debian package varnish; .ci/run installs it), PostgreSQL and Redis",
)


@pytest.fixture(scope="module")
def site():
    with running_site("nervepain_front_cache", REDIS_URL, nodes=2, front=True) as site:
        yield site


def front_page(site, path=ARTICLE):
    """An anonymous reader's GET through Varnish: (status, X-Front-Cache, body)."""
    connection = http.client.HTTPConnection(site.front.removeprefix("http://"), timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return (
        response.status,
        response.getheader("X-Front-Cache"),
        response.getheader("Set-Cookie"),
        body,
    )


def cached(site, path=ARTICLE):
    front_page(site, path)
    status, state, _, _ = front_page(site, path)
    assert (status, state) == (200, "hit")


def test_the_vcl_passes_every_cookie_that_makes_a_page_personal():
    """The VCL's cookie list and the page cache's are the same list."""
    vcl = VCL.read_text()
    listed = re.search(r'req.http.Cookie ~ "\(\^\|;\\s\*\)\(([^)]+)\)=', vcl).group(1).split("|")
    assert set(listed) == settings.PAGE_CACHE_BYPASS_COOKIES


@needs_varnish
def test_an_approval_is_seen_within_a_second_and_a_held_comment_never(site):
    cached(site)
    text = f"Seen through the front cache {time.time()}."
    status, _ = post_comment(Browser(), site.front, text)
    assert status == 303
    # Held: nothing public changed, so nothing was purged and no reader ever sees it.
    for _ in range(10):
        status, state, _, body = front_page(site)
        assert state == "hit" and text not in body
        time.sleep(0.1)

    moderator = log_in_moderator(site.front)
    approve_first_pending(moderator, site.front, text)
    took = eventually(lambda: text in front_page(site)[3], within=1.0)
    assert took is not None, "the approved comment did not reach readers within 1 s"


@needs_varnish
def test_an_edit_is_seen_within_a_second(site):
    cached(site)
    title = f"Edited title {int(time.time())}"
    site.manage(
        "from articles.models import Article; a = Article.objects.get(); "
        f"a.title = {title!r}; a.save()"
    )
    assert eventually(lambda: title in front_page(site)[3], within=1.0) is not None
    assert title in front_page(site, "/")[3]  # the home page lists it: purged as well


@needs_varnish
def test_an_unpublished_article_is_gone_within_a_second(site):
    cached(site)
    site.manage(
        "from articles.models import Article; a = Article.objects.get(); "
        "a.status = Article.Status.DRAFT; a.save()"
    )
    try:
        assert eventually(lambda: front_page(site)[0] == 404, within=1.0) is not None
    finally:
        site.manage(
            "from articles.models import Article; a = Article.objects.get(); "
            "a.status = Article.Status.PUBLISHED; a.save()"
        )
    assert eventually(lambda: front_page(site)[0] == 200, within=1.0) is not None


@needs_varnish
def test_shared_copies_carry_no_form_token_and_readers_can_get_one(site):
    cached(site)
    _, _, cookie, _ = front_page(site)
    assert cookie is None
    status, _ = post_comment(Browser(), site.front, f"With a fetched token {time.time()}.")
    assert status == 303


@needs_varnish
@pytest.mark.parametrize("cookie", sorted(settings.PAGE_CACHE_BYPASS_COOKIES))
def test_readers_with_a_personal_cookie_reach_django(site, cookie):
    cached(site)
    connection = http.client.HTTPConnection(site.front.removeprefix("http://"), timeout=10)
    connection.request("GET", ARTICLE, headers={"Cookie": f"{cookie}=x"})
    response = connection.getresponse()
    response.read()
    assert response.getheader("X-Front-Cache") == "miss"
    assert "private" in response.getheader("Cache-Control")


@needs_varnish
def test_the_admin_and_posts_are_never_kept(site):
    for _ in range(2):
        status, state, _, _ = front_page(site, "/admin/login/")
        assert (status, state) == (200, "miss")
    for _ in range(2):
        status, _ = Browser().post(site.front + "/comments/post/", {"comment": "x"})
        assert status == 400  # reached Django, which refused it


@needs_varnish
def test_only_the_web_nodes_may_purge(site):
    """The ACL lists the nodes' address (127.0.0.1); another address on loopback is refused."""

    def ban(source):
        connection = http.client.HTTPConnection(
            site.front.removeprefix("http://"), timeout=10, source_address=(source, 0)
        )
        connection.request("BAN", "/", headers={"xkey": "site"})
        status = connection.getresponse().status
        connection.close()
        return status

    cached(site)
    assert ban("127.0.0.2") == 403
    assert front_page(site)[1] == "hit"
    assert ban("127.0.0.1") == 200
    assert front_page(site)[1] == "miss"


def front_get(site, path):
    """An anonymous GET through Varnish: (status, X-Front-Cache, body bytes)."""
    connection = http.client.HTTPConnection(site.front.removeprefix("http://"), timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("X-Front-Cache"), body


@needs_varnish
def test_uploaded_images_are_kept_and_a_deleted_one_is_gone_within_a_second(site):
    """Every image request reached gunicorn: /media/ was never kept. Now an image is kept (its
    name is never reused), and deleting it bans it by its own key."""
    name = site.manage(
        "import io, uuid; from PIL import Image; "
        "from django.core.files.base import ContentFile; "
        "from django.core.files.storage import default_storage; "
        "from articles.models import BodyImage; "
        "png = io.BytesIO(); Image.new('RGB', (4, 4)).save(png, 'PNG'); "
        "name = default_storage.save(f'uploads/{uuid.uuid4().hex}-4x4.png', "
        "ContentFile(png.getvalue())); "
        "BodyImage.objects.create(path=name, width=4, height=4); print(name)"
    ).split()[-1]  # after the shell's "N objects imported automatically"
    path = f"/media/{name}"
    status, state, body = front_get(site, path)
    assert (status, state) == (200, "miss") and body.startswith(b"\x89PNG")
    status, state, again = front_get(site, path)
    assert (status, state, again) == (200, "hit", body)

    site.manage(
        f"from articles.models import BodyImage; BodyImage.objects.get(path={name!r}).delete()"
    )
    assert eventually(lambda: front_get(site, path)[0] == 404, within=1.0) is not None
    assert front_get(site, "/media/uploads/missing-4x4.png")[:2] == (404, "miss")
