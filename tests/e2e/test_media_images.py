"""A reader's browser shows an uploaded image in an article, with debug off, as in production."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, testcases
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from articles.models import BodyImage
from articles.uploads import RasterImageForm
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _no_test_media_server(monkeypatch):
    """Django's live server serves MEDIA_ROOT by itself; gunicorn does not. Be like gunicorn."""
    monkeypatch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)


def uploaded_image_url():
    """Store a diagram the way the editor's upload does; its /media/ URL."""
    image = Image.new("RGB", (800, 400), "#e8f1f2")
    ImageDraw.Draw(image).rectangle((100, 100, 700, 300), outline="#1b4d5c", width=12)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    form = RasterImageForm(files={"image": SimpleUploadedFile("diagram.png", buffer.getvalue())})
    assert form.is_valid(), form.errors
    return form.save()


def log_in(page, live_server, admin_user):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("password")  # pytest-django's admin_user
    page.get_by_role("button", name="Log in").click()


def stored_photo(name, size):
    """A plain photo stored the way the editor's upload does; its /media/ URL."""
    buffer = io.BytesIO()
    Image.new("RGB", size, "#e8f1f2").save(buffer, "PNG")
    form = RasterImageForm(files={"image": SimpleUploadedFile(name, buffer.getvalue())})
    assert form.is_valid(), form.errors
    return form.save()


@pytest.mark.parametrize("width", [375, 1280])
def test_an_uploaded_image_shows_in_the_article(page, live_server, settings, console_errors, width):
    assert settings.DEBUG is False
    url = uploaded_image_url()
    article = ArticleFactory(body=f"Before the diagram.\n\n![A diagram]({url})\n\nAfter it.")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + article.get_absolute_url())
    image = page.get_by_role("img", name="A diagram")
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    # The page offers responsive copies (srcset): whichever the browser chose came from /media/.
    assert image.evaluate("img => img.currentSrc").startswith(live_server.url + "/media/")
    assert image.evaluate("img => img.naturalWidth") > 0
    assert console_errors == []


def test_the_image_opened_on_its_own_is_an_image(page, live_server, console_errors):
    url = uploaded_image_url()
    response = page.goto(live_server.url + url)
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert page.evaluate("document.contentType") == "image/png"
    page.screenshot(path="test-results/shots/image-alone.png")
    assert console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_the_help_under_an_images_markdown_lines_up_with_it(
    page, live_server, admin_user, console_errors, width
):
    """On a wide screen the line under the Markdown to paste sat 170 pixels right of it,
    indented past a label it was already beside, and looked centred: it starts where the
    Markdown does, as other help lines start under their box."""
    client = Client()
    client.force_login(admin_user)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), "#e8f1f2").save(buffer, "PNG")
    response = client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile("knee.png", buffer.getvalue(), content_type="image/png")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 200
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/admin/articles/bodyimage/{BodyImage.objects.get().pk}/change/")
    markdown = page.locator(".field-markdown .image-markdown").bounding_box()
    help_line = page.locator(".field-markdown div.help").bounding_box()
    assert help_line["x"] == markdown["x"]
    assert console_errors == []


def test_the_images_list_shows_every_column_beside_its_filter(
    page, live_server, admin_user, console_errors
):
    """With the "Unused" filter beside it, the list at 1280 pixels had "Uploaded by" and
    "Shown in" scrolled out of sight, the stored name's random part being unbreakable: the
    name and the date wrap, and every heading is in view."""
    url = stored_photo("knee.png", (1600, 1200))
    ArticleFactory(title="Why nerve pain gets worse", body=f"![A knee]({url})")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, admin_user)
    page.goto(live_server.url + "/admin/articles/bodyimage/")
    assert page.locator("#changelist-filter").is_visible()
    shown = page.locator(".results").bounding_box()
    for heading in page.locator("#result_list thead th .text").all():
        box = heading.bounding_box()
        assert box["x"] + box["width"] <= shown["x"] + shown["width"], heading.inner_text()
    assert console_errors == []


def test_the_images_list_fits_its_area_whatever_the_names(
    page, live_server, admin_user, console_errors
):
    """A camera's file name ("IMG_20260412_093412.png") and a title's long words could not
    break: at 1280 pixels the list was wider than its area (a sideways scroll, "Shown in" cut
    off). Every cell wraps, and the list fits."""
    for name in ["IMG_20260412_093412.png", "ankle-stretch-physiotherapy-session-photo.png"]:
        ArticleFactory(
            title="Why Does Nerve Pain Get Worse After Physical Therapy? Causes, Insights",
            body=f"![Physio stretching an ankle]({stored_photo(name, (1200, 800))})",
        )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, admin_user)
    page.goto(live_server.url + "/admin/articles/bodyimage/")
    assert page.locator("#changelist-filter").is_visible()
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth - e.clientWidth") == 0
    assert page.evaluate("document.documentElement.scrollWidth") == 1280
    assert console_errors == []


def test_a_file_name_on_a_phones_card_wraps_after_a_separator(
    page, live_server, admin_user, console_errors
):
    """At 375 pixels the card broke "IMG_20260412_093412.png" before its last letter
    ("…093412.pn", then "g"): it wraps after an "_" and keeps ".png" with its number."""
    name = "IMG_20260412_093412.png"
    stored_photo(name, (1200, 800))
    page.set_viewport_size({"width": 375, "height": 900})
    log_in(page, live_server, admin_user)
    page.goto(live_server.url + "/admin/articles/bodyimage/")
    link = page.locator("#result_list .field-name a").first
    expect(link).to_contain_text(name)
    # Each line of the name (the link's first words), as laid out: the characters on it.
    lines = link.evaluate(
        """(a, length) => {
          const lines = new Map(), range = document.createRange();
          const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
          for (let node, seen = 0; (node = walker.nextNode());) {
            for (let i = 0; i < node.length && seen < length; i++, seen++) {
              range.setStart(node, i); range.setEnd(node, i + 1);
              const top = Math.round(range.getClientRects()[0].top);
              lines.set(top, (lines.get(top) || "") + node.data[i]);
            }
          }
          return [...lines.keys()].sort((x, y) => x - y).map(top => lines.get(top));
        }""",
        len(name),
    )
    assert len(lines) > 1, lines  # too long for the card's column: it does wrap
    assert all(line[-1] in "_-. " for line in lines[:-1]), lines
    assert lines[-1].endswith("093412.png"), lines
    assert console_errors == []


# Where the lines of an element's text start, as laid out: the index of each line's first
# character in its text (the text of the element's text nodes, joined).
LINE_STARTS = """element => {
    const starts = [], range = document.createRange();
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let text = "", top = null;
    for (let node; (node = walker.nextNode());) {
        for (let i = 0; i < node.length; i++) {
            range.setStart(node, i); range.setEnd(node, i + 1);
            const rect = range.getClientRects()[0];
            if (rect && Math.round(rect.top) !== top) {
                top = Math.round(rect.top);
                starts.push(text.length);
            }
            text += node.data[i];
        }
    }
    return {text, starts};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_a_stored_names_random_part_breaks_only_between_its_halves(
    page, live_server, admin_user, console_errors, width
):
    """The stored name's 32 random hex digits broke wherever the line ended ("a1b2c3d4e5f60718
    293a" | "4b5c…" at 1280 px, after 28 at 375 px), a different cut on every row, as the cell
    may break anywhere. They are kept in two halves of 16, which break between them only when a
    line cannot hold the whole run, and the list still fits its area."""
    stored_photo("knee.png", (1200, 800))
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, admin_user)
    page.goto(live_server.url + "/admin/articles/bodyimage/")
    stored = page.locator("#result_list .field-name div.help").first
    laid_out = stored.evaluate(LINE_STARTS)
    run = re.search(r"[0-9a-f]{32}", laid_out["text"])
    assert run, laid_out
    inside = [
        start - run.start() for start in laid_out["starts"] if run.start() < start < run.end()
    ]
    assert inside in ([], [16]), laid_out
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth - e.clientWidth") == 0
    assert console_errors == []


def test_a_pages_preview_draws_its_image_and_table_as_the_page_does(
    page, live_server, admin_user, console_errors
):
    """The preview squashed an 8:5 image to the box's height and drew a table with the admin's
    small capitals and no borders; on the page a table had no space before the next line."""
    from articles.models import PublisherPage

    url = uploaded_image_url()  # 800 x 400
    about = PublisherPage.objects.get(url="/about/")
    about.content = (
        "| Role | Name |\n|---|---|\n| Editor | Ann |\n\nRead more on the NHS website.\n\n"
        f"![The team]({url})\n"
    )
    about.save()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/admin/articles/publisherpage/{about.pk}/change/")
    preview = page.locator(".markdownx-preview")
    image = preview.get_by_role("img", name="The team")
    expect(image).to_be_visible()
    for _ in range(100):  # loaded (wait_for_function would need the CSP's 'unsafe-eval')
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        page.wait_for_timeout(50)
    box = image.bounding_box()
    assert abs(box["width"] / box["height"] - 2) < 0.05, box
    cell = preview.locator("th").first
    assert cell.evaluate("th => getComputedStyle(th).borderTopWidth") == "1px"
    assert cell.evaluate("th => getComputedStyle(th).textTransform") == "none"
    assert cell.evaluate("th => getComputedStyle(th).fontWeight") == "700"  # bold, as on the page

    page.goto(live_server.url + "/about/")
    table = page.locator("main table").bounding_box()
    after = page.get_by_text("Read more on the NHS website.").bounding_box()
    assert after["y"] - (table["y"] + table["height"]) >= 12, (table, after)
    assert console_errors == []
