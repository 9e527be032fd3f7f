"""What a moderator reads first on the admin's comment screens: a comment's name, the urgent
figures and where they lead."""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from comments.models import Comment, CommentReport
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_a_long_comment_is_named_by_its_start_at_a_word_end_marked_as_cut():
    """A cut name ends with "…" at a word's end: "...what the point is. Not" read as the whole
    comment, and said the opposite of what it cut."""
    comment = CommentFactory.build(
        user_name="Jo",
        comment="Honestly some days I wonder what the point is.\nNothing works for me anymore.",
    )
    assert str(comment) == "Jo: Honestly some days I wonder what the point is…"


def test_a_short_comment_is_named_whole_on_one_line():
    comment = CommentFactory.build(user_name="Tom", comment="Same here,\nthe second week.")
    assert str(comment) == "Tom: Same here, the second week."


def test_the_comment_page_title_marks_a_cut_text(admin_client):
    comment = CommentFactory(
        user_name="Lee", comment="Stretching before bed helps me sleep (edited again)."
    )
    page = soup(admin_client.get(f"/admin/comments/comment/{comment.pk}/change/"))
    assert (
        page.select_one("#content h2").get_text()
        == "Lee: Stretching before bed helps me sleep (edited…"
    )


def test_the_admin_home_page_names_what_cannot_wait(moderator_client):
    """Under "n comments waiting", the home page says one is urgent and that readers worry
    about a writer, each linking to them: it gave the pending count only, and an urgent comment
    or a worried reader was one of "4 waiting" until the moderator opened the overview. A
    worry about the writer of a comment taken down counts too: it is about a person."""
    CommentFactory(state="pending", reason="not_trusted")
    CommentFactory(state="pending", reason="crisis", urgent=True)
    worrying, removed = CommentFactory(state="published"), CommentFactory(state="removed")
    for comment, key in [(worrying, "a"), (worrying, "b"), (removed, "a")]:
        CommentReport.objects.create(comment=comment, reason="worried", reporter_key_hash=key)
    page = soup(moderator_client.get("/admin/"))
    urgent, worried = page.select(".moderation-alert")
    assert urgent.get_text(" ", strip=True) == "1 urgent: the writer may be in crisis"
    assert [c.pk for c in moderator_client.get(urgent.a["href"]).context["cl"].result_list] == [
        Comment.objects.get(urgent=True).pk
    ]
    assert worried.get_text(" ", strip=True) == (
        "3 reports of readers worried about a writer , on 2 comments, not yet handled"
    )
    listed = moderator_client.get(worried.a["href"]).context["cl"].result_list
    assert {r.comment_id for r in listed} == {worrying.pk, removed.pk}


def test_the_admin_home_page_is_quiet_when_nothing_is_urgent(moderator_client):
    handled = CommentFactory(state="published")
    CommentReport.objects.create(
        comment=handled, reason="worried", reporter_key_hash="a", handled_at=timezone.now()
    )
    CommentFactory(state="pending", reason="not_trusted")
    assert soup(moderator_client.get("/admin/")).select(".moderation-alert") == []
