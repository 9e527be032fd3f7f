"""The Editors group a migration makes: an editor writes and publishes articles and runs the
site's pages, and decides nothing about comments."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    browser = Client()
    browser.force_login(user)
    return user, browser


def test_the_editors_group_holds_every_articles_permission_and_no_comments_one():
    group = Group.objects.get(name="Editors")
    articles = Permission.objects.filter(content_type__app_label="articles")
    assert set(group.permissions.all()) == set(articles)
    assert {"add_article", "change_article", "change_publisherpage", "change_sitesettings"} <= set(
        group.permissions.values_list("codename", flat=True)
    )


def test_an_editor_writes_articles_and_pages_but_does_not_moderate(editor):
    user, browser = editor
    article = ArticleFactory()
    assert browser.get(f"/admin/articles/article/{article.pk}/change/").status_code == 200
    assert browser.get("/admin/articles/article/add/").status_code == 200
    assert browser.get("/admin/articles/publisherpage/").status_code == 200
    assert not user.has_perm("comments.moderate_comment")
    assert browser.get("/admin/comments/comment/").status_code == 403
