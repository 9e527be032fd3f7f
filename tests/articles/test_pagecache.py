"""The page cache serves anonymous readers and is never stale."""

import datetime
import io
import time
from types import SimpleNamespace

import pytest
import redis
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles import pagecache
from articles.models import Article
from comments.models import (
    Comment,
    CommentReport,
    CommentVersion,
    TrustedCommenter,
    VerifiedEmail,
)
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    PersonFactory,
    TagFactory,
    TopicFactory,
    UserFactory,
)
from tests.services import needs_redis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def get(client, url, **headers):
    return client.get(url, **headers)


def test_second_anonymous_visit_is_served_from_the_cache(client, django_assert_num_queries):
    article = ArticleFactory()
    first = get(client, article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_anonymous_pages_tell_shared_caches_how_long_and_on_what_they_vary(client):
    response = get(client, "/")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=60"
    vary = {v.strip() for v in response["Vary"].split(",")}
    assert {"Cookie", "Accept-Encoding"} <= vary


def test_compressed_and_plain_copies_are_kept_apart(client):
    article = ArticleFactory(body="words " * 500)
    zipped = get(client, article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    again = get(client, article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    plain = get(client, article.get_absolute_url())
    assert zipped["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert again["X-Page-Cache"] == "hit"
    assert not plain.has_header("Content-Encoding")
    assert b"words words" in plain.content


def test_logged_in_users_get_fresh_private_pages(client, staff_user):
    article = ArticleFactory()
    client.force_login(staff_user)
    get(client, article.get_absolute_url())
    response = get(client, article.get_absolute_url())
    assert not response.has_header("X-Page-Cache")
    assert "private" in response["Cache-Control"]


def test_commenter_with_a_held_comment_sees_it_not_a_cached_copy(client, post_comment_as_reader):
    article = ArticleFactory()
    other = Client()
    get(other, article.get_absolute_url())  # an anonymous copy is now cached
    post_comment_as_reader(client, article, "My own held words")
    response = get(client, article.get_absolute_url())
    assert "My own held words" in response.content.decode()
    assert "awaiting moderation" in response.content.decode()
    assert "My own held words" not in get(other, article.get_absolute_url()).content.decode()


def test_query_strings_outside_the_known_ones_bypass_the_cache(client):
    get(client, "/?utm_source=x")
    assert not get(client, "/?utm_source=x").has_header("X-Page-Cache")


@pytest.fixture(params=["page cache", "page and fragment caches", "fragment caches"])
def caches(request, settings):
    """Every transition is checked for readers the page cache serves, and for readers it cannot
    serve (page cache off), whose pages are built from fragments and the article cached under
    the same version; production runs with both."""
    settings.PAGE_CACHE_SECONDS = 0 if request.param == "fragment caches" else 300
    settings.FRAGMENT_CACHE_SECONDS = 0 if request.param == "page cache" else 300
    return request.param


@pytest.fixture
def post_comment_as_reader(settings):
    from tests.comments.conftest import form_data, send

    settings.COMMENTS_MIN_SECONDS = 0

    def _post(client, article, text):
        assert send(client, form_data(article, comment=text)).status_code == 303

    return _post


def test_editing_an_article_shows_at_once(caches, client):
    article = ArticleFactory(title="Original title")
    get(client, article.get_absolute_url())
    article.title = "Edited title"
    article.save()
    response = get(client, article.get_absolute_url())
    assert response.get("X-Page-Cache") == (None if caches == "fragment caches" else "miss")
    assert "Edited title" in response.content.decode()


def test_closing_comments_shows_at_once(caches, client):
    article = ArticleFactory()
    assert "Comments are closed" not in get(client, article.get_absolute_url()).content.decode()
    article.allow_comments = False
    article.save()
    assert "Comments are closed" in get(client, article.get_absolute_url()).content.decode()


def test_publishing_shows_on_the_home_page_at_once(caches, client):
    draft = ArticleFactory(title="Fresh news", draft=True)
    assert "Fresh news" not in get(client, "/").content.decode()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert "Fresh news" in get(client, "/").content.decode()


def test_unpublishing_removes_the_cached_page_at_once(caches, client):
    article = ArticleFactory()
    assert get(client, article.get_absolute_url()).status_code == 200
    article.status = Article.Status.DRAFT
    article.save()
    assert get(client, article.get_absolute_url()).status_code == 404
    assert article.title not in get(client, "/").content.decode()


@pytest.mark.parametrize(
    ("start", "end", "visible"),
    [
        ("pending", "published", True),
        ("published", "removed", False),
        ("published", "spam", False),
    ],
)
def test_moderation_shows_at_once(caches, client, moderator_client, start, end, visible):
    comment = CommentFactory(state=start, comment="The comment under test")
    url = comment.content_object.get_absolute_url()
    assert ("The comment under test" in get(client, url).content.decode()) is not visible
    action = {"published": "approve", "removed": "remove", "spam": "mark_spam"}[end]
    moderator_client.post(
        "/admin/comments/comment/?state=all", {"action": action, "_selected_action": [comment.pk]}
    )
    assert ("The comment under test" in get(client, url).content.decode()) is visible


@pytest.fixture
def page_timeouts(monkeypatch):
    """The timeouts pages are stored with in the shared cache, in the order they are stored."""
    timeouts = []
    real_set = pagecache.cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith("pagecache:") and key != pagecache.VERSION_KEY:
            timeouts.append(timeout)
        return real_set(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(pagecache.cache, "set", spy)
    return timeouts


def test_a_cached_page_never_outlives_the_next_scheduled_article(client, page_timeouts):
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(seconds=90), title="Soon")
    get(client, "/")
    assert page_timeouts and 0 < page_timeouts[0] <= 90


def test_cached_pages_keep_being_served_when_the_database_is_down(client, monkeypatch):
    """Reading a cached page needs no database."""
    article = ArticleFactory()
    get(client, article.get_absolute_url())
    from django.db.backends.utils import CursorWrapper

    def down(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("could not connect to server")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = get(client, article.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


REDIS_URL = "redis://127.0.0.1:6379/14"


@needs_redis(REDIS_URL)
def test_invalidation_reaches_every_process_through_redis(settings, client):
    """Two cache clients (two web processes) on one Redis: a change made through one is seen
    through the other on the next request."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "nervepain.cache.TolerantRedisCache", "LOCATION": REDIS_URL}
    }
    article = ArticleFactory(title="Before")
    assert "Before" in get(client, article.get_absolute_url()).content.decode()
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"
    version = redis.Redis.from_url(REDIS_URL).keys("*pagecache:version*")
    assert version  # the version lives in Redis, shared by all processes
    article.title = "After"
    article.save()
    assert "After" in get(Client(), article.get_absolute_url()).content.decode()
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_held_comments_arriving_do_not_empty_the_cache(client, post_comment_as_reader):
    """Nothing readers see changed, so a flood of held spam costs no cache misses."""
    article = ArticleFactory()
    get(client, article.get_absolute_url())
    post_comment_as_reader(Client(), article, "Held spam")
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"
    comment = Comment.objects.get()
    comment.moderate(Comment.State.SPAM, None)
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"
    comment.moderate(Comment.State.PUBLISHED, None)
    assert "Held spam" in get(client, article.get_absolute_url()).content.decode()


def test_records_readers_never_see_leave_the_cache_alone(client):
    """A commenter confirming their address, a browser earning trust, a report or an earlier
    version kept: none of it is on a page, so cached pages stay cached."""
    article = ArticleFactory()
    comment = CommentFactory(content_object=article, state="published")
    get(client, article.get_absolute_url())
    before = pagecache.current_version()
    VerifiedEmail.objects.create(email="reader@example.org")
    TrustedCommenter.objects.create(key_hash="k" * 64, email="reader@example.org", name="R")
    CommentReport.objects.create(comment=comment, reason="other", reporter_key_hash="r" * 64)
    CommentVersion.objects.create(
        comment=comment, text="before", state="published", change="edited"
    )
    assert pagecache.current_version() == before
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_fragments_serve_readers_the_page_cache_cannot(
    settings, staff_client, client, post_comment_as_reader, django_assert_num_queries
):
    """Staff and commenters get fresh pages, built from fragments cached under the page
    version: fewer queries, never stale, and a commenter still sees their own held comment."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300
    article = ArticleFactory()
    published = CommentFactory(article=article, comment="Public words")
    first = staff_client.get(article.get_absolute_url())
    # Session, user, the article (staff may preview drafts), and the user's permissions (two
    # queries: a moderator sees held comments in place).
    with django_assert_num_queries(5):
        second = staff_client.get(article.get_absolute_url())
    assert b"Public words" in second.content
    assert first.content.count(b"Public words") == second.content.count(b"Public words")

    published.moderate(Comment.State.REMOVED, None)
    assert b"Public words" not in staff_client.get(article.get_absolute_url()).content

    reader = Client()
    post_comment_as_reader(reader, article, "My held words")
    own = reader.get(article.get_absolute_url()).content.decode()
    assert "My held words" in own and "awaiting moderation" in own
    assert "My held words" not in staff_client.get(article.get_absolute_url()).content.decode()


def test_readers_the_page_cache_cannot_serve_cost_no_query_once_cached(
    settings, client, django_assert_num_queries
):
    """Page cache off: the article, its page parts and its comments come from the cache."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300
    article = ArticleFactory()
    CommentFactory(article=article, comment="Public words")
    first = get(client, article.get_absolute_url())
    with django_assert_num_queries(0):
        second = get(client, article.get_absolute_url())
    assert second.content.count(b"Public words") == first.content.count(b"Public words") == 1


def test_a_cached_article_is_never_shown_to_readers_after_unpublishing(settings, client):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300
    article = ArticleFactory()
    assert get(client, article.get_absolute_url()).status_code == 200
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)  # no signal...
    assert get(client, article.get_absolute_url()).status_code == 200  # ...so still cached
    article.refresh_from_db()
    article.save()  # what the admin does
    assert get(client, article.get_absolute_url()).status_code == 404


def test_staff_previews_never_come_from_the_readers_article_cache(settings, staff_client):
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 300
    draft = ArticleFactory(title="Draft under review", draft=True)
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this article is" in response.content.decode()
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_a_process_serves_its_recent_copy_reading_only_the_version(client, monkeypatch):
    article = ArticleFactory()
    url = article.get_absolute_url()
    first = get(client, url)
    read = []
    for name in ("get", "get_many"):
        real = getattr(pagecache.cache, name)
        monkeypatch.setattr(
            pagecache.cache,
            name,
            lambda keys, *a, _real=real, **k: read.append(keys) or _real(keys, *a, **k),
        )
    second = get(client, url)
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    assert read == [pagecache.VERSION_KEY]


def test_a_recent_copy_is_not_served_past_its_expiry(client, monkeypatch):
    article = ArticleFactory()
    get(client, article.get_absolute_url())
    now = pagecache.time.time()
    monkeypatch.setattr(pagecache.time, "time", lambda: now + 301)  # the shared copy expires
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_recent_copies_stay_within_their_byte_budget(settings):
    settings.PAGE_CACHE_LOCAL_BYTES = 1000
    pages = pagecache.RecentPages()
    for n in range(5):
        pages.put(f"page-{n}", {"body": b"x" * 400})
    assert pages.size <= 1000
    assert pages.get("page-0") is None and pages.get("page-4") is not None
    pages.put("too-big", {"body": b"x" * 1001})
    assert pages.get("too-big") is None


@pytest.fixture
def listed():
    """A topic, a tag and a public writer, each with one published article."""
    topic = TopicFactory(name="Sciatica", slug="sciatica")
    tag = TagFactory(name="Exercise", slug="exercise")
    writer = PersonFactory(slug="ada")
    ArticleFactory(title="Already there", topic=topic, tags=[tag], byline=writer)
    return topic, tag, writer


@pytest.mark.parametrize(
    "url", ["/topics/sciatica/", "/tags/exercise/", "/people/ada/", "/topics/", "/"]
)
def test_list_pages_are_cached_and_show_a_newly_published_article_at_once(client, listed, url):
    """Topic, tag, profile, topics and home pages are cached like articles, and publishing
    an article in them makes every cached copy stale."""
    topic, tag, writer = listed
    assert get(client, url)["X-Page-Cache"] == "miss"
    assert get(client, url)["X-Page-Cache"] == "hit"
    draft = ArticleFactory(
        title="Fresh from the press", topic=TopicFactory(name="Sub", parent=topic), draft=True
    )
    draft.tags.add(tag)
    draft.byline = writer
    draft.status = Article.Status.PUBLISHED
    draft.save()
    response = get(client, url)
    assert response["X-Page-Cache"] == "miss"
    expected = "Sub" if url == "/topics/" else "Fresh from the press"
    assert expected in response.content.decode()


def test_tagging_an_article_makes_its_pages_stale(client, listed):
    """Tags change without a save of the article (``tags.add``): that too refreshes pages."""
    article = Article.objects.get()
    new_tag = TagFactory(name="New tag", slug="new-tag")
    get(client, "/tags/new-tag/")
    get(client, article.get_absolute_url())
    assert get(client, article.get_absolute_url())["X-Page-Cache"] == "hit"
    article.tags.add(new_tag)
    assert "Already there" in get(client, "/tags/new-tag/").content.decode()
    assert "/tags/new-tag/" in get(client, article.get_absolute_url()).content.decode()


EDIT_LINK = b"Edit this article"


def test_staff_see_an_edit_link_readers_never_do(staff_user):
    article = ArticleFactory()
    staff, account, anonymous = Client(), Client(), Client()
    staff.force_login(staff_user)
    account.force_login(UserFactory())
    page = staff.get(article.get_absolute_url()).content.decode()
    assert f'href="/admin/articles/article/{article.pk}/change/">Edit this article' in page
    assert EDIT_LINK not in account.get(article.get_absolute_url()).content
    assert EDIT_LINK not in anonymous.get(article.get_absolute_url()).content


@pytest.mark.parametrize("staff_first", [True, False])
def test_the_edit_link_never_reaches_a_cached_page(settings, staff_user, staff_first):
    """Whoever comes first, the page and fragment caches hold nothing staff-only, and staff
    are never served the readers' copy."""
    settings.FRAGMENT_CACHE_SECONDS = 300
    article = ArticleFactory()
    staff, reader = Client(), Client()
    staff.force_login(staff_user)
    url = article.get_absolute_url()
    if staff_first:
        assert EDIT_LINK in staff.get(url).content
    first = reader.get(url)
    assert first["X-Page-Cache"] == "miss" and EDIT_LINK not in first.content
    assert EDIT_LINK in staff.get(url).content
    again = reader.get(url)
    assert again["X-Page-Cache"] == "hit" and EDIT_LINK not in again.content


def test_a_page_whose_comments_close_is_kept_by_no_cache_past_that_moment(
    settings, client, page_timeouts
):
    """With comments closing some days after publication, the form goes at that moment:
    the page cache and a front cache (s-maxage) keep the page no longer, as nothing purges
    it then. The post would be refused anyway; the reader is not offered the form."""
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    settings.PAGE_CACHE_SHARED_SECONDS = 6 * 3600
    published = timezone.now() - datetime.timedelta(days=14) + datetime.timedelta(seconds=90)
    article = ArticleFactory(published_at=published)
    first = get(client, article.get_absolute_url())
    assert 'action="/comments/post/"' in first.content.decode()  # open: the form is there
    assert page_timeouts and 0 < page_timeouts[0] <= 90
    max_age = int(first["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < max_age <= 90


def test_a_page_whose_comments_never_close_keeps_the_usual_lifetimes(settings, client):
    settings.COMMENTS_CLOSE_AFTER_DAYS = None
    settings.PAGE_CACHE_SHARED_SECONDS = 6 * 3600
    response = get(client, ArticleFactory().get_absolute_url())
    assert "s-maxage=21600" in response["Cache-Control"]


@pytest.mark.parametrize(("before", "after"), [(60, 6 * 3600), (6 * 3600, 60)])
def test_a_new_front_cache_lifetime_reaches_pages_cached_before_it(settings, client, before, after):
    """Configuring a front cache (s-maxage 60 s becomes six hours), or taking it away, is
    what a front cache is told at once, also for pages the page cache stored before: they
    handed on their old lifetime for up to ``PAGE_CACHE_SECONDS``, and a CDN no longer
    purged kept pages six hours."""
    settings.PAGE_CACHE_SHARED_SECONDS = before
    url = ArticleFactory().get_absolute_url()
    assert f"s-maxage={before}" in get(client, url)["Cache-Control"]
    settings.PAGE_CACHE_SHARED_SECONDS = after
    again = get(client, url)
    assert again["X-Page-Cache"] == "hit"
    assert again["Cache-Control"] == f"public, max-age=0, s-maxage={after}"


def test_a_cached_copy_tells_front_caches_the_time_left_until_the_page_changes(
    settings, client, monkeypatch
):
    """A page whose comments close in 90 s, served from the page cache 60 s later, may be
    kept by a front cache for the 30 s left, not for the 90 s it was stored with."""
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    settings.PAGE_CACHE_SHARED_SECONDS = 6 * 3600
    published = timezone.now() - datetime.timedelta(days=14) + datetime.timedelta(seconds=90)
    url = ArticleFactory(published_at=published).get_absolute_url()
    get(client, url)
    real_time = time.time
    monkeypatch.setattr(pagecache, "time", SimpleNamespace(time=lambda: real_time() + 60))
    later = get(client, url)
    assert later["X-Page-Cache"] == "hit"
    max_age = int(later["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < max_age <= 30


def test_refresh_pages_makes_pages_cached_by_another_release_stale(settings, client):
    """A page cached before the site's address (or the code, templates or static files)
    changed is rendered again once `manage.py refresh_pages` has run; otherwise it is kept."""
    url = ArticleFactory().get_absolute_url()
    call_command("refresh_pages", stdout=io.StringIO())
    get(client, url)
    call_command("refresh_pages", stdout=io.StringIO())
    assert get(client, url)["X-Page-Cache"] == "hit"
    settings.SITE_URL = "https://new.example.org"
    call_command("refresh_pages", stdout=io.StringIO())
    again = get(client, url)
    assert again["X-Page-Cache"] == "miss"
    assert b'href="https://new.example.org/' in again.content
