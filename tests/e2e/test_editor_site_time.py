"""The editor writes and reads times as the admin does: in its format and the site's time zone,
daylight saving included, whatever the browser's own language and zone."""

import datetime
import re

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from articles.models import Article, ArticleDraft
from tests.e2e.test_editor import (  # noqa: F401 (fixtures)
    DESKTOP,
    _editor_requests_settle,
    console_errors,
    editor,
    log_in,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONDON = "Europe/London"  # GMT in winter, BST (UTC+1) from the last Sunday of March


@pytest.fixture
def american_browser(browser):
    """A browser in New York, in American English: its own way is "Dec 6, 2026, 3:29 PM"."""
    context = browser.new_context(locale="en-US", timezone_id="America/New_York", viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def test_the_autosave_line_says_when_in_the_admins_format_and_the_sites_zone(
    american_browser,
    live_server,
    editor,  # noqa: F811
    settings,
):
    """ "Draft kept at Dec 6, 2026, 11:10 AM" (the browser's format and zone) sat beside the
    admin's "6 Dec 2026, 16:10": the line says the time as the admin writes it."""
    settings.TIME_ZONE = LONDON
    page = american_browser
    article = ArticleFactory(author=editor, body="Walk a little each day.")
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.get_by_label("Summary:").fill("Walking helps, a little each day.")
    line = page.locator(".editor-autosave")
    expect(line).to_contain_text("Draft kept at", timeout=10_000)
    saved_at = ArticleDraft.objects.get().saved_at
    said = formats.date_format(timezone.localtime(saved_at), "DATETIME_FORMAT")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d", said)
    expect(line).to_have_text(f"Draft kept at {said}.")


def test_a_publish_date_across_a_daylight_saving_change_is_read_in_the_sites_time(
    american_browser,
    live_server,
    editor,  # noqa: F811
    settings,
):
    """The Status choice compared the date typed with now through the page's one UTC offset:
    a page served in London's winter (GMT) read a summer date an hour late, so 09:30 BST on a
    morning already at 10:00 BST was "Scheduled for" it. Now is 1 July 2027, 09:00 UTC here."""
    settings.TIME_ZONE = LONDON
    page = american_browser
    page.clock.set_fixed_time(datetime.datetime(2027, 7, 1, 9, 0, tzinfo=datetime.UTC))
    article = ArticleFactory(
        author=editor,
        status=Article.Status.PUBLISHED,
        published_at=datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC),
    )
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    assert page.locator("body").get_attribute("data-admin-utc-offset") == "0"  # served in GMT
    chosen = page.get_by_label("Status:").locator("option:checked")
    page.locator("#id_published_at_0").fill("2027-07-01")
    page.locator("#id_published_at_1").fill("09:30")  # 08:30 UTC: half an hour ago
    expect(chosen).to_have_text("Published")
    page.locator("#id_published_at_1").fill("10:30")  # 09:30 UTC: to come
    expect(chosen).to_have_text("Scheduled for 1 Jul 2027, 10:30")


def test_a_publish_time_in_the_hour_the_clocks_change_is_one_the_save_refuses(
    american_browser,
    live_server,
    editor,  # noqa: F811
    settings,
):
    """At 01:10 GMT on 25 October 2026, London's second 01:00-02:00, the Status choice read
    01:30 as the wall clock to come ("Scheduled for"), though the save refuses a time that comes
    twice, as it does one the clocks skip in March: the line under the boxes says so instead."""
    settings.TIME_ZONE = LONDON
    page = american_browser
    page.clock.set_fixed_time(datetime.datetime(2026, 10, 25, 1, 10, tzinfo=datetime.UTC))
    article = ArticleFactory(author=editor, status=Article.Status.PUBLISHED)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    chosen = page.get_by_label("Status:").locator("option:checked")
    said = page.locator(".publish-date-unread")
    page.locator("#id_published_at_0").fill("2026-10-25")
    page.locator("#id_published_at_1").fill("01:30")
    expect(said).to_have_text(
        "25 Oct 2026, 01:30 comes twice in Europe/London, as the clocks go back, and the save "
        "cannot tell which you mean: give a time outside that hour."
    )
    expect(chosen).to_have_text("Published")
    page.locator("#id_published_at_1").fill("02:30")  # once, in GMT: 02:30 UTC, to come
    expect(said).to_be_hidden()
    expect(chosen).to_have_text("Scheduled for 25 Oct 2026, 02:30")
    page.locator("#id_published_at_0").fill("2027-03-28")
    page.locator("#id_published_at_1").fill("01:30")
    expect(said).to_contain_text("28 Mar 2027, 01:30 never comes in Europe/London")
    # What the save says of it: refused, the date kept to be corrected.
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".errorlist").first).to_contain_text("may be ambiguous")
    expect(page.locator("#id_published_at_1")).to_have_value("01:30")
