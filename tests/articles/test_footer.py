"""The header's and footer's links: the publisher's pages editors put there, in their words and
order (the header's after Topics, starting with About), there while their pages are."""

import importlib

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.contrib.flatpages.models import FlatPage
from django.db import OperationalError

from articles import site_pages
from articles.models import FooterLink, HeaderLink
from nervepain import outage
from tests.admin_forms import page_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

footer_migration = importlib.import_module("articles.migrations.0015_footer_links")
header_migration = importlib.import_module("articles.migrations.0016_header_links")

SHIPPED = ["About", "Editorial policy", "Contact", "Privacy", "Medical disclaimer"]


def footer(client, url="/"):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [(a.get_text(), a["href"]) for a in page.select("footer nav a")]


def labels(client, url="/"):
    return [label for label, _ in footer(client, url)]


def new_link(label, position):
    """The inline's fields for a page that has no footer link yet."""
    return {
        "footer_link-TOTAL_FORMS": "1",
        "footer_link-INITIAL_FORMS": "0",
        "footer_link-0-label": label,
        "footer_link-0-position": str(position),
    }


def test_a_page_added_with_a_footer_link_is_in_every_footer_at_its_place(admin_client, client):
    article = ArticleFactory()
    assert labels(client, article.get_absolute_url()) == SHIPPED  # read into the cache
    form = page_form(url="/accessibility/", title="Accessibility statement", content="We test.")
    response = admin_client.post(
        "/admin/articles/publisherpage/add/", form | new_link("Accessibility", 35)
    )
    assert response.status_code == 302
    expected = ["About", "Editorial policy", "Contact", "Accessibility", "Privacy"]
    for url in ("/", article.get_absolute_url(), "/about/", "/search/?q=nerve"):
        assert labels(client, url) == [*expected, "Medical disclaimer"], url
    assert ("Accessibility", "/accessibility/") in footer(client)


def test_a_page_added_without_one_is_not_in_the_footer(admin_client, client):
    form = page_form(url="/accessibility/", title="Accessibility statement", content="We test.")
    assert admin_client.post("/admin/articles/publisherpage/add/", form).status_code == 302
    assert client.get("/accessibility/").status_code == 200
    assert labels(client) == SHIPPED


def test_editors_rename_reorder_and_remove_links_and_readers_see_it_at_once(admin_client, client):
    assert labels(client) == SHIPPED
    privacy = FlatPage.objects.get(url="/privacy/")
    url = f"/admin/articles/publisherpage/{privacy.pk}/change/"
    form = page_form(privacy, url=privacy.url, title=privacy.title, content=privacy.content)
    renamed = form | {"footer_link-0-label": "Your data", "footer_link-0-position": "1"}
    assert admin_client.post(url, renamed).status_code == 302
    assert labels(client) == ["Your data", *[label for label in SHIPPED if label != "Privacy"]]

    privacy.refresh_from_db()
    form = page_form(privacy, url=privacy.url, title=privacy.title, content=privacy.content)
    assert admin_client.post(url, form | {"footer_link-0-DELETE": "on"}).status_code == 302
    assert "Your data" not in labels(client)
    assert client.get("/privacy/").status_code == 200  # the page stays, out of the footer


def test_a_deleted_page_leaves_no_dead_link_and_comes_back_with_it(admin_client, client):
    from reversion.models import Version

    from articles.models import PublisherPage

    # About: the pages the site links to itself (Contact, Privacy...) cannot be deleted.
    assert "About" in labels(client)
    about = FlatPage.objects.get(url="/about/")
    delete_url = f"/admin/articles/publisherpage/{about.pk}/delete/"
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert "About" not in labels(client)
    assert all(client.get(href).status_code == 200 for _, href in footer(client))

    [deleted] = Version.objects.get_deleted(PublisherPage)
    form = page_form(url="/about/", title=about.title, content=about.content)
    form["template_name"] = about.template_name
    recover_url = f"/admin/articles/publisherpage/recover/{deleted.pk}/"
    assert admin_client.post(recover_url, form).status_code == 302
    assert labels(client) == SHIPPED


def test_the_pages_list_says_which_pages_are_in_the_footer(admin_client):
    FlatPage.objects.create(url="/accessibility/", title="Accessibility statement")
    page = BeautifulSoup(admin_client.get("/admin/articles/publisherpage/").content, "html.parser")
    rows = {
        row.select_one(".field-title").get_text(): row.select_one(".field-in_footer").get_text()
        for row in page.select("#result_list tbody tr")
    }
    assert rows["Privacy: what we keep when you comment, and why"] == "Privacy"
    assert rows["Accessibility statement"] == "-"


def test_the_header_and_footer_cost_one_query_then_none(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        links = site_pages.site_links()
    assert [link["label"] for link in links["footer"]] == SHIPPED
    assert links["header"] == [{"url": "/about/", "label": "About"}]
    with django_assert_num_queries(0):
        site_pages.site_links()


def test_the_outage_page_shows_the_links_the_cache_holds_and_asks_nothing(
    rf, django_assert_num_queries
):
    with django_assert_num_queries(0):
        cold = outage.outage_response(rf.get("/"), OperationalError("gone"))
    assert b"footer-links" not in cold.content
    site_pages.site_links()
    with django_assert_num_queries(0):
        warm = outage.outage_response(rf.get("/"), OperationalError("gone"))
    assert b'<a href="/privacy/">Privacy</a>' in warm.content
    nav = BeautifulSoup(warm.content, "html.parser").select("header nav a")
    assert [a.get_text() for a in nav] == ["Topics", "About"]


def test_the_migration_links_the_shipped_pages_still_there():
    FooterLink.objects.all().delete()
    FlatPage.objects.filter(url="/contact/").delete()
    FlatPage.objects.create(url="/accessibility/", title="Accessibility statement")
    footer_migration.link_shipped_pages(apps, None)
    assert [(link.page.url, link.label) for link in FooterLink.objects.all()] == [
        ("/about/", "About"),
        ("/editorial-policy/", "Editorial policy"),
        ("/privacy/", "Privacy"),
        ("/medical-disclaimer/", "Medical disclaimer"),
    ]


def test_a_cached_page_shows_a_changed_link_at_once(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticleFactory()
    assert "Privacy" in labels(client, article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    FooterLink.objects.filter(page__url="/privacy/").get().delete()
    assert "Privacy" not in labels(client, article.get_absolute_url())


def header(client, url="/"):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [a.get_text() for a in page.select("header nav a")]


def test_the_headers_about_is_there_while_its_page_is(admin_client, client):
    """Deleting the About page left the header's About answering 404 on every page."""
    assert header(client) == ["Topics", "About"]
    about = FlatPage.objects.get(url="/about/")
    delete_url = f"/admin/articles/publisherpage/{about.pk}/delete/"
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert header(client) == ["Topics"]
    assert header(client, "/topics/") == ["Topics"]


def nav_links(client, url="/"):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [(a.get_text(), a["href"], a.get("aria-current")) for a in page.select("header nav a")]


def test_a_page_given_a_header_link_is_in_every_header_after_topics(admin_client, client):
    article = ArticleFactory()
    assert header(client, article.get_absolute_url()) == ["Topics", "About"]  # cached
    contact = FlatPage.objects.get(url="/contact/")
    form = page_form(contact, url=contact.url, title=contact.title, content=contact.content)
    form |= {
        "header_link-TOTAL_FORMS": "1",
        "header_link-0-label": "Contact us",
        "header_link-0-position": "5",
    }
    url = f"/admin/articles/publisherpage/{contact.pk}/change/"
    assert admin_client.post(url, form).status_code == 302
    for path in ("/", article.get_absolute_url(), "/topics/", "/search/?q=nerve"):
        assert header(client, path) == ["Topics", "Contact us", "About"], path
    assert nav_links(client, "/contact/") == [
        ("Topics", "/topics/", None),
        ("Contact us", "/contact/", "page"),
        ("About", "/about/", None),
    ]
    assert "Contact" in labels(client)  # its footer link stays as it was


def test_about_leaves_the_header_and_its_page_stays(admin_client, client):
    about = FlatPage.objects.get(url="/about/")
    form = page_form(about, url=about.url, title=about.title, content=about.content)
    url = f"/admin/articles/publisherpage/{about.pk}/change/"
    assert admin_client.post(url, form | {"header_link-0-DELETE": "on"}).status_code == 302
    assert header(client) == ["Topics"]
    assert client.get("/about/").status_code == 200
    assert "About" in labels(client)


def test_the_pages_form_says_where_each_link_goes(admin_client):
    about = FlatPage.objects.get(url="/about/")
    response = admin_client.get(f"/admin/articles/publisherpage/{about.pk}/change/")
    page = BeautifulSoup(response.content, "html.parser")
    headings = [h.get_text() for h in page.select(".page-link-group h2.inline-heading")]
    assert headings == ["In the header", "In the footer"]
    removes = [label.get_text() for label in page.select(".page-link-remove label")]
    assert removes == [
        "Remove from the header (the page stays)",
        "Remove from the footer (the page stays)",
    ]
    assert page.select_one("#id_header_link-0-label")["value"] == "About"


def test_the_pages_list_says_which_pages_are_in_the_header(admin_client):
    page = BeautifulSoup(admin_client.get("/admin/articles/publisherpage/").content, "html.parser")
    rows = {
        row.select_one(".field-url").get_text(): row.select_one(".field-in_header").get_text()
        for row in page.select("#result_list tbody tr")
    }
    assert rows["/about/"] == "About"
    assert rows["/contact/"] == "-"


def test_the_migration_puts_about_in_the_header_while_it_is_there():
    HeaderLink.objects.all().delete()
    header_migration.link_about(apps, None)
    assert [(link.page.url, link.label, link.position) for link in HeaderLink.objects.all()] == [
        ("/about/", "About", 10)
    ]
    HeaderLink.objects.all().delete()
    FlatPage.objects.filter(url="/about/").delete()
    header_migration.link_about(apps, None)
    assert not HeaderLink.objects.exists()


def test_a_pages_delete_screen_lists_no_join_table_rows(admin_client):
    """It listed "Flatpage-site relationships: 1" and "Flatpage-site relationship:
    FlatPage_sites object (7)": Django's hidden table joining a page to its site."""
    page = FlatPage.objects.create(url="/accessibility/", title="Accessibility statement")
    page.sites.add(1)
    response = admin_client.get(f"/admin/articles/publisherpage/{page.pk}/delete/")
    text = " ".join(response.content.decode().split())
    assert "Accessibility statement" in text
    assert "relationship" not in text and "FlatPage_sites object" not in text
    assert response.context["perms_lacking"] == set() and not response.context["protected"]
