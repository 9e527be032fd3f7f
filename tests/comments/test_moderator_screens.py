"""What a moderator reads first on the admin's comment screens: a comment's name, the urgent
figures and where they lead."""

import pytest
from bs4 import BeautifulSoup

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
