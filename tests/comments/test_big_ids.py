"""Addresses with a comment id past any integer the database holds: no such comment."""

import pytest

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [f"/comments/{BIG}/edit/", f"/comments/{BIG}/delete/", f"/comments/{BIG}/report/"],
)
def test_a_reader_address_with_a_huge_id_is_not_found(client, path):
    """On SQLite (``make run``) these were a 500: OverflowError."""
    assert client.get(path).status_code == 404


def test_the_admin_says_a_huge_id_names_no_comment(admin_client):
    response = admin_client.get(f"/admin/comments/comment/{BIG}/change/", follow=True)
    assert response.status_code == 200
    assert "Perhaps it was deleted?" in response.content.decode()


@pytest.mark.parametrize("comment_id", [BIG, "first"])
@pytest.mark.parametrize("action", ["moderate/approve/", "reply/"])
def test_a_row_action_on_an_id_that_names_no_comment_says_so(admin_client, comment_id, action):
    """A word was a ValueError, a number past SQLite's integers an OverflowError: both 500.
    Now the admin's own answer for an address that names no comment."""
    path = f"/admin/comments/comment/{comment_id}/{action}"
    response = admin_client.post(path, {"reply": "Hi"}, follow=True)
    assert response.status_code == 200
    assert "Perhaps it was deleted?" in response.content.decode()
