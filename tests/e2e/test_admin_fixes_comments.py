"""The moderation overview's table on a phone: it fits, or scrolls in its own box, never the
page; axe-core on it opened."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.factories import CommentFactory, UserFactory

# serialized_rollback: data migrations (the Moderators group) survive flushes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def log_in_moderator(page, live_server):
    moderator = UserFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("mod")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("width", [375, 320])
def test_the_overviews_table_never_makes_the_page_scroll_sideways(
    page, live_server, console_errors, width
):
    """At 375 px the opened table made the page 426 px wide, its Removed column cut off."""
    CommentFactory(state="spam")
    CommentFactory(state="pending", urgent=True, reason="crisis")
    log_in_moderator(page, live_server)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/admin/comments/overview/")
    page.get_by_text("The numbers per day, as a table").click()
    expect(page.locator(".overview-table tbody tr")).to_have_count(30)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    region = page.get_by_role("region", name="The numbers per day, as a table")
    # Every column can be read: in view, or (narrower than a phone) by scrolling its box,
    # which a keyboard reaches.
    removed = region.get_by_role("columnheader", name="Removed")
    removed.scroll_into_view_if_needed()
    box = removed.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    region.focus()
    expect(region).to_be_focused()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    assert console_errors == []  # no CSP violation
