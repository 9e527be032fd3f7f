"""The editors' other forms (people, topics, tags, pages...) sent back with an error: the caret
is in the first field to correct, as the article's and the call-to-action's forms put it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_editor import (  # noqa: F401 (fixtures)
    PHONE,
    console_errors,
    editor,
    log_in,
)
from tests.factories import TagFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_person_sent_back_has_the_caret_in_the_field_to_correct(
    page,
    live_server,
    editor,  # noqa: F811 (the fixture's value)
    console_errors,  # noqa: F811
):
    """It stayed in Name, the first field, far above the links to correct: the next words
    typed changed the name, and a screen reader read out the name, not the error."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/person/add/")
    page.get_by_label("Name:").fill("Dr Lena Ortiz")
    page.get_by_label("Links:").fill("https://www.gmc-uk.org/ortiz\nlinkedin.com/in/ortiz")
    page.get_by_role("button", name="Save", exact=True).click()

    links = page.get_by_label("Links:")
    expect(links).to_have_attribute("aria-invalid", "true")
    expect(links).to_be_focused()
    expect(links).to_be_in_viewport()
    assert links.input_value() == "https://www.gmc-uk.org/ortiz\nlinkedin.com/in/ortiz"
    assert console_errors == []


def test_a_tag_sent_back_has_the_caret_in_the_field_to_correct(
    page,
    live_server,
    editor,  # noqa: F811
):
    """The slug made from the name is already taken ("sciatica"): the caret is in Slug, not
    back in Name."""
    TagFactory(name="Sciatic nerve", slug="sciatica")  # another name, the same address
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/tag/add/")
    page.get_by_label("Name:").press_sequentially("Sciatica")  # as typed: the slug follows
    expect(page.get_by_label("Slug:")).to_have_value("sciatica")
    page.get_by_role("button", name="Save", exact=True).click()

    slug = page.get_by_label("Slug:")
    expect(slug).to_have_attribute("aria-invalid", "true")
    expect(slug).to_be_focused()
    assert page.get_by_label("Name:").input_value() == "Sciatica"


def test_the_contact_email_alert_leads_to_the_box_with_the_caret_in_it(
    page,
    live_server,
    editor,  # noqa: F811 (may change the site settings, as the Editors group)
    console_errors,  # noqa: F811
):
    """The home page's "Set the site's contact email" opened Site settings with the caret in
    its first box (the site's name), where the next words typed would go."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.get_by_role("link", name="Set the site's contact email").click()
    box = page.get_by_label("Contact email:")
    expect(box).to_be_focused()
    expect(box).to_be_in_viewport()
    assert console_errors == []
