"""The publisher's frame around every page: header, footer, the About/Editorial policy/Contact
pages (flatpages a migration creates), the editors' contact address, icons and print."""

import importlib
import re

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.contrib.flatpages.models import FlatPage

from articles.models import PublisherPage, SiteSettings
from tests.admin_forms import page_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("articles.migrations.0006_site_settings_and_publisher_pages")
page_migration = importlib.import_module("articles.migrations.0014_publisher_page")


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    "url, title",
    [
        ("/about/", "About nervepain"),
        ("/editorial-policy/", "Editorial policy"),
        ("/contact/", "Contact the editors"),
    ],
)
def test_a_migration_creates_the_publisher_pages(client, url, title):
    page = soup(client.get(url))
    assert page.h1.get_text() == title
    assert page.title.get_text() == f"{title} | nervepain"
    assert page.select_one(".breadcrumbs") is None


def test_the_migration_can_be_reversed_and_replayed():
    FlatPage.objects.filter(url="/about/").update(content="<p>Edited by staff.</p>")
    migration.delete_pages(apps, None)
    assert not FlatPage.objects.filter(url__in=migration.URLS).exists()
    assert FlatPage.objects.get(url="/privacy/").template_name == ""
    migration.create_pages(apps, None)
    assert FlatPage.objects.filter(url__in=migration.URLS, sites=1).count() == 3
    assert FlatPage.objects.get(url="/privacy/").template_name == migration.CONTACT_TEMPLATE


@pytest.mark.parametrize("url", ["/contact/", "/privacy/"])
def test_contact_and_privacy_pages_give_the_address_editors_set(admin_client, client, url):
    assert "editors@example.org" in soup(client.get(url)).select_one(".contact-box").get_text()
    response = admin_client.post(
        "/admin/articles/sitesettings/1/change/",
        {"contact_email": "desk@nervepain.example", "postal_address": "1 High Street\nLeeds"},
    )
    assert response.status_code == 302
    box = soup(client.get(url)).select_one(".contact-box")
    assert box.find("a")["href"] == "mailto:desk@nervepain.example"
    assert "1 High Street" in box.get_text()
    assert "editors@example.org" not in box.get_text()


def test_site_settings_stay_one_row(admin_client):
    """Editors change the one row; they can neither add a second nor delete it."""
    assert admin_client.get("/admin/articles/sitesettings/add/").status_code == 403
    assert admin_client.get("/admin/articles/sitesettings/1/delete/").status_code == 403
    SiteSettings(contact_email="other@example.org").save()
    assert SiteSettings.objects.get().contact_email == "other@example.org"


def test_header_has_the_logo_and_navigation(client):
    page = soup(client.get("/"))
    header = page.select_one("header.site-header")
    brand = header.select_one("a.brand")
    assert brand["href"] == "/"
    assert brand.get_text(strip=True) == "nervepain"
    assert brand.svg["aria-hidden"] == "true"
    nav = {a.get_text(): a["href"] for a in header.select("nav a")}
    assert nav == {"Topics": "/topics/", "About": "/about/"}
    about = soup(client.get("/about/")).select_one("header nav a[aria-current=page]")
    assert about.get_text() == "About"


def test_footer_links_the_publisher_pages_and_says_who_owns_it(client):
    footer = soup(client.get("/")).select_one("footer")
    links = [(a.get_text(), a["href"]) for a in footer.select("nav a")]
    assert links == [
        ("About", "/about/"),
        ("Editorial policy", "/editorial-policy/"),
        ("Contact", "/contact/"),
        ("Privacy", "/privacy/"),
        ("Medical disclaimer", "/medical-disclaimer/"),
    ]
    assert re.fullmatch(
        r"© \d{4} nervepain\. All rights reserved\.", footer.select_one(".copyright").get_text()
    )


def test_icons_are_self_hosted(client):
    page = soup(client.get("/"))
    assert page.find("link", rel="icon")["href"] == "/static/img/favicon.svg"
    assert page.find("link", rel="apple-touch-icon")["href"] == "/static/img/apple-touch-icon.png"
    for name in ("favicon.svg", "apple-touch-icon.png", "logo.png", "share.png"):
        assert (settings.BASE_DIR / "static" / "img" / name).stat().st_size > 0


def test_print_shows_the_publisher_and_address_and_hides_the_aids(client):
    article = ArticleFactory()
    source = soup(client.get(article.get_absolute_url())).select_one(".print-source")
    assert source.get_text() == f"nervepain · https://nervepain.example{article.get_absolute_url()}"
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    print_css = css[css.index("@media print") :]
    for selector in (".toc", ".breadcrumbs", ".site-header", ".site-footer", ".in-topic"):
        assert selector in print_css.split("{")[1]


def test_contents_list_does_not_number_numbered_headings(client):
    """ "1. Increased sensitivity" is listed as itself, not as "1. 1. Increased sensitivity"."""
    article = ArticleFactory(
        body="## Causes\n\n### 1. Sensitivity\n\n### 2. Fatigue\n\n## Managing it\n\n### Rest"
    )
    toc = soup(client.get(article.get_absolute_url())).select_one("nav.toc")
    top, causes, managing = toc.select("ol")
    assert "own-numbers" not in top.get("class", [])
    assert causes.get("class") == ["own-numbers"]
    assert "own-numbers" not in managing.get("class", [])


def test_an_empty_discussion_says_so(client):
    page = soup(client.get(ArticleFactory().get_absolute_url()))
    assert page.find(id="comments-heading").get_text() == "No comments yet"


def test_scroll_to_top_is_a_progressive_enhancement(client):
    """The link works without script; site.js hides it where the page is not longer than a
    screen (loaded with defer from a file: no inline script)."""
    page = soup(client.get("/"))
    assert page.select_one(".scroll-top-wrap a")["href"] == "#top"
    script = page.find("script", src="/static/js/site.js")
    assert script.has_attr("defer")
    assert "scrollHeight" in (settings.BASE_DIR / "static" / "js" / "site.js").read_text()


def test_publisher_pages_are_written_in_markdown_and_sanitised(admin_client, client):
    """Like an article: Markdown (the HTML they were written in still works), with the
    editor's live preview, and nothing a browser would run."""
    page = FlatPage.objects.get(url="/about/")
    editor = soup(admin_client.get(f"/admin/articles/publisherpage/{page.pk}/change/"))
    assert "markdownx-editor" in editor.select_one("#id_content")["class"]
    assert editor.select_one(".markdownx-preview") is not None
    response = admin_client.post(
        f"/admin/articles/publisherpage/{page.pk}/change/",
        page_form(
            page,
            url="/about/",
            title="About nervepain",
            content="## Who we are\n\nA **small** team. <script>alert(1)</script>\n\n"
            "<p>Old <em>HTML</em> still works.</p>",
            template_name="",
        ),
    )
    assert response.status_code == 302
    about = soup(client.get("/about/")).select_one("article.page")
    assert about.select_one("h2#who-we-are").get_text(strip=True).startswith("Who we are")
    assert about.select_one("strong").get_text() == "small"
    assert about.select_one("em").get_text() == "HTML"
    assert about.find("script") is None and "alert(1)" not in str(about)


def test_a_publisher_page_renders_its_markdown_once_not_on_every_view(client, monkeypatch):
    """Flatpages are not in the page cache: rendering the privacy page's text on every view
    made it cost 15.2 ms (median) instead of 7.6-9.0. The same text is rendered once."""
    from articles.templatetags import article_pages

    calls = []
    real = article_pages.render_markdown
    monkeypatch.setattr(
        article_pages, "render_markdown", lambda text: calls.append(text) or real(text)
    )
    FlatPage.objects.filter(url="/about/").update(content="Rendered **once**, test 1.")
    for _ in range(3):
        assert "<strong>once</strong>" in client.get("/about/").content.decode()
    FlatPage.objects.filter(url="/about/").update(content="Rendered **again**, test 1.")
    assert "<strong>again</strong>" in client.get("/about/").content.decode()
    assert len(calls) == 2  # once for each text


in_markdown = importlib.import_module("articles.migrations.0013_publisher_pages_in_markdown")
form_cookie = importlib.import_module("articles.migrations.0019_privacy_form_cookie")
deleted_comments = importlib.import_module("articles.migrations.0022_privacy_deleted_comments")
periods = importlib.import_module("articles.migrations.0023_privacy_periods_follow_settings")
reports = importlib.import_module("articles.migrations.0027_privacy_reports")


@pytest.fixture
def pages_as_0013_left_them():
    """The privacy page without what later migrations changed (0019, 0022, 0023, 0027)."""
    reports.remove(apps, None)
    periods.remove(apps, None)
    deleted_comments.remove(apps, None)
    form_cookie.remove(apps, None)


def _as_readers_see_it(html):
    """Each element's name, attributes and text, in order, without the headings' self-links."""
    page = BeautifulSoup(html, "html.parser")
    for link in page.select("a.toclink"):
        link.unwrap()
    for heading in page.find_all("h2"):
        del heading["id"]
    return [
        (element.name, sorted(element.attrs.items()), " ".join(element.get_text().split()))
        for element in page.find_all(True)
    ]


@pytest.mark.parametrize("url", list(in_markdown.PAGES))
def test_the_shipped_pages_are_markdown_that_reads_as_their_html_did(url, pages_as_0013_left_them):
    """Editors read Markdown in the Markdown box, not the HTML the pages were shipped in, and
    readers see the same elements, words and links (the headings now link to themselves)."""
    from articles.markdown import render_markdown

    html, markdown = in_markdown.PAGES[url]
    assert FlatPage.objects.get(url=url).content == markdown
    assert "<" not in markdown
    assert _as_readers_see_it(render_markdown(markdown)) == _as_readers_see_it(
        render_markdown(html)
    )


def test_pages_editors_changed_are_left_as_they_are_both_ways(pages_as_0013_left_them):
    edited = "<p>Our own about page.</p>"
    FlatPage.objects.filter(url="/about/").update(content=edited)
    in_markdown.to_html(apps, None)
    assert FlatPage.objects.get(url="/privacy/").content == in_markdown.PAGES["/privacy/"][0]
    assert FlatPage.objects.get(url="/about/").content == edited
    in_markdown.to_markdown(apps, None)
    assert FlatPage.objects.get(url="/privacy/").content == in_markdown.PAGES["/privacy/"][1]
    assert FlatPage.objects.get(url="/about/").content == edited


def test_a_page_added_in_the_admin_is_on_the_site_without_choosing_one(admin_client, client):
    """One site: no "Sites" box naming its record ("example.com"); the page is on it."""
    form = soup(admin_client.get("/admin/articles/publisherpage/add/"))
    assert form.select_one("#id_sites") is None and "example.com" not in form.get_text()
    page = page_form(url="/accessibility/", title="Accessibility", content="We test **pages**.")
    response = admin_client.post("/admin/articles/publisherpage/add/", page)
    assert response.status_code == 302
    assert list(FlatPage.objects.get(url="/accessibility/").sites.values_list("pk", flat=True)) == [
        settings.SITE_ID
    ]
    assert "<strong>pages</strong>" in client.get("/accessibility/").content.decode()


def test_a_second_page_at_the_same_address_is_refused_with_its_text_kept(admin_client):
    page = page_form(url="/about/", title="About us again", content="Our **second** about.")
    response = admin_client.post("/admin/articles/publisherpage/add/", page)
    assert response.status_code == 200
    form = soup(response)
    assert "There is already a page at this address." in form.select_one(".field-url").get_text()
    assert form.select_one("#id_content").get_text().strip() == "Our **second** about."
    assert FlatPage.objects.filter(url="/about/").count() == 1


def test_a_publisher_pages_earlier_texts_are_kept_and_can_be_brought_back(admin_client, client):
    """Like an article's: each save is a version, the text a migration wrote included (kept
    before the first edit), and reverting one from History restores the page."""
    from reversion.models import Version

    privacy = PublisherPage.objects.get(url="/privacy/")
    shipped = privacy.content
    edited = page_form(
        privacy, url="/privacy/", title=privacy.title, content="We keep **nothing**."
    )
    change_url = f"/admin/articles/publisherpage/{privacy.pk}/change/"
    assert admin_client.post(change_url, edited).status_code == 302
    newest, before = Version.objects.get_for_object(privacy)
    assert before.field_dict["content"] == shipped and before.revision.user is None
    assert newest.field_dict["content"] == "We keep **nothing**."
    history = soup(admin_client.get(f"{change_url.removesuffix('change/')}history/"))
    assert "As it was before it was first changed in the admin." in history.get_text()

    revert_url = f"/admin/articles/publisherpage/{privacy.pk}/history/{before.pk}/"
    form = soup(admin_client.get(revert_url))
    assert form.select_one("#id_content").get_text().strip() == shipped.strip()
    data = page_form(privacy, url="/privacy/", title=privacy.title, content=shipped)
    assert admin_client.post(revert_url, data).status_code == 302
    assert "What we keep when you comment" in client.get("/privacy/").content.decode()
    assert Version.objects.get_for_object(privacy).count() == 3


def test_a_shipped_page_deleted_in_the_admin_can_be_recovered(admin_client, client):
    """Never edited, it had no version: deleting it kept nothing to recover. (About: the pages
    the site links to itself, such as Contact, cannot be deleted.)"""
    from reversion.models import Version

    about = FlatPage.objects.get(url="/about/")
    delete_url = f"/admin/articles/publisherpage/{about.pk}/delete/"
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert client.get("/about/").status_code == 404
    [deleted] = Version.objects.get_deleted(PublisherPage)
    recover = soup(admin_client.get("/admin/articles/publisherpage/recover/"))
    assert recover.find("a", href=f"/admin/articles/publisherpage/recover/{deleted.pk}/")
    data = page_form(
        url="/about/",
        title=about.title,
        content=about.content,
        template_name=about.template_name,
    )
    response = admin_client.post(f"/admin/articles/publisherpage/recover/{deleted.pk}/", data)
    assert response.status_code == 302
    assert soup(client.get("/about/")).h1.get_text() == about.title


def test_editors_find_the_publishers_pages_as_pages_named_by_their_titles(admin_client):
    """Under Articles, as WordPress has Posts and Pages: not a "Flat Pages" section whose
    pages were named "/privacy/ -- Privacy: what we keep ..."."""
    index = soup(admin_client.get("/admin/"))
    section = index.select_one(".app-articles")
    assert section.find("a", href="/admin/articles/publisherpage/").get_text() == "Pages"
    assert index.select_one(".app-flatpages") is None
    privacy = FlatPage.objects.get(url="/privacy/")
    editor = soup(admin_client.get(f"/admin/articles/publisherpage/{privacy.pk}/change/"))
    assert editor.h1.get_text() == "Change page"
    crumbs = [a.get_text() for a in editor.select(".breadcrumbs a")]
    assert crumbs == ["Home", "Articles", "Pages"]
    assert (
        editor.select_one(".breadcrumbs")
        .get_text()
        .strip()
        .endswith("Privacy: what we keep when you comment, and why")
    )


def test_old_flat_pages_addresses_lead_to_the_pages(admin_client):
    response = admin_client.get("/admin/flatpages/flatpage/3/change/?_changelist_filters=q")
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/publisherpage/3/change/?_changelist_filters=q"
    response = admin_client.get("/admin/flatpages/flatpage/")
    assert response["Location"] == "/admin/articles/publisherpage/"


def test_whoever_could_edit_flat_pages_can_edit_the_pages(client):
    """The admin checks the pages' own permissions now: the migration gives them to every
    group and user that held the flatpage ones."""
    from django.contrib.auth.models import Group, Permission
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from tests.factories import UserFactory

    group = Group.objects.create(name="Page editors")
    group.permissions.add(Permission.objects.get(codename="change_flatpage"))
    editor = UserFactory(is_staff=True)
    editor.groups.add(group)
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_flatpage"))
    client.force_login(editor)
    assert client.get("/admin/articles/publisherpage/").status_code == 403

    state = MigrationLoader(connection).project_state().apps
    page_migration.copy_flatpage_permissions(state, None)

    assert set(group.permissions.values_list("codename", flat=True)) == {
        "change_flatpage",
        "change_publisherpage",
    }
    assert list(
        reader.user_permissions.values_list("codename", flat=True).order_by("codename")
    ) == [
        "view_flatpage",
        "view_publisherpage",
    ]
    client.force_login(editor)
    privacy = FlatPage.objects.get(url="/privacy/")
    assert client.get(f"/admin/articles/publisherpage/{privacy.pk}/change/").status_code == 200


def test_a_pages_text_keeps_its_line_breaks_when_only_its_title_changes(admin_client):
    from django.contrib.admin.models import LogEntry

    about = FlatPage.objects.get(url="/about/")
    shipped = about.content
    data = page_form(about, url="/about/", title="About us", content=shipped.replace("\n", "\r\n"))
    assert (
        admin_client.post(f"/admin/articles/publisherpage/{about.pk}/change/", data).status_code
        == 302
    )
    about.refresh_from_db()
    assert about.content == shipped.strip()
    assert LogEntry.objects.latest("pk").get_change_message() == "Changed Title."


def test_pages_deleted_together_from_the_list_can_be_recovered(admin_client):
    """The list's "Delete selected" runs inside django-reversion's revision for the list, which
    dropped the first versions of the pages it deleted: nothing to recover."""
    from reversion.models import Version

    # Not Contact or Privacy: the site links to those, and they cannot be deleted.
    FlatPage.objects.create(url="/accessibility/", title="Accessibility").sites.add(1)
    pages = FlatPage.objects.filter(url__in=["/about/", "/accessibility/"])
    data = {
        "action": "delete_selected",
        "post": "yes",
        "_selected_action": [str(page.pk) for page in pages],
    }
    assert admin_client.post("/admin/articles/publisherpage/", data).status_code == 302
    assert not FlatPage.objects.filter(url__in=["/about/", "/accessibility/"]).exists()
    deleted = Version.objects.get_deleted(PublisherPage)
    assert sorted(version.field_dict["url"] for version in deleted) == [
        "/about/",
        "/accessibility/",
    ]
    recover = soup(admin_client.get("/admin/articles/publisherpage/recover/"))
    for version in deleted:
        assert recover.find("a", href=f"/admin/articles/publisherpage/recover/{version.pk}/")
