"""The moderation lists are cached between posts, and a change reaches the very next post."""

import pytest
from django.core.cache import cache, caches
from django.db import transaction

from articles import pagecache
from comments import rules
from comments.models import Comment, CrisisPhrase, MedicalClaimPattern, ModerationWord

pytestmark = pytest.mark.django_db


def test_the_lists_are_read_once_then_come_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(3):  # crisis phrases, medical claim patterns, words
        rules.current()
    with django_assert_num_queries(0):
        rules.current()


@pytest.mark.parametrize("second_post", [False, True], ids=["first post", "with a key"])
def test_a_post_reads_the_lists_once(post, article, monkeypatch, second_post):
    """The crisis check before the duplicate check and the moderation rules after it share
    one read of the lists: one cache round trip a post, not two."""
    if second_post:
        post(article, comment="A first comment: this browser now has a commenter key.")
    reads = []
    real = rules.current
    monkeypatch.setattr(rules, "current", lambda *found: reads.append(1) or real(*found))
    response = post(article, comment="Physio made it worse for a week, then better.")
    assert response.status_code == 303
    assert len(reads) == 1


def test_a_post_reads_the_lists_with_the_page_version(post, article, monkeypatch):
    """The page version (the post's copy of the article is kept under it) and the lists
    come in one cache round trip: the page version is read by no other."""
    pagecache.current_version()  # as on a running site: the version exists
    reads, inside = [], []
    default = caches["default"]
    get, get_many = default.get, default.get_many

    def spied_get(key, *args, **kwargs):
        if not inside:  # not the local memory cache's get_many, which calls get for each key
            reads.append([key])
        return get(key, *args, **kwargs)

    def spied_get_many(keys, **kwargs):
        reads.append(list(keys))
        inside.append(1)
        try:
            return get_many(keys, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(default, "get", spied_get)
    monkeypatch.setattr(default, "get_many", spied_get_many)
    response = post(article, comment="Physio made it worse for a week, then better.")
    assert response.status_code == 303
    assert [keys for keys in reads if pagecache.VERSION_KEY in keys] == [
        [pagecache.VERSION_KEY, *rules.KEYS]
    ]


def test_an_article_closed_after_a_post_refuses_the_next(post, article):
    """The post's copy of the article is kept under the page version it read with the lists:
    closing the article moves the version on, and the next post reads it again."""
    assert post(article, comment="A first comment: the article is now kept.").status_code == 303
    article.allow_comments = False
    article.save()
    response = post(article, comment="A second comment, after the article was closed.")
    assert response.status_code == 403
    assert Comment.objects.count() == 1


def test_a_word_added_in_the_admin_holds_the_next_comment(post, article, admin_client):
    post(article, comment="A first comment: the lists are now cached.")
    response = admin_client.post(
        "/admin/comments/moderationword/add/", {"word": "casino", "action": "hold"}
    )
    assert response.status_code == 302
    post(article, comment="Best casino in town.")
    assert Comment.objects.latest("pk").reason == Comment.Reason.HOLD_WORD


def test_a_deleted_crisis_phrase_no_longer_marks_comments_urgent(post, article):
    phrase = CrisisPhrase.objects.create(phrase="walk into the sea", language="en")
    post(article, comment="Some days I want to walk into the sea.")
    assert Comment.objects.latest("pk").urgent
    phrase.delete()
    post(article, comment="I walk into the sea every morning, it helps the pain.")
    assert not Comment.objects.latest("pk").urgent


def test_a_new_medical_pattern_applies_at_once():
    pattern = r"\btake \d+ ?mg of zzzaprofen\b"
    assert pattern not in rules.current().medical_patterns
    MedicalClaimPattern.objects.create(category="dosing", kind="pattern", pattern=pattern)
    assert pattern in rules.current().medical_patterns


def test_a_copy_read_before_a_change_is_not_put_back_as_current():
    """A post that read the old rows just before a change may write them to the cache after
    it: they are kept under the old version, and the next post reads the lists again."""
    stale = rules.current()
    ModerationWord.objects.create(word="casino", action="disallow")
    cache.set(rules.CACHE_KEY, stale)  # the slow post writes what it read
    assert "casino" in [word for word, _, _ in rules.current().words]


def test_the_version_changes_again_when_the_change_commits(django_capture_on_commit_callbacks):
    rules.current()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ModerationWord.objects.create(word="casino", action="hold")
        during = cache.get(rules.VERSION_KEY)
    assert cache.get(rules.VERSION_KEY) != during


def test_without_the_cache_the_lists_come_from_the_database(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    ModerationWord.objects.create(word="casino", action="hold")
    assert rules.words_in("casino night")["hold"] == ["casino"]
