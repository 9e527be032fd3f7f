"""The queue for staff who may read comments but not decide on them."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from tests.e2e.test_moderation import QUEUE, logged_in
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("width", [375, 1280])
def test_a_readers_queue_has_whole_cards_and_says_why_there_are_no_buttons(
    browser, live_server, width
):
    """Without bulk actions a row has no checkbox: on a phone the card was squeezed into the
    checkbox's column, a letter a line."""
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_comment"))
    comment = CommentFactory(state="pending", comment="Ice helped more than heat.")
    page, errors = logged_in(browser, live_server, viewer, viewport={"width": width, "height": 800})
    page.goto(live_server.url + QUEUE)
    expect(page.locator(".queue-tools")).to_contain_text("need the permission to moderate")
    card = page.locator(f"#qc-{comment.pk}")
    expect(card).to_contain_text("Ice helped more than heat.")
    expect(card.get_by_role("button")).to_have_count(0)
    assert card.bounding_box()["width"] > min(width, 1000) * 0.6, card.bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
    page.context.close()
