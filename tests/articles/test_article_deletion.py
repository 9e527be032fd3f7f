"""Deleting an article never leaves its readers' comments behind.

An article with comments cannot be deleted on its own, from the admin or from code: the admin's
delete page says why and offers to unpublish it instead, unless the person deleting ticks to
erase the comments with it. Then article and comments go in one logged transaction, addresses
with no comment left are forgotten, and the comments' email links stop working.
"""

import logging

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError
from django_comments.models import CommentFlag

from articles.models import Article
from comments import trust
from comments.models import Comment, TrustedCommenter, VerifiedEmail
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(title="Nerve pain", slug="nerve-pain")


@pytest.fixture
def comments(article):
    first = CommentFactory(article=article, user_email="ann@example.org", followup=True)
    reply = CommentFactory(article=article, parent=first, user_email="bob@example.org")
    return [first, reply]


def delete_url(article):
    return f"/admin/articles/article/{article.pk}/delete/"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


# -- from code -----------------------------------------------------------------------------


def test_deleting_an_article_with_comments_from_code_is_refused(article, comments):
    with pytest.raises(ProtectedError), transaction.atomic():
        article.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        Article.objects.filter(pk=article.pk).delete()
    assert Article.objects.filter(pk=article.pk).exists()
    assert Comment.objects.count() == 2


def test_an_article_without_comments_is_deleted_as_before(article):
    """A guard: only articles that readers' data depends on are protected."""
    other = ArticleFactory()
    CommentFactory(article=other)
    article.delete()
    assert not Article.objects.filter(pk=article.pk).exists()


def test_code_can_erase_the_comments_with_the_article(article, comments, caplog, admin_user):
    from articles.deletion import erasing_dependents

    elsewhere = CommentFactory(user_email="BOB@example.org")  # Bob also wrote on another page
    CommentFlag.objects.create(comment=comments[0], user=admin_user, flag="removal suggestion")
    for email in ("ann@example.org", "bob@example.org"):
        TrustedCommenter.objects.create(key_hash="k" * 64, email=email)
        VerifiedEmail.objects.create(email=email)

    pk = article.pk
    with caplog.at_level(logging.INFO, logger="comments.privacy"), erasing_dependents():
        article.delete()

    assert not Article.objects.filter(pk=pk).exists()
    assert list(Comment.objects.values_list("pk", flat=True)) == [elsewhere.pk]
    assert not CommentFlag.objects.exists()
    # Ann has no comment left: forgotten. Bob still has one: still trusted and verified.
    assert list(TrustedCommenter.objects.values_list("email", flat=True)) == ["bob@example.org"]
    assert list(VerifiedEmail.objects.values_list("email", flat=True)) == ["bob@example.org"]
    message = caplog.records[-1].getMessage()
    assert f"article erase article={pk} comments=2" in message
    assert "ann@example.org" not in message and "by=code" in message


# -- the admin, one article ----------------------------------------------------------------


def test_delete_page_says_why_and_offers_to_unpublish_or_erase(admin_client, article, comments):
    response = admin_client.get(delete_url(article))
    page = soup(response)
    text = " ".join(page.select_one("#content").get_text().split())
    assert response.status_code == 200
    assert "cannot be deleted on its own" in text
    assert "2 comments by readers (names, email addresses, IP addresses" in text
    unpublish = page.find("form", action=f"/admin/articles/article/{article.pk}/unpublish/")
    assert unpublish is not None
    erase = page.find("input", attrs={"name": "erase_dependents"})
    assert erase is not None and erase.has_attr("required")


def test_delete_page_of_a_published_article_without_comments_offers_to_unpublish(
    admin_client, article
):
    """What a writer taking an article down usually means is offered first (Ghost's
    "Unpublish"): the offer was only there for an article with comments, so one without went
    straight to "Are you sure you want to delete"."""
    page = soup(admin_client.get(delete_url(article)))
    unpublish = page.find("form", action=f"/admin/articles/article/{article.pk}/unpublish/")
    assert unpublish is not None
    assert unpublish.find("input", attrs={"type": "submit"})["value"] == "Unpublish it"
    assert page.find("input", attrs={"name": "post", "value": "yes"}) is not None  # delete stays

    article.status = Article.Status.DRAFT
    article.save()
    page = soup(admin_client.get(delete_url(article)))
    assert page.find("form", class_="unpublish-form") is None


def test_confirming_without_choosing_to_erase_deletes_nothing(admin_client, article, comments):
    response = admin_client.post(delete_url(article), {"post": "yes"})
    assert response.status_code == 200
    assert "cannot be deleted on its own" in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()
    assert Comment.objects.count() == 2


def test_choosing_to_erase_deletes_the_article_and_its_comments_in_one_logged_step(
    admin_client, admin_user, article, comments
):
    comment_type = ContentType.objects.get_for_model(Comment)
    earlier = LogEntry.objects.create(
        user=admin_user,
        content_type=comment_type,
        object_id=str(comments[0].pk),
        object_repr=str(comments[0]),
        action_flag=CHANGE,
    )
    response = admin_client.post(delete_url(article), {"post": "yes", "erase_dependents": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not Comment.objects.exists()

    entry = LogEntry.objects.get(action_flag=DELETION)
    assert entry.object_repr == "Nerve pain" and entry.user == admin_user
    assert entry.change_message.startswith("Erased with it: 2 comments by readers")
    earlier.refresh_from_db()  # the history no longer quotes the erased comment
    assert earlier.object_repr == "Comment erased with its article"


def test_email_links_of_erased_comments_stop_working(client, admin_client, article, comments):
    confirm = f"/comments/confirm/{trust.sign_comment(comments[0].pk, 'confirm')}/"
    unsubscribe = f"/comments/unsubscribe/{trust.sign_comment(comments[0].pk, 'unsubscribe')}/"
    assert client.get(confirm).status_code == 200
    assert client.get(unsubscribe).status_code == 200

    admin_client.post(delete_url(article), {"post": "yes", "erase_dependents": "yes"})

    for link in (confirm, unsubscribe):
        assert client.get(link).status_code == 400
        assert client.post(link).status_code == 400
    assert not VerifiedEmail.objects.exists()


def test_erasing_needs_the_permission_to_delete_comments(client, article, comments, staff_user):
    """An editor who may delete articles but not comments cannot erase readers' comments."""
    assert staff_user.has_perm("articles.delete_article")
    client.force_login(staff_user)
    response = client.post(delete_url(article), {"post": "yes", "erase_dependents": "yes"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()
    assert Comment.objects.count() == 2

    staff_user.user_permissions.add(
        Permission.objects.get(
            codename="delete_comment", content_type=ContentType.objects.get_for_model(Comment)
        )
    )
    client.post(delete_url(article), {"post": "yes", "erase_dependents": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


def test_an_editor_who_may_not_erase_comments_is_told_so_not_offered_the_button(
    client, article, comments, staff_user
):
    """The page offered "Delete the article and erase them" to an editor without the
    permission to delete comments; pressing it answered "You cannot open this page"."""
    client.force_login(staff_user)
    for response in (client.get(delete_url(article)), bulk(client, [article])):
        page = soup(response)
        text = " ".join(page.select_one("#content").get_text().split())
        assert "needs the permission to delete comments" in text
        assert page.find("input", attrs={"name": "erase_dependents"}) is None
        assert page.find("input", attrs={"value": "Unpublish it"}) or page.find(
            "input", attrs={"name": "action", "value": "unpublish_selected"}
        )


def test_a_failed_erasure_leaves_article_and_comments_as_they_were(
    admin_client, article, comments, monkeypatch
):
    """One transaction: comments already deleted come back when a later step fails."""
    from comments import privacy

    class Broken:
        class objects:  # noqa: N801 - stands in for a manager
            @staticmethod
            def filter(**kwargs):
                raise RuntimeError("database went away")

    monkeypatch.setattr(privacy, "TrustedCommenter", Broken)
    with pytest.raises(RuntimeError):
        admin_client.post(delete_url(article), {"post": "yes", "erase_dependents": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()
    assert Comment.objects.count() == 2
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()


def test_unpublish_instead_takes_the_article_off_the_site(
    client, admin_client, article, comments, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    assert client.get(article.get_absolute_url()).status_code == 200  # now in the page cache
    url = f"/admin/articles/article/{article.pk}/unpublish/"
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert Comment.objects.count() == 2
    assert LogEntry.objects.get(action_flag=CHANGE).object_id == str(article.pk)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_erasing_keeps_the_page_cache_right(client, admin_client, article, comments, settings):
    """A guard: the cached article page and list go with the article."""
    settings.PAGE_CACHE_SECONDS = 300
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Nerve pain" in client.get("/").content.decode()
    admin_client.post(delete_url(article), {"post": "yes", "erase_dependents": "yes"})
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Nerve pain" not in client.get("/").content.decode()


# -- the admin, several articles -----------------------------------------------------------


def bulk(admin_client, articles, **data):
    return admin_client.post(
        "/admin/articles/article/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in articles], **data},
    )


def test_bulk_delete_is_refused_while_comments_exist_and_offers_the_same_choice(
    admin_client, article, comments
):
    quiet = ArticleFactory(title="No discussion")
    page = soup(bulk(admin_client, [article, quiet]))
    text = " ".join(page.select_one("#content").get_text().split())
    assert "cannot be deleted on their own" in text
    assert page.find("input", attrs={"name": "action", "value": "unpublish_selected"})
    assert page.find("input", attrs={"name": "erase_dependents"})

    bulk(admin_client, [article, quiet], post="yes")
    assert Article.objects.count() == 2 and Comment.objects.count() == 2

    response = bulk(admin_client, [article, quiet], post="yes", erase_dependents="yes")
    assert response.status_code == 302
    assert not Article.objects.exists() and not Comment.objects.exists()
    assert LogEntry.objects.filter(action_flag=DELETION).count() == 2


def test_bulk_unpublish(admin_client, article, comments):
    response = admin_client.post(
        "/admin/articles/article/",
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
