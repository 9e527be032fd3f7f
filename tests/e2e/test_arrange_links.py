"""Pages, "Header and footer links" in a browser: a link moved up with its button, renamed,
saved, and readers' header in that order."""

import pytest
from django.contrib.flatpages.models import FlatPage
from playwright.sync_api import expect

from articles.models import HeaderLink
from tests.e2e.test_editor import editor, log_in  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.usefixtures("editor")
@pytest.mark.parametrize("width", [375, 1280])
def test_a_link_moved_up_and_saved_leads_the_header(page, live_server, width, console_errors):
    HeaderLink.objects.create(
        page=FlatPage.objects.get(url="/contact/"), label="Contact", position=20
    )
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/publisherpage/")
    page.get_by_role("link", name="Header and footer links").click()
    header = page.get_by_role("group", name="In the header")
    header.get_by_role("button", name="Move up: Contact").click()
    expect(page.get_by_role("status")).to_have_text(
        "Contact: position 10, 1 of 2. Save to keep it."
    )
    expect(header.get_by_role("button", name="Move down: Contact")).to_be_focused()
    expect(header.get_by_role("button", name="Move up: Contact")).to_be_disabled()
    expect(header.get_by_label("Position of Contact")).to_have_value("10")
    expect(header.get_by_label("Position of About")).to_have_value("20")
    header.get_by_label("Link text of Contact").fill("Contact us")  # its buttons follow
    header.get_by_role("button", name="Move down: Contact us").click()
    header.get_by_role("button", name="Move up: Contact us").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The header and footer links were saved.")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(
        ["Topics", "Contact us", "About"]
    )
    assert console_errors == []


@pytest.mark.usefixtures("editor")
def test_sent_back_with_an_error_the_caret_is_in_the_box_to_correct(page, live_server):
    """It was nowhere, with no notice: the editor did not learn why nothing was saved."""
    for position, url in enumerate(["/contact/", "/privacy/", "/editorial-policy/"], start=2):
        HeaderLink.objects.create(
            page=FlatPage.objects.get(url=url), label=url.strip("/"), position=position * 10
        )
    page.set_viewport_size({"width": 375, "height": 700})
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/publisherpage/links/")
    footer = page.get_by_role("group", name="In the footer")
    footer.get_by_label("Link text of Privacy").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errornote")).to_have_text("Please correct the error below.")
    box = page.get_by_role("group", name="In the footer").get_by_label("Link text of Privacy")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_be_focused()
    expect(box).to_be_in_viewport()
