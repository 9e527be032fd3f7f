"""Admin defects fixed together: images shown through a size copy, the pages the site needs at
their addresses, calls-to-action deleted from under articles, people without a profile, the
header and footer links after an error, and images without a description in pages and
calls-to-action."""

import io
import re
from pathlib import Path

import pytest
import reversion
from bs4 import BeautifulSoup
from django.contrib.flatpages import views as flatpage_views
from django.contrib.flatpages.models import FlatPage
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from PIL import Image

from articles.admin import FILE_NOT_KEPT
from articles.disclaimer import DISCLAIMER_URL
from articles.images import where_used
from articles.models import Article, ArticleDraft, BodyImage, HeaderLink
from articles.site_pages import FIXED_PAGES
from tests.admin_forms import page_form
from tests.articles.test_arrange_links import SCREEN, row_prefix, screen_form
from tests.factories import ArticleFactory, CallToActionFactory, PersonFactory, ReferenceFactory

pytestmark = pytest.mark.django_db

IMAGES = "/admin/articles/bodyimage/"
PAGES = "/admin/articles/publisherpage/"
CTAS = "/admin/articles/calltoaction/"
UPLOAD = "/media/uploads/0123456789abcdef0123456789abcdef-64x64.png"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture(autouse=True)
def _uploaded(settings):
    """UPLOAD is stored, as an image dropped into the text is: a text naming a file that is
    not is refused (``test_an_image_not_on_this_site_is_refused_naming_it``)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    default_storage.save(UPLOAD.removeprefix(settings.MEDIA_URL), ContentFile(b"png"))


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def jpeg(size=(1600, 900), name="knee.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def image(admin_client):
    """An image added under Articles, Images: stored with its 480 and 960 pixel copies."""
    assert admin_client.post(f"{IMAGES}add/", {"image": jpeg()}).status_code == 302
    return BodyImage.objects.get()


def copy_url(image, width):
    return f"/media/{image.path.replace('.jpg', f'-{width}w.jpg')}"


# -- 1. An image shown through one of its size copies is in use -----------------------------


@pytest.mark.parametrize(
    "where", ["page", "article", "call-to-action", "draft", "call-to-action draft"]
)
def test_an_image_shown_by_a_size_copy_is_in_use_and_cannot_be_deleted(
    admin_client, admin_user, image, where
):
    """A reader's "copy image address" gives a size copy (…-1600x900-480w.jpg): a page
    showing it was not counted, the image was "Nothing: it can be deleted", and deleting it
    left the page with a broken image (404)."""
    markdown = f"![A knee]({copy_url(image, 480)})"
    if where == "page":
        FlatPage.objects.filter(url="/about/").update(content=markdown)
        label = "Page: About nervepain"
    elif where == "article":
        ArticleFactory(title="Knee exercises", body=markdown)
        label = "Article: Knee exercises"
    elif where == "call-to-action":
        CallToActionFactory(name="Physio offer", text=markdown)
        label = "Call-to-action: Physio offer"
    elif where == "draft":
        ArticleDraft.objects.create(user=admin_user, key="new", data={"body": markdown})
        label = "An unsaved draft in the editor"
    else:
        ArticleDraft.objects.create(user=admin_user, key="cta:new", data={"text": markdown})
        label = "An unsaved draft in the editor"
    row = soup(admin_client.get(IMAGES)).select_one("#result_list tbody tr")
    assert row.select_one(".field-shown_in").get_text() == label
    page = soup(admin_client.get(f"{IMAGES}{image.pk}/change/"))
    assert page.select_one("a.deletelink") is None
    response = admin_client.post(f"{IMAGES}{image.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302  # back to its page, saying where it is shown
    assert response["Location"] == f"{IMAGES}{image.pk}/change/"
    assert BodyImage.objects.exists()
    assert all(default_storage.exists(name) for name in image.stored_files())


def test_saved_versions_showing_a_size_copy_are_listed(admin_client, image):
    article = ArticleFactory(title="Knee exercises", body="Text.")
    with reversion.create_revision():
        article.body = f"![A knee]({copy_url(image, 960)})"
        article.save()
    Article.objects.filter(pk=article.pk).update(body="No picture now.")
    page = soup(admin_client.get(f"{IMAGES}{image.pk}/change/"))
    cell = page.select_one(".field-in_versions .readonly")
    assert [a.get_text() for a in cell.select("a")] == ["Article: Knee exercises"]


def test_finding_size_copies_costs_no_more_queries(admin_client, django_assert_num_queries):
    """One query per kind of text (articles, pages, calls-to-action) and one for the drafts,
    however many images and copies."""
    for _ in range(3):
        admin_client.post(f"{IMAGES}add/", {"image": jpeg()})
    images = list(BodyImage.objects.all())
    ArticleFactory(body=f"![A knee]({copy_url(images[0], 480)})")
    with django_assert_num_queries(4):
        found = where_used(images)
    assert [len(found[image.pk]) for image in images] == [1, 0, 0]


# -- 2. The pages the site links to or reads keep their addresses ---------------------------


@pytest.mark.parametrize("url", [DISCLAIMER_URL, "/privacy/", "/contact/", "/editorial-policy/"])
def test_a_page_the_site_needs_keeps_its_address_with_the_reason(admin_client, client, url):
    """Moved to /disclaimer/, the medical disclaimer left every article; Privacy moved, the
    comment form's link under every article answered 404."""
    page = FlatPage.objects.get(url=url)
    change = f"{PAGES}{page.pk}/change/"
    field = soup(admin_client.get(change)).select_one("#id_url")
    assert field.has_attr("readonly")
    data = page_form(page, url="/moved/", title="Renamed", content="New **text**.")
    response = admin_client.post(change, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    [error] = form.errors["url"]
    assert error.startswith("This address cannot change: ") and url in error
    assert soup(response).select_one("#id_content").get_text().strip() == "New **text**."
    assert soup(response).select_one("#id_url")["value"] == url  # Save again keeps the rest
    assert FlatPage.objects.get(pk=page.pk).url == url  # nothing saved
    assert client.get(url).status_code == 200
    # Its title and text change as before.
    data = page_form(page, url=url, title="Renamed", content="New **text**.")
    assert admin_client.post(change, data).status_code == 302
    page.refresh_from_db()
    assert (page.url, page.title) == (url, "Renamed")


def test_the_disclaimer_stays_on_articles_when_its_address_is_changed(admin_client, client):
    article = ArticleFactory()
    page = FlatPage.objects.get(url=DISCLAIMER_URL)
    data = page_form(page, url="/disclaimer/", title=page.title, content=page.content)
    admin_client.post(f"{PAGES}{page.pk}/change/", data)
    html = soup(client.get(article.get_absolute_url()))
    assert html.select_one("article section.disclaimer") is not None


@pytest.mark.parametrize("url", ["/privacy/", DISCLAIMER_URL])
def test_a_page_the_site_needs_cannot_be_deleted_and_says_why(admin_client, client, url):
    """Their delete pages listed only "Footer link": the comment form's link and the
    disclaimer went with them."""
    page = FlatPage.objects.get(url=url)
    delete = f"{PAGES}{page.pk}/delete/"
    confirm = soup(admin_client.get(delete))
    text = confirm.select_one("#content").get_text(" ", strip=True)
    assert f"The page “{page.title}” cannot be deleted" in text
    assert f"Page “{page.title}”: " in text and url in text
    assert confirm.select_one('#content input[type="submit"]') is None
    admin_client.post(delete, {"post": "yes"})
    assert FlatPage.objects.filter(url=url).exists()
    # Nor among others, from the list.
    about = FlatPage.objects.get(url="/about/")
    action = {"action": "delete_selected", "_selected_action": [page.pk, about.pk]}
    response = admin_client.post(PAGES, {**action, "post": "yes"})
    assert "cannot be deleted" in soup(response).select_one("#content").get_text(" ")
    assert FlatPage.objects.filter(pk__in=[page.pk, about.pk]).count() == 2
    # Its form offers no Delete, which could only lead there, and says why; About's does.
    form = soup(admin_client.get(f"{PAGES}{page.pk}/change/"))
    assert form.select_one("a.deletelink") is None
    assert "and the page cannot be deleted: " in form.select_one("#id_url_helptext").get_text()
    assert soup(admin_client.get(f"{PAGES}{about.pk}/change/")).select_one("a.deletelink")


def test_a_page_the_site_does_not_need_can_move_and_go(admin_client, client):
    about = FlatPage.objects.get(url="/about/")
    data = page_form(about, url="/about-us/", title=about.title, content=about.content)
    assert admin_client.post(f"{PAGES}{about.pk}/change/", data).status_code == 302
    assert client.get("/about-us/").status_code == 200
    assert admin_client.post(f"{PAGES}{about.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not FlatPage.objects.filter(pk=about.pk).exists()


def test_every_page_a_template_links_to_is_kept_at_its_address():
    """A page served by a named route (nervepain/urls.py) that a template links to with
    {% url %} must be in FIXED_PAGES, or moving it breaks that link."""
    linked = set()
    for template in TEMPLATES.rglob("*.html"):
        for name in re.findall(r"{% url '([\w-]+)' %}", template.read_text()):
            match = resolve(reverse(name))
            if match.func is flatpage_views.flatpage:
                linked.add(match.kwargs["url"])
    assert linked == {"/privacy/", "/contact/", "/editorial-policy/"}
    assert linked | {DISCLAIMER_URL} == set(FIXED_PAGES)


# -- 3. Deleting a call-to-action names the articles that lose it ---------------------------


def test_the_list_counts_each_call_to_actions_articles_in_one_query(
    admin_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    used = CallToActionFactory(name="Physio offer")
    ArticleFactory.create_batch(2, call_to_action=used)
    CallToActionFactory(name="Unused")
    cells = {
        row.select_one(".field-name").get_text(): row.select_one(".field-used_by").get_text()
        for row in soup(admin_client.get(CTAS)).select("#result_list tbody tr")
    }
    assert cells == {"Physio offer": "2 articles", "Unused": "No article"}
    with CaptureQueriesContext(connection) as few:
        admin_client.get(CTAS)
    for n in range(5):
        ArticleFactory(call_to_action=CallToActionFactory(name=f"Offer {n}"))
    with django_assert_max_num_queries(len(few)):
        admin_client.get(CTAS)


def test_deleting_a_call_to_action_names_the_articles_that_lose_it(admin_client):
    """It listed only "Calls-to-action: 1", and the published article lost it silently."""
    cta = CallToActionFactory(name="Physio offer")
    published = ArticleFactory(title="Knee exercises", call_to_action=cta)
    draft = ArticleFactory(title="Ankle draft", call_to_action=cta, draft=True)
    ArticleFactory(title="Unrelated", call_to_action=CallToActionFactory())
    warning = soup(admin_client.get(f"{CTAS}{cta.pk}/delete/")).select_one(".calltoaction-losing")
    links = [(a.get_text(), a["href"]) for a in warning.select("a")]
    assert links == [
        ("Ankle draft", f"/admin/articles/article/{draft.pk}/change/"),
        ("Knee exercises", f"/admin/articles/article/{published.pk}/change/"),
    ]
    text = warning.get_text(" ", strip=True)
    assert "Knee exercises (Published)" in text and "Ankle draft (Draft)" in text

    # "Delete selected calls-to-action" says which articles lose which.
    action = {"action": "delete_selected", "_selected_action": [cta.pk]}
    response = admin_client.post(CTAS, action)
    warning = soup(response).select_one(".calltoaction-losing")
    assert "Knee exercises (Published): loses “Physio offer”" in warning.get_text()
    assert "Unrelated" not in warning.get_text()
    admin_client.post(CTAS, {**action, "post": "yes"})  # still allowed, now knowingly
    published.refresh_from_db()
    assert published.call_to_action is None


def test_an_articles_delete_screen_lists_no_join_table_rows(admin_client):
    """It listed "Article-tag relationship: Article_tags object (4)": Django's hidden table
    joining an article to its tags, which stay."""
    from tests.factories import TagFactory

    article = ArticleFactory(title="Cold feet", tags=[TagFactory(name="Sleep")])
    response = admin_client.get(f"/admin/articles/article/{article.pk}/delete/")
    text = " ".join(response.content.decode().split())
    assert "Cold feet" in text
    assert "relationship" not in text and "Article_tags object" not in text
    assert "Article-tag" not in str(response.context["model_count"])


def test_a_call_to_action_no_article_shows_deletes_without_a_warning(admin_client):
    cta = CallToActionFactory()
    assert (
        soup(admin_client.get(f"{CTAS}{cta.pk}/delete/")).select_one(".calltoaction-losing") is None
    )


# -- 4. People: no "View on site" without a profile; the photo asked for again ---------------


def test_view_on_site_is_offered_only_for_a_public_profile(admin_client, client):
    """A person without a public profile has no page: the link answered 404."""
    private = PersonFactory(is_public=False)
    page = soup(admin_client.get(f"/admin/articles/person/{private.pk}/change/"))
    assert page.select_one("a.viewsitelink") is None
    assert client.get(private.get_absolute_url()).status_code == 404
    public = PersonFactory()
    page = soup(admin_client.get(f"/admin/articles/person/{public.pk}/change/"))
    assert page.select_one("a.viewsitelink") is not None


def test_a_person_form_sent_back_asks_for_the_photo_again(admin_client):
    """The chosen photo was dropped, unannounced, when a bad link sent the form back."""
    data = {
        "name": "Dr Ada Nerve",
        "slug": "ada-nerve",
        "kind": "person",
        "same_as": "not a web address",
        "photo": jpeg((400, 400), "me.jpg"),
    }
    response = admin_client.post("/admin/articles/person/add/", data)
    errors = response.context["adminform"].form.errors
    assert errors["same_as"]
    assert errors["photo"] == [str(FILE_NOT_KEPT)]
    assert str(FILE_NOT_KEPT).startswith("Choose the image again before you save")


# -- 5. Header and footer links after an error: as the editor arranged them ------------------


def test_links_sent_back_with_an_error_stay_in_the_order_they_were_moved_to(admin_client):
    """Shown in stored order, the rows undid the editor's moves: the next move and Save put
    them back."""
    for url, label, position in [("/contact/", "Contact", 20), ("/privacy/", "Privacy", 30)]:
        HeaderLink.objects.create(
            page=FlatPage.objects.get(url=url), label=label, position=position
        )
    _page, data = screen_form(admin_client)
    # Privacy moved to the top (the script renumbers 10, 20, 30), Contact's text emptied.
    for label, position in [("Privacy", "10"), ("About", "20"), ("Contact", "30")]:
        data[row_prefix(data, "header", label) + "position"] = position
    data[row_prefix(data, "header", "Contact") + "label"] = ""
    response = admin_client.post(SCREEN, data)
    assert response.status_code == 200
    table = soup(response).select("table[data-arrange]")[0]
    rows = [
        row.select_one("input[name$=-label]")["aria-label"] for row in table.select("tr[data-link]")
    ]
    assert rows == ["Link text of Privacy", "Link text of About", "Link text of Contact"]
    positions = [
        row.select_one("input[name$=-position]")["value"] for row in table.select("tr[data-link]")
    ]
    assert positions == ["10", "20", "30"]


# -- 6. Images without a description in pages and calls-to-action ----------------------------


def test_a_page_with_an_undescribed_image_is_refused_with_its_text_kept(admin_client):
    """markdownx's box inserts a dropped image as ![](…): readers who cannot see it got
    nothing, though the guide says a description is asked for."""
    page = FlatPage.objects.get(url="/about/")
    content = f"Our team.\n\n![]({UPLOAD})"
    data = page_form(page, url="/about/", title=page.title, content=content)
    response = admin_client.post(f"{PAGES}{page.pk}/change/", data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["content"]
    assert error.startswith("Describe every image")
    assert UPLOAD in error
    assert soup(response).select_one("#id_content").get_text().strip() == content
    described = content.replace("![]", "![The editorial team]")
    data = page_form(page, url="/about/", title=page.title, content=described)
    assert admin_client.post(f"{PAGES}{page.pk}/change/", data).status_code == 302


def test_a_call_to_action_with_an_undescribed_image_is_refused(admin_client):
    data = {
        "name": "Offer",
        "heading": "Physio",
        "text": f'Book one. <img src="{UPLOAD}">',  # HTML works too: no alt
        "button_label": "Go",
        "button_url": "#respond",
    }
    response = admin_client.post(f"{CTAS}add/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["text"][0].startswith("Describe every image")
    data["text"] = f"Book one. ![A physiotherapist]({UPLOAD})"
    assert admin_client.post(f"{CTAS}add/", data).status_code == 302


def test_an_articles_body_with_an_undescribed_image_is_refused_with_its_text_kept(admin_client):
    """Typed (or its description deleted) as ![](…), the image reached readers with alt="":
    pages and calls-to-action refused it, the article's body did not."""
    from tests.articles.test_admin import change_form

    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form(admin_client, article)
    data["body"] = f"Exercises.\n\n![]({UPLOAD})"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["body"]
    assert error.startswith("Describe every image") and UPLOAD in error
    assert soup(response).select_one("#id_body").get_text().strip() == data["body"]
    data["body"] = f"Exercises.\n\n![A nerve glide]({UPLOAD})"
    assert admin_client.post(url, data).status_code == 302


def text_form(admin_client, where, markdown):
    """(url, field, data) of a form whose text is ``markdown``: an article's body, a page's
    content or a new call-to-action's text."""
    from tests.articles.test_admin import change_form

    if where == "article":
        article = ArticleFactory()
        data = change_form(admin_client, article) | {"body": markdown}
        return f"/admin/articles/article/{article.pk}/change/", "body", data
    if where == "page":
        page = FlatPage.objects.get(url="/about/")
        data = page_form(page, url="/about/", title=page.title, content=markdown)
        return f"{PAGES}{page.pk}/change/", "content", data
    data = {"name": "Offer", "heading": "Physio", "text": markdown, "button_label": "Go",
            "button_url": "#respond"}  # fmt: skip
    return f"{CTAS}add/", "text", data


@pytest.mark.parametrize("where", ["article", "page", "call to action"])
def test_an_image_from_another_site_is_refused_naming_it(admin_client, where):
    """The page loads nothing from other sites: the sanitiser dropped the image's address
    and readers saw nothing where it was, without a word to the editor."""
    elsewhere = "https://images.example.com/glide.png"
    markdown = f"Exercises.\n\n![A nerve glide]({elsewhere})"
    url, field, data = text_form(admin_client, where, markdown)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors[field]
    assert error.startswith("Images are shown only from this site") and elsewhere in error
    assert soup(response).select_one(f"#id_{field}").get_text().strip() == markdown


@pytest.mark.parametrize("where", ["article", "page", "call to action"])
def test_a_link_to_another_site_without_https_is_refused_naming_it(admin_client, where):
    """ "www.nhs.uk/…" was saved and published as a link to this site's
    /articles/<slug>/www.nhs.uk/…, a "Page not found"; so was an email address without
    mailto:. A link within the site or with its https:// is kept."""
    markdown = (
        "See [the NHS](www.nhs.uk/conditions/peripheral-neuropathy/), [our team](/about/), "
        "[Mayo](https://www.mayoclinic.org/) or [write](editors@example.org)."
    )
    url, field, data = text_form(admin_client, where, markdown)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors[field]
    assert error.startswith("Begin a link to another site with https://")
    assert error.endswith(
        "Without it: www.nhs.uk/conditions/peripheral-neuropathy/, editors@example.org."
    )
    assert soup(response).select_one(f"#id_{field}").get_text().strip() == markdown
    fixed = markdown.replace("(www.", "(https://www.").replace("(editors@", "(mailto:editors@")
    data[field] = fixed
    assert admin_client.post(url, data).status_code == 302


@pytest.mark.parametrize("link", ["example.org/join", "www.example.org", "team@example.org"])
def test_a_call_to_action_button_to_another_site_without_https_is_refused(admin_client, link):
    data = {"name": "Offer", "heading": "Physio", "text": "Book one.", "button_label": "Go",
            "button_url": link}  # fmt: skip
    response = admin_client.post(f"{CTAS}add/", data)
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["button_url"]
    assert error.startswith("Begin a link to another site with https://")
    for good in ["https://example.org/join", "/articles/", "#respond", "mailto:team@example.org"]:
        data |= {"name": f"Offer {good}", "button_url": good}
        assert admin_client.post(f"{CTAS}add/", data).status_code == 302, good


@pytest.mark.parametrize("link", ["mailto:", "tel:", "mailto: "])
def test_a_call_to_action_button_to_a_bare_mailto_or_tel_is_refused(admin_client, link):
    """The text refused them as leading nowhere; the button link saved them."""
    data = {"name": "Offer", "heading": "Physio", "text": "Book one.", "button_label": "Go",
            "button_url": link}  # fmt: skip
    response = admin_client.post(f"{CTAS}add/", data)
    assert response.context["adminform"].form.errors["button_url"] == [
        f"Finish the link's address: {link.strip()} leads nowhere."
    ]


def test_an_image_address_climbing_out_of_the_uploads_is_refused_with_the_text_kept(
    admin_client,
):
    """ "/media/../manage.py" made storage raise: "Bad Request (400)", the text lost."""
    from tests.articles.test_admin import change_form

    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    for src in ["/media/../manage.py", "/media/uploads/%2e%2e/%2e%2e/manage.py"]:
        body = f"Exercises.\n\n![x]({src})"
        response = admin_client.post(url, change_form(admin_client, article) | {"body": body})
        assert response.status_code == 200
        [error] = response.context["adminform"].form.errors["body"]
        assert error.startswith("These images are not on this site") and src in error
        assert soup(response).select_one("#id_body").get_text().strip() == body


def test_a_call_to_action_button_to_a_word_without_its_slash_or_hash_is_refused(admin_client):
    """ "respond" was saved, and led to /articles/<slug>/respond: "Page not found"."""
    data = {"name": "Offer", "heading": "Physio", "text": "Book one.", "button_label": "Go",
            "button_url": "respond"}  # fmt: skip
    response = admin_client.post(f"{CTAS}add/", data)
    assert response.context["adminform"].form.errors["button_url"] == [
        "Begin a link to this site with / (as /articles/…), or to a part of the page with # "
        "(#respond is the comment form)."
    ]


@pytest.mark.parametrize("where", ["article", "page", "call to action"])
def test_a_link_that_leads_nowhere_is_refused_and_a_phone_number_is_kept(admin_client, where):
    """The toolbar's link left unfilled ("https://") was saved as text with no link, and
    "https:/www…" or "http//www…" as this site's Page not found; "tel:111" (a number a phone
    dials, on a health page) was taken out, left as plain text."""
    markdown = "[x](https://) [y](https:/www.nhs.uk) [z](http//www.nhs.uk) [Call 111](tel:111)"
    url, field, data = text_form(admin_client, where, markdown)
    [error] = admin_client.post(url, data).context["adminform"].form.errors[field]
    assert error == (
        "Finish each link's address, as https://www.nhs.uk/…: these lead nowhere: https://, "
        "https:/www.nhs.uk, http//www.nhs.uk."
    )
    data[field] = "[Call 111](tel:111)"
    assert admin_client.post(url, data).status_code == 302
    from articles.markdown import render_markdown

    assert '<a href="tel:111"' in render_markdown(data[field])


@pytest.mark.parametrize("where", ["article", "page", "call to action"])
def test_an_image_not_on_this_site_is_refused_naming_it(admin_client, where):
    """An upload deleted since, a mistyped address or an image with none (![x]()) were saved:
    readers saw a broken image, or none. The stored one is kept."""
    gone = "/media/uploads/nope.jpg"
    markdown = f"![A glide]({gone})\n\n![A chart]()\n\n![A stored one]({UPLOAD})"
    url, field, data = text_form(admin_client, where, markdown)
    [error] = admin_client.post(url, data).context["adminform"].form.errors[field]
    assert error == (
        "These images are not on this site (deleted, or the address mistyped), so readers "
        "would see none: drop the image into the text again, or copy its address from "
        f"Articles, Images. Not found: {gone}, an image with no address."
    )
    data[field] = f"![A stored one]({UPLOAD})"
    assert admin_client.post(url, data).status_code == 302


@pytest.mark.parametrize("where", ["article", "page", "call to action"])
def test_links_the_site_would_strip_or_misread_are_refused_naming_them(admin_client, where):
    """Saved without a word: an empty link crashed the save (a lazy "an empty link" in the
    message); javascript:, data: and ftp: addresses were taken out, leaving dead words;
    "sciatica" led to /articles/<slug>/sciatica, a "Page not found"; "mailto:" and "tel:"
    with nothing after them led nowhere."""
    markdown = (
        "[a]() [b](javascript:alert(1)) [c](ftp://example.com/x) [d](data:text/html,hi) "
        "[e](sciatica) [f](../about/) [g](mailto:) [h](tel:) [i](/about/) [j](#respond) "
        "[k](?page=2) [l](mailto:editors@example.org)"
    )
    url, field, data = text_form(admin_client, where, markdown)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors[field]
    assert [error.rpartition(": ")[2] for error in errors] == [
        "an empty link, mailto:, tel:.",
        "javascript:alert(1), ftp://example.com/x, data:text/html,hi.",
        "sciatica, ../about/.",
    ]
    assert errors[1].startswith("Links may begin only with https://, http://, mailto: or tel:")
    assert errors[2].startswith("Begin a link to a page of this site with /")
    data[field] = "[i](/about/) [j](#respond) [k](?page=2) [l](mailto:editors@example.org)"
    assert admin_client.post(url, data).status_code == 302


def test_a_files_name_is_a_page_of_this_site_not_another_site(admin_client):
    """A link to "index.html" was refused as another site's address written without https://
    (as if .html were a domain like .uk): it is this site's page without its first "/"."""
    markdown = "[a](index.html) [b](leaflets/sciatica.pdf) [c](nhs.uk) [d](ann@example.org)"
    url, field, data = text_form(admin_client, "article", markdown)
    errors = admin_client.post(url, data).context["adminform"].form.errors[field]
    assert [error.rpartition(": ")[2] for error in errors] == [
        "nhs.uk, ann@example.org.",
        "index.html, leaflets/sciatica.pdf.",
    ]
    assert errors[0].startswith("Begin a link to another site with https://")
    assert errors[1].startswith("Begin a link to a page of this site with /")


def test_every_problem_with_a_bodys_images_and_links_is_said_at_once(admin_client):
    """An image from another site was refused alone; once it was fixed, the next save said the
    other image had no description. Each problem is now said at the first save."""
    from tests.articles.test_admin import change_form

    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    elsewhere = "https://example.com/chart.png"
    body = f"![]({UPLOAD})\n\n![A chart]({elsewhere})\n\n[NHS](www.nhs.uk)"
    response = admin_client.post(url, change_form(admin_client, article) | {"body": body})
    errors = response.context["adminform"].form.errors["body"]
    assert [error.split(":")[0] for error in errors] == [
        "Images are shown only from this site, which loads nothing from other sites",
        "Describe every image, between the square brackets",
        "Begin a link to another site with https",
    ]
    assert elsewhere in errors[0] and UPLOAD in errors[1] and "www.nhs.uk" in errors[2]


def test_a_moderators_view_of_an_article_links_only_what_they_may_open(
    moderator_client, admin_client
):
    """Moderators may view articles, not change them: their page linked the topic and the
    call-to-action to pages that answered "You cannot open this page", and carried the
    editor's Save bar line with a Change that changed nothing (and its script, which failed
    on a page with no text box)."""
    from tests.factories import TopicFactory

    article = ArticleFactory(
        topic=TopicFactory(name="Sciatica"),
        call_to_action=CallToActionFactory(),
        byline=PersonFactory(name="Dr Ann Lee"),
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = soup(moderator_client.get(url))
    topic_url = reverse("admin:articles_topic_change", args=[article.topic_id])
    cta_url = reverse("admin:articles_calltoaction_change", args=[article.call_to_action_id])
    assert page.select_one(".field-topic .readonly").get_text(strip=True) == "Sciatica"
    assert page.find("a", href=topic_url) is None
    assert moderator_client.get(topic_url).status_code == 403
    assert page.find("a", href=cta_url) is None
    assert str(article.call_to_action) in page.select_one(".field-call_to_action").get_text()
    # The byline's person: moderators may view people, so it stays a link.
    person_url = reverse("admin:articles_person_change", args=[article.byline_id])
    assert page.select_one(".field-byline a")["href"] == person_url
    assert moderator_client.get(person_url).status_code == 200
    # The field's own label and help text, as on the editor's page.
    assert "The main topic" in page.select_one(".field-topic").get_text()
    assert page.select_one(".field-topic label").get_text(strip=True).startswith("Topic")
    assert page.select_one("#article-editor-config") is None
    assert page.select_one(".submit-publication") is None
    # An editor's page keeps its editor and its Save bar line.
    editing = soup(admin_client.get(url))
    assert editing.select_one("#article-editor-config") is not None
    assert editing.select_one(".submit-publication a[href='#publishing']") is not None


def test_a_citation_of_no_reference_is_refused_naming_it(admin_client):
    """ "[@nice-ng139]" typed for "[@nice-ng193]" was saved, and readers saw the marker as
    typed, the reference no longer cited. A key is checked against the rows as posted: one
    added in the same save counts, one deleted in it does not."""
    from tests.articles.test_admin import change_form

    article = ArticleFactory(body="Gentle movement helps [@nice-ng193].")
    ReferenceFactory(article=article, key="nice-ng193", position=1)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = change_form(admin_client, article)
    typo = data | {"body": "Gentle movement helps [@nice-ng139]. And [@nhs] [@nice-ng139]."}
    response = admin_client.post(url, typo)
    [error] = response.context["adminform"].form.errors["body"]
    assert error == (
        "Cite only this article's references: no reference below has the key of "
        "[@nice-ng139], [@nhs]. Add the reference under References, or correct the key."
    )
    added = typo | {
        "body": "Gentle movement helps [@nice-ng193] and [@nhs].",
        "references-1-position": "2",
        "references-1-key": "nhs",
        "references-1-title": "NHS: nerve pain",
        "references-1-publisher": "NHS",
        "references-1-url": "https://www.nhs.uk/",
    }
    assert admin_client.post(url, added).status_code == 302
    data = change_form(admin_client, article)
    deleted = data | {"references-1-DELETE": "on"}
    errors = admin_client.post(url, deleted).context["adminform"].form.errors["body"]
    assert "[@nhs]" in errors[0]
