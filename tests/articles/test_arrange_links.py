"""Pages, "Header and footer links": every header and footer link on one screen, in readers'
order, to reorder, rename or remove; each page changed gets a version and a history line."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.flatpages.models import FlatPage
from reversion.models import Version

from articles.models import FooterLink, HeaderLink
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCREEN = "/admin/articles/publisherpage/links/"
SHIPPED_FOOTER = ["About", "Editorial policy", "Contact", "Privacy", "Medical disclaimer"]


def header(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    return [a.get_text() for a in page.select('nav[aria-label="Main"] a')]


def footer(client):
    page = BeautifulSoup(client.get("/").content, "html.parser")
    return [a.get_text() for a in page.select("footer nav a")]


def screen_form(client):
    """The screen's fields as a browser sends them, keyed by the link text of their row."""
    page = BeautifulSoup(client.get(SCREEN).content, "html.parser")
    data = {
        field["name"]: field.get("value", "")
        for field in page.select("form input[name]")
        if field.get("type") != "checkbox" and field["name"] != "csrfmiddlewaretoken"
    }
    return page, data


def row_prefix(data, group, label):
    [name] = [
        n for n, v in data.items() if n.startswith(group) and n.endswith("-label") and v == label
    ]
    return name.removesuffix("label")


def add_header_links(*pairs):
    for url, label, position in pairs:
        HeaderLink.objects.create(
            page=FlatPage.objects.get(url=url), label=label, position=position
        )


def test_the_screen_lists_both_in_readers_order_from_the_pages_list(admin_client):
    add_header_links(("/privacy/", "Privacy", 5), ("/contact/", "Contact", 30))
    pages_list = BeautifulSoup(
        admin_client.get("/admin/articles/publisherpage/").content, "html.parser"
    )
    assert (
        pages_list.select_one(".object-tools").find("a", string="Header and footer links")["href"]
        == SCREEN
    )
    page, _data = screen_form(admin_client)
    header_rows, footer_rows = page.select("table[data-arrange]")
    assert header_rows.select_one("tbody tr").td.get_text() == "Topics"  # first, fixed
    header_labels = [
        row.select_one("input[type=text]")["value"] for row in header_rows.select("tr[data-link]")
    ]
    assert header_labels == ["Privacy", "About", "Contact"]
    footer_labels = [
        row.select_one("input[type=text]")["value"] for row in footer_rows.select("tr[data-link]")
    ]
    assert footer_labels == SHIPPED_FOOTER
    about = header_rows.select("tr[data-link]")[1]
    assert about.select_one("a").get_text() == "About nervepain"
    assert about.select_one("input[name$=-position]")["aria-label"] == "Position of About"
    assert about.select_one("label.visually-hidden").get_text() == "Remove About from the header"


def test_reordering_and_renaming_shows_at_once_and_is_kept_as_each_pages_version(
    admin_client, client
):
    add_header_links(("/contact/", "Contact", 20))
    assert header(client) == ["Topics", "About", "Contact"]
    _page, data = screen_form(admin_client)
    contact = row_prefix(data, "header", "Contact")
    data[contact + "position"] = "5"
    data[contact + "label"] = "Contact us"
    response = admin_client.post(SCREEN, data, follow=True)
    assert "The header and footer links were saved." in response.content.decode()
    assert header(client) == ["Topics", "Contact us", "About"]
    assert footer(client) == SHIPPED_FOOTER  # untouched

    contact_page = FlatPage.objects.get(url="/contact/")
    versions = Version.objects.get_for_object(contact_page)
    assert versions[0].revision.comment == "Header and footer links arranged."
    kept = {v.content_type.model for v in versions[0].revision.version_set.all()}
    assert kept == {"flatpage", "headerlink", "footerlink"}  # the page with both its links
    assert versions.count() == 2  # and before it, the page as it was (kept once)
    [entry] = LogEntry.objects.filter(object_id=str(contact_page.pk))
    message = "Changed Link text and Position for header link “Contact us”."
    assert entry.get_change_message() == message
    assert entry.content_type.model == "publisherpage"  # as the Pages admin logs its own
    history = f"/admin/articles/publisherpage/{contact_page.pk}/history/"
    assert "Header and footer links arranged." in admin_client.get(history).content.decode()
    about = FlatPage.objects.get(url="/about/")
    assert not Version.objects.get_for_object(about).exists()  # nothing of it changed
    assert not LogEntry.objects.filter(object_id=str(about.pk)).exists()


def test_a_link_taken_away_leaves_its_page(admin_client, client):
    _page, data = screen_form(admin_client)
    data[row_prefix(data, "footer", "Contact") + "DELETE"] = "on"
    admin_client.post(SCREEN, data)
    assert footer(client) == ["About", "Editorial policy", "Privacy", "Medical disclaimer"]
    contact = FlatPage.objects.get(url="/contact/")  # still there
    assert not FooterLink.objects.filter(page=contact).exists()
    [entry] = LogEntry.objects.filter(object_id=str(contact.pk))
    assert entry.get_change_message() == "Deleted footer link “Contact”."


def test_a_wrong_value_is_shown_and_nothing_is_saved(admin_client, client):
    _page, data = screen_form(admin_client)
    data[row_prefix(data, "header", "About") + "label"] = ""
    data[row_prefix(data, "footer", "Privacy") + "position"] = "1"
    response = admin_client.post(SCREEN, data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert footer(client) == SHIPPED_FOOTER
    assert header(client) == ["Topics", "About"]
    # Said over the form, as the admin's other forms say it: only beside the box, out of
    # sight on a long list, nothing told the editor why nothing was saved.
    notice = BeautifulSoup(response.content, "html.parser").select_one("form .errornote")
    assert notice.get_text() == "Please correct the error below."
    data[row_prefix(data, "footer", "Privacy") + "position"] = "first"
    response = admin_client.post(SCREEN, data)
    notice = BeautifulSoup(response.content, "html.parser").select_one("form .errornote")
    assert notice.get_text() == "Please correct the errors below."
    assert "errornote" not in admin_client.get(SCREEN).content.decode()


def test_sending_it_unchanged_changes_nothing(admin_client):
    _page, data = screen_form(admin_client)
    response = admin_client.post(SCREEN, data, follow=True)
    assert "Nothing was changed." in response.content.decode()
    assert not Version.objects.exists()
    assert not LogEntry.objects.exists()


def test_only_staff_who_may_change_pages_and_their_links_arrange_them(client):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_publisherpage", "change_publisherpage"])
    )
    client.force_login(editor)
    assert client.get(SCREEN).status_code == 403
    pages_list = client.get("/admin/articles/publisherpage/").content.decode()
    assert "Header and footer links" not in pages_list
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_headerlink", "change_footerlink"])
    )
    page = BeautifulSoup(client.get(SCREEN).content, "html.parser")
    assert page.select("tr[data-link]")
    assert not page.select("input[type=checkbox]")  # removing takes the right to delete them
