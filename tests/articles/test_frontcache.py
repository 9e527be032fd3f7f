"""Front caches keep anonymous pages for hours and are purged, by surrogate key, on change."""

import datetime
import io
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend

from articles import frontcache
from articles.models import Article, FooterLink, HeaderLink, PublisherPage
from comments.forms import FORM_COOKIE
from comments.models import Comment, ModerationWord
from tests.comments.conftest import form_data, send
from tests.factories import (
    ArticleFactory,
    CallToActionFactory,
    CommentFactory,
    PersonFactory,
    TagFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

DUMMY = "django_tasks.backends.dummy.DummyBackend"
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
ARTICLE_PAGES = {"home", "feeds", "sitemap", "topics"}


class StandIn:
    """A local HTTP server standing in for Varnish or a CDN's API: records every request and
    answers ``status``."""

    def __init__(self):
        self.calls = []
        self.status = 200
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                stand_in.calls.append(
                    {"method": self.command, "path": self.path, "headers": self.headers,
                     "body": body}
                )  # fmt: skip
                self.send_response(stand_in.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_BAN = do_POST = do_PURGE = _record  # noqa: N815 (http.server's names)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in():
    server = StandIn()
    yield server
    server.close()


@pytest.fixture
def varnish(settings, stand_in):
    """A front cache configured (the stand-in as Varnish), purges queued on a backend that
    records them."""
    settings.FRONT_CACHES = {
        "varnish": {"BACKEND": "articles.frontcache.VarnishBackend", "LOCATIONS": [stand_in.url]}
    }
    settings.TASKS = {"default": {"BACKEND": DUMMY, "QUEUES": ["default", "frontcache"]}}
    default_task_backend.clear()
    return stand_in


def purges():
    """The purge tasks queued so far: (keys, run_after)."""
    return [
        (set(result.args[0]), result.task.run_after)
        for result in default_task_backend.results
        if result.task.name == "purge"
    ]


def keys_purged():
    return [keys for keys, run_after in purges() if run_after is None]


# Surrogate keys on responses


@pytest.mark.parametrize(
    "url, keys",
    [
        ("/", "site home"),
        ("/feed/", "site feeds"),
        ("/feed/atom/", "site feeds"),
        ("/sitemap.xml", "site sitemap"),
    ],
)
def test_reader_pages_carry_their_surrogate_keys(client, settings, url, keys):
    settings.PAGE_CACHE_SECONDS = 300
    response = client.get(url)
    assert response["Surrogate-Key"] == response["xkey"] == keys


def test_an_article_page_carries_the_key_its_changes_purge(client, settings):
    """The key on the page is the one ``Article.surrogate_key`` purges: they cannot drift."""
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticleFactory(slug="burning-feet")
    response = client.get(article.get_absolute_url())
    assert response["xkey"] == f"site {article.surrogate_key}" == "site article:burning-feet"
    hit = client.get(article.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit" and hit["xkey"] == response["xkey"]


def test_personal_pages_carry_no_keys(client, settings, staff_user):
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticleFactory()
    client.force_login(staff_user)
    response = client.get(article.get_absolute_url())
    assert "private" in response["Cache-Control"]
    assert not response.has_header("xkey")


def test_with_purging_a_front_cache_may_keep_pages_for_hours(settings):
    from tests.test_settings import run_manage

    code = "from django.conf import settings; print(settings.PAGE_CACHE_SHARED_SECONDS)"
    plain = run_manage("shell", "-c", code, DJANGO_DEBUG="1")
    purged = run_manage(
        "shell", "-c", code, DJANGO_DEBUG="1", DJANGO_FRONT_CACHE_VARNISH="http://10.0.0.5:6081"
    )
    assert plain.stdout.split()[-1] == "60"
    assert purged.stdout.split()[-1] == str(6 * 3600)


# What each change purges, after commit, through the queue


def test_publishing_an_article_purges_its_page_home_feeds_and_sitemap(
    varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article = ArticleFactory(slug="new", status=Article.Status.DRAFT)
        assert keys_purged() == []  # not before the transaction commits
        article.status = Article.Status.PUBLISHED
        article.save()
    assert callbacks
    assert keys_purged() == [{"article:new", *ARTICLE_PAGES}]


@pytest.mark.parametrize("change", ["edit", "unpublish", "close comments", "delete"])
def test_changing_an_article_purges_its_pages(varnish, django_capture_on_commit_callbacks, change):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(slug="one")
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "edit":
            article.body = "Changed."
        elif change == "unpublish":
            article.status = Article.Status.DRAFT
        elif change == "close comments":
            article.allow_comments = False
        if change == "delete":
            article.delete()
        else:
            article.save()
    assert keys_purged() == [{"article:one", *ARTICLE_PAGES}]


def test_an_article_purges_its_topics_tags_people_and_neighbours(
    varnish, django_capture_on_commit_callbacks
):
    """Its topic pages (and the parent's), its tag pages, its people's profiles, and the
    articles that may list it as related or previous/next; not unrelated articles."""
    with django_capture_on_commit_callbacks(execute=True):
        parent = TopicFactory(name="Nerve pain")
        topic = TopicFactory(name="After therapy", parent=parent)
        elsewhere = TopicFactory(name="Sleep")
        tag = TagFactory(name="exercise")
        reviewer = PersonFactory(slug="dr-ada")
        article = ArticleFactory(slug="one", topic=topic, reviewed_by=reviewer)
        article.tags.add(tag)
        ArticleFactory(slug="same-topic", topic=topic)
        ArticleFactory(slug="same-tag", topic=elsewhere).tags.add(tag)
        ArticleFactory(slug="unrelated", topic=elsewhere)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Changed"
        article.save()
    assert keys_purged() == [
        {
            "article:one",
            *ARTICLE_PAGES,
            "topic:nerve-pain",
            "topic:after-therapy",
            "tag:exercise",
            "person:dr-ada",
            "article:same-topic",
            "article:same-tag",
        }
    ]


def test_moving_an_article_purges_the_topic_it_left(varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        old, new = TopicFactory(name="Old"), TopicFactory(name="New")
        ArticleFactory(slug="one", topic=old)
    article = Article.objects.get()
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.topic = new
        article.save()
    assert {"topic:old", "topic:new"} <= keys_purged()[-1]


def test_topic_and_profile_pages_carry_their_keys(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    topic = TopicFactory(name="Nerve pain")
    ArticleFactory(topic=topic)
    person = PersonFactory(slug="dr-ada")
    assert "topic:nerve-pain" in client.get(topic.get_absolute_url())["xkey"].split()
    assert "person:dr-ada" in client.get(person.get_absolute_url())["xkey"].split()


def test_a_new_slug_purges_the_old_address_too(varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(slug="old-name")
    article = Article.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        article.slug = "new-name"
        article.save()
    assert keys_purged()[-1] == {"article:old-name", "article:new-name", *ARTICLE_PAGES}


@pytest.mark.parametrize(
    "state", [Comment.State.PUBLISHED, Comment.State.SPAM, Comment.State.REMOVED]
)
def test_moderating_a_comment_purges_only_its_article(
    varnish, django_capture_on_commit_callbacks, moderator, state
):
    was = Comment.State.PENDING if state == Comment.State.PUBLISHED else Comment.State.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory(content_object=ArticleFactory(slug="talk"), state=was)
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.get(pk=comment.pk).moderate(state, moderator)
    assert keys_purged() == [{"article:talk"}]


def test_approving_many_comments_at_once_is_one_purge(
    varnish, django_capture_on_commit_callbacks, moderator_client
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(slug="busy")
        comments = CommentFactory.create_batch(5, content_object=article, state="pending")
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            "/admin/comments/comment/",
            {"action": "approve", "_selected_action": [c.pk for c in comments]},
        )
    assert Comment.objects.public().count() == 5
    assert keys_purged() == [{"article:busy"}]


def test_a_held_comment_and_a_reader_purge_nothing(
    varnish, client, settings, django_capture_on_commit_callbacks
):
    """A held comment shows on no shared page, and reading never purges anything."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.COMMENTS_MIN_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(article.get_absolute_url())
        assert send(client, form_data(article)).status_code == 303
        ModerationWord.objects.create(word="casino", action="hold")
    assert Comment.objects.get().state == Comment.State.PENDING
    assert keys_purged() == []


def test_a_call_to_action_purges_the_articles_that_show_it(
    varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cta = CallToActionFactory()
        ArticleFactory(slug="with-it", call_to_action=cta)
        ArticleFactory(slug="without-it")
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cta.heading = "New heading"
        cta.save()
    assert keys_purged() == [{"article:with-it"}]


@pytest.mark.parametrize("model", [FlatPage, PublisherPage])
def test_a_flatpage_purges_every_page(varnish, django_capture_on_commit_callbacks, model):
    """Flatpages (the medical disclaimer) show on every article: everything goes. The admin
    saves them as ``PublisherPage``, a proxy, whose signals Django sends for it alone."""
    page = model.objects.get(url="/medical-disclaimer/")
    with django_capture_on_commit_callbacks(execute=True):
        page.content = "Changed."
        page.save()
    assert keys_purged() == [{"site"}]


@pytest.mark.parametrize("model", [FooterLink, HeaderLink])
def test_a_header_or_footer_link_purges_every_page(
    varnish, django_capture_on_commit_callbacks, model
):
    """Every page has the header and the footer."""
    link = model.objects.get(page__url="/about/")
    with django_capture_on_commit_callbacks(execute=True):
        link.label = "Who we are"
        link.save()
    assert keys_purged() == [{"site"}]


def test_a_scheduled_article_is_purged_again_when_it_comes_due(
    varnish, django_capture_on_commit_callbacks
):
    due = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(slug="later", status=Article.Status.PUBLISHED, published_at=due)
    assert sorted(purges(), key=lambda p: p[1] is not None) == [
        ({"article:later", *ARTICLE_PAGES}, None),
        ({"article:later", *ARTICLE_PAGES}, due),
    ]


def test_nothing_is_queued_without_front_caches(settings, django_capture_on_commit_callbacks):
    settings.FRONT_CACHES = {}
    settings.TASKS = {"default": {"BACKEND": DUMMY, "QUEUES": ["default", "frontcache"]}}
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory()
    assert purges() == []


def test_a_rolled_back_change_purges_nothing(varnish, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ArticleFactory()
        raise RuntimeError
    assert keys_purged() == []


def test_an_uploaded_image_carries_its_own_key_and_its_deletion_purges_it(
    client, settings, tmp_path, varnish, django_capture_on_commit_callbacks
):
    """Front caches keep an image a year (deploy/varnish/default.vcl): a deleted one (a photo
    that showed too much) stayed served from there. The key on the image is the one its
    deletion purges, once the file is gone."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from articles.models import BodyImage

    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    name = default_storage.save("uploads/0123abcd-4x4.png", ContentFile(png.getvalue()))
    image = BodyImage.objects.create(path=name, width=4, height=4)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    keys = response["xkey"].split()
    assert response["Surrogate-Key"] == response["xkey"]
    assert keys[0] == "media" and keys[1].startswith("media:")
    assert keys_purged() == []  # serving it purges nothing

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not (tmp_path / name).exists()
    assert keys_purged() == [{keys[1]}]


# The purge requests each backend sends


def test_varnish_gets_a_ban_by_key_at_every_address(settings, django_capture_on_commit_callbacks):
    first, second = StandIn(), StandIn()
    try:
        settings.FRONT_CACHES = {
            "varnish": {
                "BACKEND": "articles.frontcache.VarnishBackend",
                "LOCATIONS": [first.url, second.url],
            }
        }
        settings.TASKS = {"default": {"BACKEND": IMMEDIATE, "QUEUES": ["default", "frontcache"]}}
        with django_capture_on_commit_callbacks(execute=True):
            ArticleFactory(slug="both")
        for server in (first, second):
            [call] = server.calls
            assert call["method"] == "BAN" and call["path"] == "/"
            assert set(call["headers"]["xkey"].split()) == {"article:both", *ARTICLE_PAGES}
    finally:
        first.close()
        second.close()


def test_fastly_gets_one_purge_by_surrogate_key(settings, stand_in):
    settings.FRONT_CACHES = {
        "fastly": {
            "BACKEND": "articles.frontcache.FastlyBackend",
            "API_URL": stand_in.url,
            "SERVICE_ID": "svc123",
            "API_TOKEN": "secret-token",
        }
    }
    frontcache.purge.call(["article:a", "home"])
    [call] = stand_in.calls
    assert (call["method"], call["path"]) == ("POST", "/service/svc123/purge")
    assert call["headers"]["Surrogate-Key"] == "article:a home"
    assert call["headers"]["Fastly-Key"] == "secret-token"


def test_cloudflare_gets_purges_by_tag_thirty_at_a_time(settings, stand_in):
    settings.FRONT_CACHES = {
        "cloudflare": {
            "BACKEND": "articles.frontcache.CloudflareBackend",
            "API_URL": stand_in.url,
            "ZONE_ID": "zone9",
            "API_TOKEN": "cf-token",
        }
    }
    keys = [f"article:a{n}" for n in range(31)]
    frontcache.purge.call(keys)
    assert [call["path"] for call in stand_in.calls] == ["/zones/zone9/purge_cache"] * 2
    assert stand_in.calls[0]["headers"]["Authorization"] == "Bearer cf-token"
    sent = [json.loads(call["body"])["tags"] for call in stand_in.calls]
    assert sent == [keys[:30], keys[30:]]


def test_a_failed_purge_is_logged_and_retried_later_for_that_cache_only(settings, varnish, caplog):
    varnish.status = 500
    settings.FRONT_CACHES["fastly"] = {
        "BACKEND": "articles.frontcache.FastlyBackend",
        "API_URL": "http://127.0.0.1:9",  # nothing listens: refused
        "SERVICE_ID": "svc",
        "API_TOKEN": "t",
    }
    before = timezone.now()
    with caplog.at_level(logging.WARNING), pytest.raises(frontcache.PurgeError):
        frontcache.purge.call(["home"], attempt=2)
    assert "front cache purge failed cache=varnish keys=home attempt=2" in caplog.text
    assert "cache=fastly" in caplog.text
    [retry] = default_task_backend.results
    assert retry.kwargs == {"attempt": 3, "only": ["varnish", "fastly"]}
    assert retry.task.run_after >= before + datetime.timedelta(seconds=10)

    # The retry asks only the caches that failed.
    varnish.status = 200
    frontcache.purge.call(["home"], attempt=3, only=["varnish"])
    assert len(varnish.calls) == 2


def test_a_worker_without_a_front_cache_says_the_purge_was_not_sent(settings, caplog):
    """A worker started without DJANGO_FRONT_CACHE_* took the web's purges, sent nothing, and
    logged "front cache purged": now a warning, and the task fails (the queue records it)."""
    settings.FRONT_CACHES = {}
    with caplog.at_level(logging.INFO), pytest.raises(frontcache.PurgeError):
        frontcache.purge.call(["home", "article:7"])
    assert "front cache purge not sent: no front cache configured" in caplog.text
    assert "front cache purged" not in caplog.text


def test_the_last_attempt_is_not_retried(varnish):
    varnish.status = 503
    with pytest.raises(frontcache.PurgeError):
        frontcache.purge.call(["home"], attempt=frontcache.MAX_ATTEMPTS)
    assert default_task_backend.results == []


def test_readers_reaching_django_see_a_change_the_front_cache_missed(
    varnish, settings, moderator, django_capture_on_commit_callbacks
):
    """The page version, not the purge, keeps Django's own copy fresh."""
    settings.PAGE_CACHE_SECONDS = 300
    settings.TASKS = {"default": {"BACKEND": IMMEDIATE, "QUEUES": ["default", "frontcache"]}}
    varnish.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
        comment = CommentFactory(content_object=article, state="pending", comment="Seen anyway.")
    varnish.calls.clear()
    Client().get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        comment.moderate(Comment.State.PUBLISHED, moderator)
    assert varnish.calls  # tried, and failed
    assert b"Seen anyway." in Client().get(article.get_absolute_url()).content


# The form token for pages served by a front cache


def test_a_page_from_a_front_cache_gets_its_form_token_on_request(client):
    response = client.get("/comments/token/")
    assert response.status_code == 204
    assert response.cookies[FORM_COOKIE]["httponly"]
    assert "no-store" in response["Cache-Control"]


def test_a_token_the_browser_holds_is_kept(client):
    client.cookies[FORM_COOKIE] = "held"
    response = client.get("/comments/token/")
    assert FORM_COOKIE not in response.cookies


def test_a_rolling_deploy_refreshes_as_each_node_moves_to_the_new_release(
    settings, varnish, django_capture_on_commit_callbacks, monkeypatch
):
    """Restarted one by one, only the first node refreshed the cache: the old nodes went on
    caching old pages (old links, old static names) under the new release, kept for hours,
    until someone remembered `refresh_pages --force`. Each node now keeps the release it ran,
    and refreshes when it moves on; restarted unchanged, or added, it keeps the cache."""
    from articles import pagecache

    def start(node, release):
        settings.NODE_NAME = node
        monkeypatch.setattr(pagecache, "release", lambda: release)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("refresh_pages", stdout=io.StringIO())

    start("web1", "old")
    start("web2", "old")
    default_task_backend.clear()
    start("web1", "new")  # web2 still serves (and caches) the old release's pages
    assert keys_purged() == [{"site"}]
    start("web2", "new")  # the last old node: what it cached meanwhile goes
    assert keys_purged() == [{"site"}, {"site"}]
    start("web1", "new")  # a restart
    start("web3", "new")  # a node added
    assert keys_purged() == [{"site"}, {"site"}]


def test_refresh_pages_purges_every_page_once_the_pages_settings_change(
    settings, varnish, django_capture_on_commit_callbacks
):
    """`manage.py refresh_pages` (run by `make serve` before gunicorn starts): pages cached
    with another site address, or by another release, are made stale and purged from front
    caches; started again unchanged, nothing is purged (adding a web node costs no refill)."""
    out = io.StringIO()

    def refresh(*args):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("refresh_pages", *args, stdout=out)

    refresh()  # the first start: nothing known, all purged
    default_task_backend.clear()
    refresh()
    assert keys_purged() == []
    settings.SITE_URL = "https://new.example.org"
    refresh("--dry-run")
    assert keys_purged() == []
    assert out.getvalue().splitlines()[-1] == "Cached pages would be made stale."
    refresh()
    assert keys_purged() == [{"site"}]
    refresh("--force")
    assert keys_purged() == [{"site"}, {"site"}]
