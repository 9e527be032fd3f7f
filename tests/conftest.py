import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.test import Client, override_settings

from articles import pagecache
from comments import views as comment_views
from nervepain import outage
from tests.factories import UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """The test database is migrated on an empty media folder: the uploaded images' migration
    lists what storage holds (articles.0017), and a developer's own uploads are no test's."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("migrated-media")):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, uploads in a temp dir, and static files served without a manifest."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://nervepain.example"
    # Off by default so tests see the database as it is; tests/articles/test_pagecache.py and
    # the browser journeys turn it on.
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    for alias in settings.CACHES:  # pages, rate-limit counters and throttles start empty
        caches[alias].clear()
    pagecache.recent_pages.clear()
    comment_views._recent_targets.clear()
    outage.outage.reset()  # each test starts outside a database outage
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def staff_user(db):
    """A staff member who may edit articles (but is no superuser)."""
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def reader_account_client(client, db):
    """A logged-in user who is not staff."""
    client.force_login(UserFactory())
    return client


@pytest.fixture
def moderator(db):
    """A staff member in the Moderators group: no superuser rights."""
    user = UserFactory(is_staff=True, email="mod@example.org")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def moderator_client(moderator):
    """The moderator's own browser (separate from ``client``, the reader's)."""
    moderator_browser = Client()
    moderator_browser.force_login(moderator)
    return moderator_browser
