"""A logged-in moderator reading an article sees its held comments in place, marked, with
Approve / Spam / Remove; readers never do, whatever the page cache holds."""

import pytest
from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.test import Client

from comments.models import hash_commenter_key
from comments.trust import COMMENTER_COOKIE, set_commenter_key
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_moderator_sees_held_comments_in_place_with_controls(moderator_client):
    parent = CommentFactory(state="published", comment="Public words")
    held = CommentFactory(
        article=parent.content_object,
        parent=parent,
        state="pending",
        reason="links",
        comment="Held words",
    )
    html = page(moderator_client, parent.content_object.get_absolute_url())
    item = html.find(id=f"c{held.pk}")
    assert "pending" in item["class"]
    assert "Held words" in item.get_text()
    assert "Held: Two or more links" in item.select_one(".moderate-note").get_text()
    # Named for the comment, the word shown first: held comments' buttons were "Approve,
    # Approve..." in a screen reader's list of buttons.
    buttons = [b.get_text() for b in item.select(".moderate-here button")]
    by = f"comment by {held.user_name}"
    assert buttons == [f"Approve {by}", f"Spam {by}", f"Remove {by}"]
    shown = [b.contents[0] for b in item.select(".moderate-here button")]
    assert shown == ["Approve", "Spam", "Remove"]
    assert item.select_one(".moderate-here input[name=csrfmiddlewaretoken]")
    # Nested under its parent, where it will appear once approved.
    assert item.find_parent("li")["id"] == f"c{parent.pk}"
    assert html.select_one("#comments-heading").get_text() == "1 Response"


def test_approving_in_place_returns_to_the_comment_and_readers_see_it(
    moderator_client, client, caching
):
    held = CommentFactory(state="pending", comment="Held words")
    url = held.content_object.get_absolute_url()
    assert "Held words" not in client.get(url).content.decode()  # now in the page cache
    form = page(moderator_client, url).find(id=f"c{held.pk}").select_one(".moderate-here form")
    data = {i["name"]: i.get("value", "") for i in form.select("input")}
    response = moderator_client.post(form["action"], data)
    assert response["Location"] == f"{url}#c{held.pk}"
    held.refresh_from_db()
    assert held.state == "published"
    assert "Held words" in client.get(url).content.decode()


def test_the_moderator_page_never_reaches_readers_through_the_caches(
    moderator_client, client, caching
):
    held = CommentFactory(state="pending", comment="Held words")
    CommentFactory(article=held.content_object, state="published", comment="Public words")
    url = held.content_object.get_absolute_url()
    for _ in range(2):  # the moderator's view first, then a reader's, twice
        assert "Held words" in moderator_client.get(url).content.decode()
        reader_html = client.get(url).content.decode()
        assert "Public words" in reader_html
        assert "Held words" not in reader_html
        assert "moderate-here" not in reader_html
        assert "moderate-link" not in reader_html
        assert "csrfmiddlewaretoken" not in reader_html
    other_reader = Client()
    assert "Held words" not in other_reader.get(url).content.decode()


def test_a_commenters_page_after_a_moderators_has_report_not_moderate(moderator_client, caching):
    """A commenter's page (its own held comment in place) is built apart from the public one:
    the moderators' Moderate links reach neither."""
    public = CommentFactory(state="published", comment="Public words")
    article = public.content_object
    commenter = Client()
    signed = HttpResponse()
    set_commenter_key(signed, "k" * 32)
    commenter.cookies[COMMENTER_COOKIE] = signed.cookies[COMMENTER_COOKIE].value
    CommentFactory(
        article=article,
        state="pending",
        comment="My held words",
        commenter_key_hash=hash_commenter_key("k" * 32),
    )
    url = article.get_absolute_url()
    assert "moderate-link" in moderator_client.get(url).content.decode()
    html = page(commenter, url)
    assert "My held words" in html.get_text()
    assert not html.select("a.moderate-link")
    assert html.select_one(f'#c{public.pk} a[href$="/report/"]') is not None


def test_each_moderate_link_says_whose_comment_it_opens(moderator_client):
    """Under each comment, as Reply is: a screen reader's list of links read "Moderate,
    Moderate, Moderate", not whose comment each opens (a description is not in that list):
    each is named "Moderate comment by Maria", the word shown first."""
    comment = CommentFactory(state="published", user_name="Maria")
    html = page(moderator_client, comment.content_object.get_absolute_url())
    link = html.select_one(f"#c{comment.pk} a.moderate-link")
    assert link.get_text() == "Moderate comment by Maria"
    assert link.contents[0] == "Moderate"
    assert link.select_one(".visually-hidden").get_text() == " comment by Maria"


def test_staff_without_the_moderation_permission_see_the_readers_page(client):
    held = CommentFactory(state="pending", comment="Held words")
    client.force_login(UserFactory(is_staff=True))
    assert "Held words" not in client.get(held.content_object.get_absolute_url()).content.decode()


def test_the_moderators_page_costs_the_same_queries_with_more_held_comments(
    moderator_client, django_assert_max_num_queries
):
    """Held comments and their controls come from two queries, not one per comment."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    held = CommentFactory(state="pending")
    url = held.content_object.get_absolute_url()
    with CaptureQueriesContext(connection) as few:
        moderator_client.get(url)
    CommentFactory.create_batch(20, article=held.content_object, state="pending")
    with django_assert_max_num_queries(len(few.captured_queries)):
        moderator_client.get(url)


def test_the_note_says_who_sent_a_comment_back_and_never_an_empty_reason(
    moderator_client, moderator
):
    published = CommentFactory(state="published", reason="trusted")
    article = published.content_object
    moderator_client.post(f"/admin/comments/comment/{published.pk}/moderate/unapprove/")
    no_reason = CommentFactory(article=article, state="pending", reason="")
    html = page(moderator_client, article.get_absolute_url())

    sent_back = html.find(id=f"c{published.pk}").select_one(".moderate-note").get_text()
    assert sent_back == (
        f"Pending: only moderators see it. Sent back to pending by {moderator.username}."
    )
    # It read "Held: ." for a comment with no reason recorded.
    assert html.find(id=f"c{no_reason.pk}").select_one(".moderate-note").get_text() == (
        "Pending: only moderators see it."
    )


def test_a_held_comments_controls_come_after_its_text(moderator_client):
    """They stood between its name and its text: a moderator met the buttons before the
    comment they decide on."""
    held = CommentFactory(state="pending", comment="Held words")
    item = page(moderator_client, held.content_object.get_absolute_url()).find(id=f"c{held.pk}")
    order = [
        child["class"][0]
        for child in item.find_all(recursive=False)
        if child.get("class")
        and child["class"][0] in ("comment-meta", "comment-text", "moderate-here")
    ]
    assert order == ["comment-meta", "comment-text", "moderate-here"]
