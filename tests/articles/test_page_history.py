"""A publisher's page's History, like an article's: two versions compared, one restored."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.contrib.flatpages.models import FlatPage
from reversion.models import Version

from tests.admin_forms import page_form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def save(client, page, **fields):
    page.refresh_from_db()
    data = page_form(
        page, url=page.url, title=page.title, content=page.content, template_name=page.template_name
    )
    data |= fields
    response = client.post(f"/admin/articles/publisherpage/{page.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page.refresh_from_db()


def versions(page):
    return list(Version.objects.get_for_object(page))


def compared(client, page, older, newer):
    """History's comparison: each changed field's heading and its lines."""
    response = client.get(
        f"/admin/articles/publisherpage/{page.pk}/history/compare/",
        {"from": older.pk, "to": newer.pk},
    )
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    return {
        section.h2.get_text(): section.pre.get_text() for section in html.select(".field-change")
    }


@pytest.fixture
def privacy(admin_client):
    """The shipped privacy page, edited twice: its text, then its title and footer link."""
    page = FlatPage.objects.get(url="/privacy/")
    save(admin_client, page, content="We keep **nothing**.\n\nAsk us anything.")
    save(
        admin_client,
        page,
        title="Your data",
        **{"footer_link-0-label": "Your data", "footer_link-0-position": "5"},
    )
    return page


def test_the_history_lists_the_versions_to_compare_and_restore(admin_client, privacy):
    response = admin_client.get(f"/admin/articles/publisherpage/{privacy.pk}/history/")
    html = BeautifulSoup(response.content, "html.parser")
    assert "Every saved version of this page" in html.select_one("#content-main p").get_text()
    assert len(html.select("input[name=from]")) == 3  # the shipped text and two saves
    assert len(html.select("button[form^=restore-]")) == 2


def test_two_versions_compare_field_by_field_with_the_footer_link(admin_client, privacy):
    newest, edited, shipped = versions(privacy)
    changes = compared(admin_client, privacy, shipped, newest)
    assert list(changes) == ["Title", "Content", "Footer link"]
    assert "- ## What we keep when you comment" in changes["Content"]
    assert "+ We keep **nothing**." in changes["Content"]
    assert "- Privacy (position 40)" in changes["Footer link"]
    assert "+ Your data (position 5)" in changes["Footer link"]
    assert list(compared(admin_client, privacy, edited, newest)) == ["Title", "Footer link"]


def test_a_header_link_is_compared_and_restored_with_the_page(admin_client, client):
    about = FlatPage.objects.get(url="/about/")
    save(admin_client, about, **{"header_link-0-label": "Who we are"})
    save(admin_client, about, **{"header_link-0-label": "About us", "header_link-0-position": "1"})
    newest, renamed, _first = versions(about)
    changes = compared(admin_client, about, renamed, newest)
    assert changes == {"Header link": "- Who we are (position 10)\n+ About us (position 1)\n"}
    restore = f"/admin/articles/publisherpage/{about.pk}/history/{renamed.pk}/restore/"
    assert admin_client.post(restore).status_code == 302
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert [a.get_text() for a in page.select("header nav a")] == ["Topics", "Who we are"]


def test_restoring_a_version_brings_back_its_text_and_footer_link(admin_client, client, privacy):
    _newest, _edited, shipped = versions(privacy)
    restore = f"/admin/articles/publisherpage/{privacy.pk}/history/{shipped.pk}/restore/"
    assert admin_client.post(restore).status_code == 302
    privacy.refresh_from_db()
    assert privacy.title == "Privacy: what we keep when you comment, and why"
    assert privacy.footer_link.label == "Privacy" and privacy.footer_link.position == 40
    assert "What we keep when you comment" in client.get("/privacy/").content.decode()
    assert len(versions(privacy)) == 4  # the restore is a version too, to undo in turn


def test_restoring_a_page_needs_the_right_to_change_pages(client, privacy):
    """Moderators may restore an article's version without editing articles; not a page's."""
    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.set(
        Permission.objects.filter(codename__in=["restore_article_version", "view_publisherpage"])
    )
    client.force_login(moderator)
    _newest, _edited, shipped = versions(privacy)
    base = f"/admin/articles/publisherpage/{privacy.pk}/history/"
    assert client.get(f"{base}compare/", {"from": shipped.pk, "to": shipped.pk}).status_code == 200
    assert client.post(f"{base}{shipped.pk}/restore/").status_code == 403
    assert FlatPage.objects.get(pk=privacy.pk).title == "Your data"


def test_restoring_a_version_from_before_footer_links_keeps_the_page_in_the_footer(
    admin_client, client
):
    """Versions saved before pages had footer links hold none: restoring one keeps the page
    in the footer (django-reversion reverts a page through FlatPage's registration, which
    follows no link, so nothing it holds is deleted)."""
    import reversion

    about = FlatPage.objects.get(url="/about/")
    link = about.footer_link
    link.delete()
    with reversion.create_revision():  # a version as stop 26 kept them: no link
        reversion.add_to_revision(about)
    link.save()
    save(admin_client, about, content="Rewritten.")
    _newest, old = versions(about)
    restore = f"/admin/articles/publisherpage/{about.pk}/history/{old.pk}/restore/"
    assert admin_client.post(restore).status_code == 302
    about.refresh_from_db()
    assert about.content != "Rewritten."
    assert about.footer_link.label == "About"
    page = BeautifulSoup(client.get("/").content, "html.parser")
    assert "About" in [a.get_text() for a in page.select("footer nav a")]


def a_version_at(page, url, **fields):
    """A version of ``page`` saved at another address (before the site named its address, or
    before it moved), then the page as it was, saved again in the admin's way."""
    import reversion

    now = {name: getattr(page, name) for name in ("url", *fields)}
    for name, value in {"url": url, **fields}.items():
        setattr(page, name, value)
    with reversion.create_revision():
        page.save()
    for name, value in now.items():
        setattr(page, name, value)
    with reversion.create_revision():
        page.save()
    return versions(page)[1]


def test_restoring_a_fixed_page_keeps_its_address_and_says_so(admin_client, client):
    """The privacy page, at /privacy-policy/ in an old version: restored, it keeps /privacy/,
    which the comment form links to, and the message says why; its text comes back."""
    privacy = FlatPage.objects.get(url="/privacy/")
    old = a_version_at(privacy, "/privacy-policy/", content="What we kept in **2019**.")
    restore = f"/admin/articles/publisherpage/{privacy.pk}/history/{old.pk}/restore/"
    response = admin_client.post(restore, follow=True)
    privacy.refresh_from_db()
    assert privacy.url == "/privacy/"
    assert privacy.content == "What we kept in **2019**."
    message = [str(m) for m in response.context["messages"]][-1]
    assert "The page keeps its address, /privacy/ (the version restored had /privacy-policy/)" in (
        message
    )
    assert "the comment form under every article links to /privacy/" in message
    assert "2019" in client.get("/privacy/").content.decode()
    assert client.get("/privacy-policy/").status_code == 404
    assert versions(privacy)[0].field_dict["url"] == "/privacy/"  # recorded as it now is


def test_restoring_keeps_a_page_off_an_address_another_page_has_now(admin_client, client):
    """A page restored to an address another page took since would make two pages at one
    address (that address fails): it keeps its own, and says so."""
    about = FlatPage.objects.get(url="/about/")
    old = a_version_at(about, "/contact/")
    restore = f"/admin/articles/publisherpage/{about.pk}/history/{old.pk}/restore/"
    response = admin_client.post(restore, follow=True)
    about.refresh_from_db()
    assert about.url == "/about/"
    message = [str(m) for m in response.context["messages"]][-1]
    assert "(the version restored had /contact/): another page is at /contact/ now." in message
    assert client.get("/contact/").status_code == 200


def test_restoring_a_page_brings_back_an_address_nothing_needs(admin_client, client):
    """Any other page's address is part of its version, restored like its text."""
    about = FlatPage.objects.get(url="/about/")
    old = a_version_at(about, "/about-us/")
    restore = f"/admin/articles/publisherpage/{about.pk}/history/{old.pk}/restore/"
    response = admin_client.post(restore, follow=True)
    about.refresh_from_db()
    assert about.url == "/about-us/"
    assert "keeps its address" not in [str(m) for m in response.context["messages"]][-1]
    assert client.get("/about-us/").status_code == 200
