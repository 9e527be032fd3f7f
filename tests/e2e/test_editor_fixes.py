"""The article editor in a browser: scrolling text and preview together, the References
template row, the Save buttons in view, and a call-to-action added from its popup."""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from articles.models import Article, PublisherPage
from tests.e2e.test_editor import (  # noqa: F401 (fixtures)
    DESKTOP,
    FIRST_GRADE_MS,
    PHONE,
    _editor_requests_settle,
    console_errors,
    editor,
    log_in,
    preview,
)
from tests.factories import ArticleFactory, CallToActionFactory, ReferenceFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Sixty paragraphs: a text many times taller than its box, and a preview taller still.
LONG_BODY = "\n\n".join(
    f"## Part {n}\n\n" + f"Paragraph {n}. Walk a little each day and rest when it burns. " * 5
    for n in range(1, 61)
)
# Longer than any smooth scroll the browser or the preview's stylesheet animates.
SETTLE_MS = 500

BELOW = "e => e.scrollHeight - e.scrollTop - e.clientHeight"  # the text below the box
FOCUSED = """() => ({
  name: document.activeElement.name || document.activeElement.tagName,
  in_buttons: Boolean(document.activeElement.closest(".submit-row")),
  ...document.activeElement.getBoundingClientRect().toJSON()
})"""
TEXT_RATIO = "e => e.scrollTop / (e.scrollHeight - e.clientHeight)"
FRAME_TOP = "f => f.contentWindow.scrollY"
FRAME_RATIO = """f => f.contentWindow.scrollY /
  (f.contentDocument.documentElement.scrollHeight - f.contentWindow.innerHeight)"""


def open_long_article(page, live_server, editor):  # noqa: F811 (the fixture's value)
    article = ArticleFactory(body=LONG_BODY, author=editor)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    expect(preview(page).locator("h2#part-60")).to_be_attached(timeout=FIRST_GRADE_MS)
    return article


def test_the_text_stays_where_the_keyboard_or_a_script_scrolls_it(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """Text and preview side by side: PageDown, a script and typing at the end move the text,
    the preview follows, and the preview's own (smooth) scrolling never pulls the text back."""
    open_long_article(page, live_server, editor)
    text = page.locator("#id_body")
    frame = page.locator("iframe.editor-preview-frame")
    text.click(position={"x": 40, "y": 20})
    for _ in range(6):
        page.keyboard.press("PageDown")
    page.wait_for_timeout(SETTLE_MS)
    height = text.evaluate("e => e.clientHeight")
    top = text.evaluate("e => e.scrollTop")
    assert top > 3 * height, (top, height)  # six pages down, not snapped back to the top
    page.wait_for_timeout(SETTLE_MS)
    assert abs(text.evaluate("e => e.scrollTop") - top) <= 1
    assert abs(frame.evaluate(FRAME_RATIO) - text.evaluate(TEXT_RATIO)) < 0.02

    # Put somewhere by a script (what the toolbar and the image dialog do).
    text.evaluate("e => { e.scrollTop = 2000; }")
    page.wait_for_timeout(SETTLE_MS)
    assert abs(text.evaluate("e => e.scrollTop") - 2000) <= 1
    assert abs(frame.evaluate(FRAME_RATIO) - text.evaluate(TEXT_RATIO)) < 0.02

    # Typing at the end keeps the last line in view (less than a line, the box's padding, below).
    page.keyboard.press("Control+End")
    page.keyboard.type(" The last words.")
    page.wait_for_timeout(SETTLE_MS)
    assert text.evaluate(BELOW) < 24
    expect(preview(page)).to_contain_text("The last words.", timeout=FIRST_GRADE_MS)
    page.wait_for_timeout(SETTLE_MS)
    assert text.evaluate(BELOW) < 24
    assert frame.evaluate(FRAME_RATIO) > 0.98
    assert console_errors == []


def test_scrolling_the_preview_moves_the_text_and_stays(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """The wheel, the keys or a smooth scroll over the preview scroll it, the text follows, and
    neither jumps back (the text's echo once stopped the preview where it was)."""
    open_long_article(page, live_server, editor)
    text = page.locator("#id_body")
    frame = page.locator("iframe.editor-preview-frame")

    def in_step():
        return abs(frame.evaluate(FRAME_RATIO) - text.evaluate(TEXT_RATIO)) < 0.02

    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(4):
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(50)
    page.wait_for_timeout(SETTLE_MS)
    top = frame.evaluate(FRAME_TOP)
    assert top >= 1200, top
    assert text.evaluate("e => e.scrollTop") > 0
    assert in_step()

    # The keys, in the preview (its margin clicked: no link there).
    page.mouse.click(box["x"] + 3, box["y"] + 3)
    for _ in range(3):
        page.keyboard.press("PageDown")
    page.wait_for_timeout(SETTLE_MS)
    assert frame.evaluate(FRAME_TOP) >= top + 3 * 0.8 * box["height"] - 50
    top = frame.evaluate(FRAME_TOP)
    assert in_step()

    # A smooth scroll, as a desktop browser animates the wheel and the keys.
    frame.evaluate("f => f.contentWindow.scrollBy({top: 1000, behavior: 'smooth'})")
    page.wait_for_timeout(2 * SETTLE_MS)
    assert abs(frame.evaluate(FRAME_TOP) - (top + 1000)) <= 1
    top = frame.evaluate(FRAME_TOP)
    assert in_step()
    page.wait_for_timeout(SETTLE_MS)
    assert abs(frame.evaluate(FRAME_TOP) - top) <= 1

    # And back up a little: the text follows that too.
    before = text.evaluate("e => e.scrollTop")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(SETTLE_MS)
    assert frame.evaluate(FRAME_TOP) < top
    assert text.evaluate("e => e.scrollTop") < before
    assert in_step()
    assert console_errors == []


def test_references_template_row_stays_hidden_on_a_phone_and_added_rows_are_saved(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """Django's hidden row (the template "Add another Reference" copies) is not a card one
    could type into (and lose on saving); a row added with the link is saved."""
    article = ArticleFactory(body="Walk [@nhs].", author=editor)
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    group = page.locator("#references-group")
    expect(page.locator("#references-empty")).to_be_attached()
    expect(page.locator("#references-empty")).to_be_hidden()
    expect(group.locator("tr.form-row:visible")).to_have_count(1)  # the one extra row
    page.get_by_role("button", name="Add another Reference").click()
    expect(group.locator("tr.form-row:visible")).to_have_count(2)
    expect(page.locator("#references-empty")).to_be_hidden()
    row = page.locator("#references-1")
    row.locator("td.field-key input").fill("nhs")
    row.locator("td.field-title input").fill("Peripheral neuropathy")
    row.locator("td.field-publisher input").fill("NHS")
    row.locator("td.field-url input").fill("https://www.nhs.uk/conditions/peripheral-neuropathy/")
    page.get_by_role("button", name="Save & edit").click()  # a phone's short words for it
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    assert list(Article.objects.get().references.values_list("key", flat=True)) == ["nhs"]
    assert console_errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
def test_the_save_buttons_stay_in_view_while_editing(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
    size,
):
    """As WordPress's Update and Ghost's Publish: with the caret in the body the Save button is
    on screen; scrolled to the end, the buttons sit below the last field, covering nothing."""
    article = ArticleFactory(body=LONG_BODY, author=editor)
    page.set_viewport_size(size)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_body").click(position={"x": 40, "y": 20})
    save = page.get_by_role("button", name="Save", exact=True)
    box = save.evaluate("e => e.getBoundingClientRect().toJSON()")
    inner = page.evaluate("[window.innerWidth, window.innerHeight]")
    assert box["top"] >= 0 and box["bottom"] <= inner[1], (box, inner)
    assert box["left"] >= 0 and box["right"] <= inner[0], (box, inner)
    # Not a quarter of a phone's screen taken from the text.
    row = page.locator(".submit-row").bounding_box()
    assert row["height"] <= inner[1] / 4, row

    page.keyboard.press("Control+End")  # the caret at the end stays in view above the buttons
    page.keyboard.type(" The last words.")
    body = page.locator("#id_body").bounding_box()
    caret_bottom = body["y"] + body["height"] - 8  # the last line, at the box's foot
    assert caret_bottom <= page.locator(".submit-row").bounding_box()["y"], body

    # A field reached with Tab below the window's foot comes into view above the buttons.
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#id_topic").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["in_buttons"]:
            break
        if focused["height"] < inner[1] / 2:  # not the text or its preview, taller than that
            assert focused["bottom"] <= row["y"] + 1, focused

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    add_reference = page.get_by_role("button", name="Add another Reference").bounding_box()
    row = page.locator(".submit-row").bounding_box()
    assert add_reference["y"] + add_reference["height"] <= row["y"], (add_reference, row)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert console_errors == []


def test_a_call_to_action_added_in_its_popup_reaches_the_preview_and_the_draft(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """Django's "+" popup puts the new call-to-action in the select with jQuery's
    trigger("change"), which the editor's own listeners do not hear."""
    article = ArticleFactory(body="Walk a little each day.", author=editor)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    expect(preview(page).locator("article.article h1")).to_be_visible(timeout=FIRST_GRADE_MS)
    with page.expect_popup() as opened:
        page.locator("#add_id_call_to_action").click()
    popup = opened.value
    popup.get_by_label("Name:").fill("Share your story")
    popup.get_by_label("Heading:").fill("Tell us how it went")
    popup.locator("#id_text").fill("We read **every** story.")
    popup.get_by_label("Button label:").fill("Write to us")
    popup.get_by_label("Button link:").fill("#respond")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    expect(page.locator("#id_call_to_action option:checked")).to_have_text("Share your story")
    expect(preview(page)).to_contain_text("Tell us how it went", timeout=FIRST_GRADE_MS)
    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    assert console_errors == []


def test_a_select_changed_by_jquery_refreshes_the_preview_only_if_it_changed(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """What RelatedObjectLookups.js does after a popup (a new option chosen, then
    ``$(select).trigger("change")``) refreshes the preview and keeps a draft; the same trigger,
    which it fires on every related select as the page loads, changing nothing, sends nothing."""
    CallToActionFactory(name="Share your story", heading="Tell us how it went")
    article = ArticleFactory(body="Walk a little each day.", author=editor)
    page.set_viewport_size(DESKTOP)
    sent = []
    page.on("request", lambda request: sent.append(request.url))

    def count(kind):
        return len([url for url in sent if f"/editor/{kind}/" in url])

    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".editor-stats")).to_contain_text("Grade", timeout=FIRST_GRADE_MS)
    page.wait_for_timeout(2000)  # a preview or autosave the load caused would have gone
    previews = count("preview")
    assert count("autosave") == 0
    page.evaluate("django.jQuery('#id_topic, #id_call_to_action').trigger('change')")
    page.wait_for_timeout(1000)
    assert (count("preview"), count("autosave")) == (previews, 0)

    page.evaluate("""() => {
      const select = document.getElementById("id_call_to_action");
      select.value = select.options[1].value;
      django.jQuery(select).trigger("change");
    }""")
    expect(preview(page)).to_contain_text("Tell us how it went")
    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    assert console_errors == []


def test_a_save_refused_for_a_newer_version_offers_nothing_to_restore(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """The form sent back because someone saved after it was opened holds everything typed:
    no "Restore unsaved changes" over it (restoring brought back the old version's mark, and
    the "Save again" the message advises was refused again). Saved again, it replaces their
    version, and nothing is offered afterwards."""
    article = ArticleFactory(body="Walk a little each day.", author=editor)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.get_by_label("Summary:").fill("Why walking helps.")
    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    Article.objects.get(pk=article.pk).save()  # someone else's save meanwhile

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("after you opened it")).to_be_visible()
    expect(page.get_by_label("Summary:")).to_have_value("Why walking helps.")
    expect(page.locator(".editor-stats")).to_be_visible(timeout=FIRST_GRADE_MS)  # script ran
    expect(page.locator(".autosave-offer")).to_be_hidden()

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(".editor-stats")).to_be_visible(timeout=FIRST_GRADE_MS)
    expect(page.locator(".autosave-offer")).to_be_hidden()
    assert Article.objects.get(pk=article.pk).summary == "Why walking helps."
    assert console_errors == []


def test_unsaved_changes_made_on_a_phone_since_are_offered_on_the_desktop(
    browser,
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """Begun on a desktop, carried on from a phone (the server's draft restored there and
    added to): back on the desktop, the phone's draft is offered, not the desktop's own older
    copy, whose restoring replaced the server's draft and lost the phone's words."""
    article = ArticleFactory(body="Walk a little each day.", author=editor)
    url = live_server.url + f"/admin/articles/article/{article.pk}/change/"
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(url)
    page.locator("#id_body").fill("Walk a little each day. Typed at the desk.")
    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    desk = page.context
    page.close()

    phone = browser.new_context(viewport=PHONE).new_page()
    log_in(phone, live_server)
    phone.goto(url)
    phone.get_by_role("button", name="Restore").click()
    phone.locator("#id_body").press("End")
    phone.keyboard.type(" Typed on the bus.")
    expect(phone.locator(".editor-autosave")).to_contain_text("Draft kept at")
    phone.close()

    again = desk.new_page()
    again.goto(url)
    again.get_by_role("button", name="Restore").click()
    expect(again.locator("#id_body")).to_have_value(
        "Walk a little each day. Typed at the desk. Typed on the bus."
    )
    assert console_errors == []


def test_preview_as_a_reader_leaves_the_autosave_due_to_go(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """Words typed just before "Preview as a reader" reach the server's draft (the preview's
    submit cancelled the autosave due, so they were kept in this browser alone)."""
    from articles.models import ArticleDraft

    article = ArticleFactory(body="Walk a little each day.", author=editor)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_body").fill("Walk a little each day. Then rest.")
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Preview as a reader").click()
    expect(opened.value.locator(".preview-banner")).to_be_visible()
    opened.value.close()
    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    assert ArticleDraft.objects.get().data["body"] == "Walk a little each day. Then rest."
    assert console_errors == []


def test_on_a_phone_the_toolbar_waits_while_the_preview_hides_the_text(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """With "Show preview" the text is hidden: the toolbar's buttons wait for "Show text" (they
    inserted "**bold text**" or a link into the hidden text, unseen). Side by side on a wide
    screen, both are in view and the toolbar works."""
    article = ArticleFactory(body="Walk a little each day.", author=editor)
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    bold = page.get_by_role("button", name="Bold")
    page.get_by_role("button", name="Show preview").click()
    expect(preview(page).locator("article.article h1")).to_be_visible(timeout=FIRST_GRADE_MS)
    expect(bold).to_be_disabled()
    expect(page.get_by_role("button", name="Link")).to_be_disabled()
    bold.click(force=True)
    bold.dispatch_event("click")
    expect(page.locator("#id_body")).to_have_value("Walk a little each day.")
    page.get_by_role("button", name="Show text").click()
    expect(bold).to_be_enabled()
    page.get_by_role("button", name="Show preview").click()
    page.set_viewport_size(DESKTOP)  # text and preview side by side
    expect(bold).to_be_enabled()
    assert console_errors == []


def test_references_are_numbered_as_readers_see_them_and_added_rows_follow(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """Stored as 2 and 3 (the first deleted), the references read 2 and 3 in the editor where
    readers see 1 and 2; the blank row and each "Add another" row were all numbered 4. Now 1, 2,
    then 3, 4 and 5."""
    article = ArticleFactory(body="Walk [@walk]. Rest [@rest].", author=editor)
    ReferenceFactory(article=article, position=2, key="walk")
    ReferenceFactory(article=article, position=3, key="rest")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    add = page.get_by_role("button", name="Add another Reference")
    add.click()
    add.click()
    numbers = page.locator("#references-group tr.form-row:not(.empty-form) td.field-position input")
    expect(numbers).to_have_count(5)
    assert [number.input_value() for number in numbers.all()] == ["1", "2", "3", "4", "5"]
    assert console_errors == []


def test_a_long_title_under_the_heading_stays_clear_of_history_and_view_on_site(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """At 1280 px the article's title under "Change article" ran beneath the "History" and
    "View on site" buttons Django floats up beside it, the buttons covering its words."""
    article = ArticleFactory(
        title="Why Does Nerve Pain Get Worse After Physical Therapy? Causes, Insights & Tips",
        author=editor,
    )
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    title_right = page.locator("#content > h2").evaluate(
        """h => { const range = document.createRange(); range.selectNodeContents(h);
                  return Math.max(...[...range.getClientRects()].map(r => r.right)); }"""
    )
    buttons = page.locator(".object-tools a").first.bounding_box()
    assert title_right <= buttons["x"], (title_right, buttons)
    assert console_errors == []


def test_a_references_date_accessed_box_lines_up_with_its_rows_other_boxes(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """At 1280 px the "Date accessed" box sat 4 px below the number, key, title, publisher and
    link boxes of its row (Django's date box comes in a paragraph with a margin)."""
    article = ArticleFactory(body="Walk [@walk].", author=editor)
    ReferenceFactory(article=article, position=1, key="walk")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    # Measured at once, against the row: the page above still grows as the preview loads.
    tops = page.locator("#references-group tr.form-row.has_original").evaluate(
        """row => Object.fromEntries(["key", "title", "publisher", "url", "accessed_on"].map(
             name => [name, Math.round(row.querySelector(`td.field-${name} input`)
               .getBoundingClientRect().top - row.getBoundingClientRect().top)]))"""
    )
    assert len(set(tops.values())) == 1, tops
    assert console_errors == []


def test_on_a_phone_a_related_choices_icons_stay_on_one_line(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """At 375 px the topic's "view" eye, and the byline's "delete" cross and eye, wrapped
    alone onto a line under the select and its other icons: the select narrows and the icons
    (change, add, delete, view) stay together beside it."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    for field in ("topic", "byline", "call_to_action"):
        wrapper = page.locator(f".field-{field} .related-widget-wrapper")
        boxes = wrapper.evaluate(
            """w => [...w.children].filter(e => e.offsetParent)
                 .map(e => e.getBoundingClientRect().toJSON())"""
        )
        select, *icons = boxes
        assert len(icons) == 4, (field, boxes)
        assert {round(icon["top"]) for icon in icons} == {round(icons[0]["top"])}, field
        assert all(icon["left"] > select["right"] for icon in icons), field
        assert all(icon["right"] <= PHONE["width"] for icon in icons), field
    assert console_errors == []


def _right_edges(page, selector):
    return page.locator(selector).evaluate_all(
        "boxes => Object.fromEntries(boxes.filter(b => b.offsetParent).map(b => [b.id, "
        "Math.round(b.getBoundingClientRect().right)]))"
    )


def test_on_a_phone_the_text_boxes_use_their_rows_width(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """At 375 px the Title, Slug, Summary and image description boxes, and a page's Title,
    stopped 25 px short of the right edge (Django's 20em), where a page's URL box and the
    article's Body reached it."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    body = page.locator("#id_body").evaluate("b => Math.round(b.getBoundingClientRect().right)")
    edges = _right_edges(page, "fieldset.aligned input.vTextField")
    assert {"id_title", "id_slug", "id_summary", "id_featured_image_alt"} <= set(edges), edges
    assert set(edges.values()) == {body}, (body, edges)
    privacy = PublisherPage.objects.get(url="/privacy/")
    page.goto(live_server.url + f"/admin/articles/publisherpage/{privacy.pk}/change/")
    url = page.locator("#id_url").evaluate("b => Math.round(b.getBoundingClientRect().right)")
    edges = _right_edges(page, "fieldset.aligned input.vTextField")
    assert "id_title" in edges, edges
    assert edges["id_title"] == url, (url, edges)
    assert console_errors == []


def test_on_a_phone_a_pages_content_box_is_as_tall_as_an_articles_body(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """At 375 px a page's Content box above its preview was 120 px tall, about five lines
    of the privacy page's long text: it is now as tall as the article's Body box."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    body = page.locator("#id_body").bounding_box()["height"]
    privacy = PublisherPage.objects.get(url="/privacy/")
    page.goto(live_server.url + f"/admin/articles/publisherpage/{privacy.pk}/change/")
    content = page.locator("#id_content")
    expect(page.locator(".markdownx-preview h2").first).to_be_visible()
    assert content.bounding_box()["height"] >= body >= 300, (content.bounding_box(), body)
    # Still above its preview, not beside it.
    preview = page.locator(".markdownx-preview").bounding_box()
    assert preview["y"] >= content.bounding_box()["y"] + content.bounding_box()["height"]
    assert console_errors == []


def test_the_previews_main_landmark_is_told_apart_from_the_admins(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """The preview's frame brings a second main landmark into the editor: named "Preview",
    a screen reader's list of landmarks tells it from the admin's unnamed main."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    expect(page.get_by_role("main")).to_have_count(1)
    frame = page.frame_locator(".editor-preview-frame")
    expect(frame.get_by_role("main", name="Preview", exact=True)).to_be_visible()
    assert console_errors == []


def test_the_author_box_is_named_by_its_label_empty_or_chosen(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """Django's search-as-you-type Author box took its name from the chosen user alone: empty,
    a screen reader announced a nameless combo box. Its label names it, before and after a
    choice."""
    article = ArticleFactory(author=None)
    # The choices come from the users' admin, which lists them to those who may view them.
    editor.user_permissions.add(Permission.objects.get(codename="view_user"))
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    author = page.get_by_role("combobox", name="Author:")
    expect(author).to_be_visible()
    author.click()
    page.locator(".select2-search__field").fill("editor")
    page.locator(".select2-results").get_by_role("option", name="editor", exact=True).click()
    # After the label, select2's clear button (a cross) and the user chosen.
    expect(page.get_by_role("combobox", name=re.compile(r"^Author:.*editor$"))).to_be_visible()
    assert console_errors == []


def test_a_moderators_view_of_an_article_has_no_editor_bar_and_no_script_error(
    browser, live_server
):
    """A moderator may view an article: the editor's script failed on its page (no text box,
    no preview), and a Save bar holding only Close stayed over the text being read."""
    from django.contrib.auth.models import Group

    from tests.e2e.test_moderation import logged_in
    from tests.factories import UserFactory

    moderator = UserFactory(username="mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    article = ArticleFactory(body="## First\n\n" + "Some words to read. " * 400)
    page, errors = logged_in(
        browser, live_server, moderator, viewport={"width": 375, "height": 700}
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.get_by_role("heading", name="View article")).to_be_visible()
    bar = page.locator(".submit-row")
    assert bar.evaluate("e => getComputedStyle(e).position") == "static"
    assert bar.bounding_box()["y"] > 700  # in its place after the form, not over the text
    page.wait_for_load_state("load")
    assert errors == []


def test_shift_enter_in_a_list_item_breaks_the_line_and_enter_goes_on_numbering(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """Shift+Enter made a plain line with no indent: the preview ran it into the item
    ("2. second cont third") and the next Enter ended the list."""
    from tests.e2e.test_editor import typing_in

    article = ArticleFactory(body="", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    page.keyboard.press("Control+Shift+7")
    page.keyboard.type("first")
    page.keyboard.press("Enter")
    page.keyboard.type("second")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("cont")
    page.keyboard.press("Enter")
    page.keyboard.type("third")
    assert text.input_value() == "1. first\n2. second  \n   cont\n3. third"
    items = preview(page).locator("ol > li")
    expect(items).to_have_count(3)
    expect(items.nth(1)).to_have_text("second\ncont", use_inner_text=True)
    assert items.nth(1).locator("br").count() == 1
    assert console_errors == []


def test_enter_right_after_shift_enter_starts_the_next_item(
    page,
    live_server,
    editor,  # noqa: F811
):
    """It ended the list, leaving a line of spaces and the item's line break behind it."""
    from tests.e2e.test_editor import typing_in

    article = ArticleFactory(body="", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    page.keyboard.press("Control+Shift+7")
    page.keyboard.type("first")
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("second")
    assert text.input_value() == "1. first\n2. second"


@pytest.mark.parametrize("field", ["#id_title", "#id_summary"])
def test_enter_in_a_field_saves_and_stays_instead_of_opening_the_readers_preview(
    page,
    live_server,
    editor,  # noqa: F811
    field,
):
    """Enter (Go on a phone) in Title or Summary opened "Preview as a reader" in a new tab and
    saved nothing: that button, in the editor above the Save bar, was the form's first."""
    article = ArticleFactory(title="Old title", author=editor, draft=True)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    url = live_server.url + f"/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    page.locator(field).fill("New words")
    page.locator(field).press("Enter")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert page.url.startswith(url)  # saved and still here, as Ctrl+S
    assert len(page.context.pages) == 1  # no reader's preview opened
    article.refresh_from_db()
    assert getattr(article, field.removeprefix("#id_")) == "New words"


def test_without_script_the_formatting_toolbar_is_not_shown(
    browser,
    live_server,
    editor,  # noqa: F811
):
    """Its twelve buttons showed without script, and did nothing (a stylesheet's display:
    flex overrode the hidden attribute); the text box and its Save work without them."""
    article = ArticleFactory(author=editor, draft=True)
    page = browser.new_context(viewport=DESKTOP, java_script_enabled=False).new_page()
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#id_body")).to_be_visible()
    expect(page.locator(".editor-toolbar")).to_be_hidden()


def test_two_new_articles_in_two_tabs_each_keep_their_draft(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """The second tab's autosave replaced the first's draft (one "new" for both, here and in
    the browser's copy): closed, only the second came back. Each keeps its own; the latest
    is offered, the other one link away."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    add = live_server.url + "/admin/articles/article/add/"
    first = page.context.new_page()
    first.goto(add)
    first.get_by_label("Title:").fill("Article One: foot care")
    first.locator("#id_body").fill("Check your feet every day.")
    expect(first.locator(".editor-autosave")).to_contain_text("Draft kept at")
    second = page.context.new_page()
    second.goto(add)
    expect(second.locator(".autosave-offer")).to_be_visible()  # the first's: ignored
    first.close()  # (its last autosave goes as it closes: the second's is the latest)
    second.get_by_label("Title:").fill("Article Two: sleep")
    second.locator("#id_body").fill("Keep a regular bedtime.")
    expect(second.locator(".editor-autosave")).to_contain_text("Draft kept at")
    second.close()

    page.goto(add)
    offer = page.locator(".autosave-offer")
    expect(offer).to_be_visible()
    offer.get_by_role("link", name="Article One: foot care").click()
    page.locator(".autosave-offer").get_by_role("button", name="Restore").click()
    expect(page.get_by_label("Title:")).to_have_value("Article One: foot care")
    expect(page.locator("#id_body")).to_have_value("Check your feet every day.")
    page.get_by_label("Summary:").fill("Foot care when nerves are numb.")
    page.get_by_label("Slug:").fill("foot-care")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    # The other one is still kept, and offered.
    page.goto(add)
    expect(page.locator(".autosave-offer")).to_be_visible()
    page.locator(".autosave-offer").get_by_role("button", name="Restore").click()
    expect(page.get_by_label("Title:")).to_have_value("Article Two: sleep")
    assert console_errors == []


def test_restore_over_words_typed_since_the_page_opened_asks_first(
    page,
    live_server,
    editor,  # noqa: F811
    console_errors,  # noqa: F811
):
    """The offer stays while the first field has the focus, inviting typing; Restore then
    replaced the new title and text with the old draft, with no warning and no undo."""
    from articles.models import ArticleDraft

    ArticleDraft.objects.create(
        user=editor, key="new-old", data={"title": "Old draft", "editor_token": "tab-old"}
    )
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    expect(page.locator(".autosave-offer")).to_be_visible()
    page.get_by_label("Title:").fill("New words")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.locator(".autosave-offer").get_by_role("button", name="Restore").click()
    assert asked and asked[0].startswith("Restore the unsaved changes over what you have typed")
    expect(page.get_by_label("Title:")).to_have_value("New words")
    expect(page.locator(".autosave-offer")).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    page.locator(".autosave-offer").get_by_role("button", name="Restore").click()
    expect(page.get_by_label("Title:")).to_have_value("Old draft")
    assert console_errors == []
