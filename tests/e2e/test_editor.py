"""An editor writes and publishes an article in the admin's side-by-side editor."""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, PublisherPage
from tests.factories import ArticleFactory, CallToActionFactory, ReferenceFactory, UserFactory

# serialized_rollback: data migrations (the Moderators group) survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
PASSWORD = "correct horse battery staple"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# A process's first reading grade loads textstat's dictionaries: seconds on a busy machine.
FIRST_GRADE_MS = 15_000


def wait_until(check, timeout=8.0):
    """Poll from Python: page.wait_for_function would need 'unsafe-eval', which CSP forbids."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def _editor_requests_settle(transactional_db, browser):
    """Leaving the editor sends what autosave had pending (a beacon). The live server shares
    the test's database connection, so no request may arrive once the test is over: the
    browsers go offline before their pages close, and requests under way get a moment.
    Closed, not taken to another address: a page an earlier test left open (the queue with a
    reply typed) asks before it is left, and the browser's answer was to stay."""
    yield
    for context in browser.contexts:
        context.set_offline(True)
        for open_page in context.pages:
            open_page.close()
    time.sleep(1)


@pytest.fixture
def console_errors(console_errors, page):
    """Console errors (a CSP violation) and uncaught script errors, which the console misses."""
    page.on("pageerror", lambda error: console_errors.append(f"uncaught: {error}"))
    return console_errors


@pytest.fixture
def editor(transactional_db):
    user = UserFactory(username="editor", first_name="Eda", last_name="Writer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="articles"))
    return user


def log_in(page, live_server, username="editor"):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#logout-form")).to_be_attached()


def preview(page):
    """The preview frame's article, as drawn by the public templates."""
    return page.frame_locator("iframe.editor-preview-frame").locator("#content")


def test_text_and_preview_side_by_side_update_as_one_types(
    page, live_server, editor, console_errors
):
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    text = page.locator("#id_body")
    text.fill("## First steps\n\nWalk a little each day.")
    expect(preview(page).locator("h2#first-steps")).to_have_text(
        "First steps", timeout=FIRST_GRADE_MS
    )
    expect(preview(page).locator("nav.toc")).to_contain_text("First steps")
    expect(page.locator(".editor-stats")).to_contain_text("min read")
    expect(page.locator(".editor-stats")).to_contain_text("Grade", timeout=FIRST_GRADE_MS)
    # Side by side: the preview is to the right of the text, both on screen.
    text_box = text.bounding_box()
    frame_box = page.locator("iframe.editor-preview-frame").bounding_box()
    assert frame_box["x"] >= text_box["x"] + text_box["width"]
    assert abs(frame_box["y"] - text_box["y"]) < 5
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    assert console_errors == []


def test_the_live_reading_grade_takes_the_saved_ones_place(
    page, live_server, editor, console_errors
):
    """The change page shows the saved text's grade for browsers without script; with the
    editor's script, the line under the text says it (and follows the typing) instead."""
    article = ArticleFactory(body="Walk a little each day. Rest when it burns.", author=editor)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    saved = page.locator(".form-row.field-reading_grade")
    expect(saved).to_be_attached()
    page.locator("#id_body").fill("Walk. Rest.")
    expect(page.locator(".editor-stats")).to_contain_text("Grade", timeout=FIRST_GRADE_MS)
    expect(saved).to_be_hidden()
    expect(page.get_by_text("Reading grade:", exact=True)).to_be_hidden()
    assert console_errors == []


def test_narrow_screen_shows_text_or_preview_with_a_toggle(
    page, live_server, editor, console_errors
):
    """On a phone the title and summary are one-line boxes (the wide screen's rule once made
    them 320 px tall there), and the text and its preview take turns."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    for field in ("#id_title", "#id_summary"):  # one line each, full width, as on a wide screen
        box = page.locator(field).bounding_box()
        assert box["height"] < 50 and box["width"] > 300, (field, box)
    page.locator("#id_body").fill("## On a phone")
    frame = page.locator("iframe.editor-preview-frame")
    expect(frame).to_be_hidden()
    page.get_by_role("button", name="Show preview").click()
    expect(frame).to_be_visible()
    expect(page.locator("#id_body")).to_be_hidden()
    expect(preview(page).locator("h2#on-a-phone")).to_have_text(
        "On a phone", timeout=FIRST_GRADE_MS
    )
    page.get_by_role("button", name="Show text").click()
    expect(page.locator("#id_body")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert console_errors == []


def test_references_fit_and_reorder_by_drag_keyboard_and_number(
    page, live_server, editor, console_errors
):
    """No sideways scroll at 1,280 px; moving a reference renumbers the citations."""
    article = ArticleFactory(body="Walk [@alpha]. Rest [@beta].", author=editor)
    ReferenceFactory(article=article, key="alpha", position=1, title="Alpha source")
    ReferenceFactory(article=article, key="beta", position=2, title="Beta source")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    keys = page.locator("#references-group tbody tr.form-row:not(.empty-form) td.field-key input")
    expect(preview(page).locator(".references li").first).to_have_id(
        "ref-alpha", timeout=FIRST_GRADE_MS
    )

    # Drag beta's handle above alpha.
    handles = page.locator("#references-group .drag-handle")
    handles.nth(1).drag_to(page.locator("#references-group tbody tr.form-row").first)
    expect(keys.first).to_have_value("beta")
    expect(page.locator("#id_references-1-position")).to_have_value("1")
    expect(preview(page).locator(".references li").first).to_have_id("ref-beta")

    # Keyboard: beta's handle, arrow down, back to second place.
    handles.first.focus()
    page.keyboard.press("ArrowDown")
    expect(keys.first).to_have_value("alpha")
    expect(handles.nth(1)).to_be_focused()

    # By number: make beta number 1 again.
    page.locator("#id_references-1-position").fill("1")
    page.locator("#id_references-1-position").press("Tab")
    expect(keys.first).to_have_value("beta")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    assert list(Article.objects.get().references.values_list("key", flat=True)) == [
        "beta",
        "alpha",
    ]
    assert console_errors == []


WATCH_CLOSE = """(name) => {
  const dialog = document.querySelector(`[data-dialog="${name}"]`);
  window.dialogClosed = new Promise((resolve) => {
    dialog.addEventListener("close", () => setTimeout(resolve), { once: true });
  });
}"""


def watch_close(page, name):
    """The browser fires a dialog's "close" event after close(), as a task of its own. Keys
    typed before it would hide what it does to the caret, so tests wait for it."""
    page.evaluate(WATCH_CLOSE, name)


def dialog_closed(page):
    page.evaluate("window.dialogClosed")


def typing_in(page, live_server, article):
    """The article's editor on a desktop, the cursor in its text: the text box."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    text = page.locator("#id_body")
    text.click()
    return text


def test_toolbar_and_shortcuts_format_the_text(page, live_server, editor, console_errors):
    """Bold, heading, link, lists, quote, the seek-help callout and a citation, by keyboard."""
    article = ArticleFactory(body="", author=editor, draft=True)
    ReferenceFactory(article=article, key="nhs", position=1, title="NHS: nerve pain")
    text = typing_in(page, live_server, article)
    page.keyboard.press("Control+Alt+2")
    page.keyboard.type("Causes")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Rest ")
    page.keyboard.press("Control+B")
    page.keyboard.type("often")
    page.keyboard.press("End")
    page.keyboard.type(" and read ")
    page.keyboard.press("Control+K")
    page.keyboard.type("https://www.nhs.uk/")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Ice")
    page.keyboard.press("Control+Shift+8")
    page.keyboard.press("End")
    # The citation picker, from the toolbar by keyboard alone: Shift+Tab to the toolbar,
    # arrow keys along it, Enter, then Enter on the reference.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.dataset.action") == "bold"
    for _ in range(9):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.action") == "cite"
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Cite a reference")).to_be_visible()
    expect(page.get_by_role("button", name="NHS: nerve pain")).to_be_focused()
    watch_close(page, "cite")
    page.keyboard.press("Enter")
    dialog_closed(page)
    expect(text).to_be_focused()
    # The caret is after the citation: the editor types on.
    page.keyboard.type(" daily")
    page.keyboard.press("Enter")  # the next item ("- ")...
    page.keyboard.press("Enter")  # ...left empty: the list ends
    page.locator('.editor-toolbar button[data-action="seek-help"]').click()
    assert text.input_value() == (
        "## Causes\n\n"
        "Rest **often** and read [link text](https://www.nhs.uk/)\n\n"
        "- Ice[@nhs] daily\n\n"
        '!!! seek-help "When to seek help"\n'
        "    See a doctor or call your care team if:\n\n"
        "    - the pain becomes severe or spreads\n"
        "    - you notice numbness or weakness"
    ), text.input_value()
    frame = preview(page)
    expect(frame.locator("h2#causes")).to_have_text("Causes", timeout=FIRST_GRADE_MS)
    expect(frame.locator(".article-body strong")).to_have_text("often")
    expect(frame.locator("sup.citation a")).to_have_attribute("href", "#ref-nhs")
    expect(frame.locator("section.callout.seek-help h2")).to_have_text("When to seek help")
    assert console_errors == []


@pytest.mark.parametrize(
    "typed, key, left",
    [
        ("Rest __often__", "Control+B", "Rest often"),  # bold with underscores
        ("Rest *often*", "Control+I", "Rest often"),  # italic with a star
        ("Rest ***often***", "Control+I", "Rest **often**"),  # both: the italic comes off
        ("Rest ***often***", "Control+B", "Rest *often*"),  # ...or the bold
        ("Rest **often**", "Control+I", "Rest **_often_**"),  # "**" is bold, not italic twice
        ("Rest *__often__*", "Control+I", "Rest __often__"),  # outermost
    ],
)
def test_a_format_typed_by_hand_in_its_other_spelling_is_taken_off(
    page, live_server, editor, console_errors, typed, key, left
):
    """Markdown reads "__word__" as bold and "*word*" as italic, as a text pasted in or typed
    by hand has them: the keys added a second mark around them instead of taking them off."""
    article = ArticleFactory(body="", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    page.keyboard.type(typed)
    word = typed.index("often")
    page.evaluate(
        "([a, b]) => document.querySelector('#id_body').setSelectionRange(a, b)",
        [word, word + len("often")],
    )
    page.keyboard.press(key)
    assert text.input_value() == left
    assert console_errors == []


@pytest.mark.parametrize(
    "typed, chosen, key, left",
    [
        # Marks within the selection: all of it takes the format. It stripped the pair's
        # inner marks, and readers saw "ibuprofen** or **paracetamol".
        (
            "Take **ibuprofen** or **paracetamol** with food.",
            "ibuprofen** or **paracetamol",
            "Control+B",
            "Take **ibuprofen or paracetamol** with food.",
        ),
        ("**bold** text", "**bold** text", "Control+B", "**bold text**"),  # was "****bold** text**"
        ("Take *a* or *b* now", "a* or *b", "Control+I", "Take *a or b* now"),
        # (pressed twice more, off and on: "Take _a or b_ now", the italic's usual spelling)
        ("Take **a** or b now", "a** or b", "Control+B", "Take **a or b** now"),
        ("**a** and **b**", "**a** and **b**", "Control+B", "**a and b**"),
        # A caret within a word: the word. It split it ("hello **wo**bold text**rld**").
        ("hello **world**", "wo|rld", "Control+B", "hello world"),
        ("hello world", "wo|rld", "Control+B", "hello **world**"),
        # Underscores within a word are letters: they were taken off as an italic's.
        ("snake_case_word", "case", "Control+I", "snake_*case*_word"),
    ],
)
def test_a_format_over_marks_or_at_a_caret_applies_to_the_whole(
    page, live_server, editor, console_errors, typed, chosen, key, left
):
    article = ArticleFactory(body="", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    text.fill(typed)
    if "|" in chosen:
        at = typed.index(chosen.replace("|", "")) + chosen.index("|")
        span = [at, at]
    else:
        span = [typed.index(chosen), typed.index(chosen) + len(chosen)]
    page.evaluate("([a, b]) => document.querySelector('#id_body').setSelectionRange(a, b)", span)
    page.keyboard.press(key)
    assert text.input_value() == left
    # Pressed again on what it selected, it comes off (or goes back on) as a pair.
    page.keyboard.press(key)
    page.keyboard.press(key)
    assert text.input_value() == ("Take _a or b_ now" if left == "Take *a or b* now" else left)
    assert console_errors == []


def test_a_format_pressed_again_is_taken_off(page, live_server, editor, console_errors):
    """Ctrl+I twice made "__word__", which Markdown reads as bold; Ctrl+B twice "****word****";
    a list or a quote could not be taken off by its key at all. Pressed again, each is taken
    off, as in Ghost or a word processor; headings already were."""
    article = ArticleFactory(body="", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    page.keyboard.type("Rest often")
    page.keyboard.press("Shift+Control+ArrowLeft")  # "often"
    page.keyboard.press("Control+I")
    assert text.input_value() == "Rest _often_"
    page.keyboard.press("Control+I")
    assert text.input_value() == "Rest often"
    page.keyboard.press("Control+B")
    page.keyboard.press("Control+I")
    assert text.input_value() == "Rest **_often_**"  # both
    page.keyboard.press("Control+B")
    assert text.input_value() == "Rest _often_"
    page.keyboard.press("Control+A")  # marks inside the selection come off too
    page.keyboard.press("Control+B")
    page.keyboard.press("Control+B")
    assert text.input_value() == "Rest _often_"
    # A word selected with its space (a double click): the marks go round the word alone.
    text.fill("Rest often now")
    page.evaluate("() => document.querySelector('#id_body').setSelectionRange(5, 11)")
    page.keyboard.press("Control+B")
    assert text.input_value() == "Rest **often** now"

    text.fill("one\ntwo")
    page.keyboard.press("Control+A")
    for key, marked in [("8", "- one\n- two"), ("7", "1. one\n2. two"), ("9", "> one\n> two")]:
        page.keyboard.press(f"Control+Shift+{key}")
        assert text.input_value() == marked
        page.keyboard.press("Control+A")
        page.keyboard.press(f"Control+Shift+{key}")
        assert text.input_value() == "one\ntwo", key
        page.keyboard.press("Control+A")
    page.keyboard.press("Control+Shift+7")
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+Shift+8")  # numbers become bullets, as before
    assert text.input_value() == "- one\n- two"
    # The lines stay selected: pressed twice running, it is off them all (the second press
    # took the last line's alone). A blank line gets no empty bullet.
    text.fill("one\n\ntwo\nthree")
    page.keyboard.press("Control+A")
    page.keyboard.press("Control+Shift+8")
    assert text.input_value() == "- one\n\n- two\n- three"
    page.keyboard.press("Control+Shift+8")
    assert text.input_value() == "one\n\ntwo\nthree"
    page.keyboard.press("Control+Shift+7")
    assert text.input_value() == "1. one\n\n2. two\n3. three"
    # At a caret, on a line of its own, the marker is put and typing goes on after it.
    text.fill("")
    page.keyboard.press("Control+Shift+8")
    page.keyboard.type("Ice")
    assert text.input_value() == "- Ice"
    page.keyboard.press("Control+Shift+8")  # and off again, from the caret
    assert text.input_value() == "Ice"
    assert console_errors == []


def test_a_citation_from_the_toolbar_before_a_click_in_the_text_goes_at_its_end(
    page, live_server, editor, console_errors
):
    """A text never clicked into has its caret at its start: a citation or image inserted
    from the toolbar went before the first line of a long body."""
    article = ArticleFactory(body="First line.\n\nLast line.", author=editor, draft=True)
    ReferenceFactory(article=article, key="nhs", position=1, title="NHS: nerve pain")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.locator('.editor-toolbar button[data-action="cite"]').click()
    page.get_by_role("button", name="NHS: nerve pain").click()
    expect(page.locator("#id_body")).to_have_value("First line.\n\nLast line.[@nhs]")
    page.reload()  # the other tools too (unsaved, the citation is gone): Link went first
    page.locator('.editor-toolbar button[data-action="link"]').click()
    expect(page.locator("#id_body")).to_have_value("First line.\n\nLast line.[link text](https://)")
    assert console_errors == []


def test_enter_in_a_list_starts_the_next_item(page, live_server, editor, console_errors):
    """Enter after a list item gave a line with no marker, which the preview joined to the
    item above ("Gentle walking A cool footbath"): it now starts the next item, numbered on,
    and Enter on an empty item ends the list."""
    article = ArticleFactory(body="", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    page.keyboard.type("Try:")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+Shift+8")
    page.keyboard.press("End")
    page.keyboard.type("Gentle walking")
    page.keyboard.press("Enter")
    page.keyboard.type("A cool footbath")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty item ends the list
    page.keyboard.type("Then:")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("1. See your GP")
    page.keyboard.press("Enter")
    page.keyboard.type("Ask about medicines")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("    - if the pain")  # an indented item (a callout's) keeps its indent
    page.keyboard.press("Enter")
    page.keyboard.type("spreads")
    page.keyboard.press("Shift+Enter")  # a line break within the item, under its words
    assert text.input_value() == (
        "Try:\n\n- Gentle walking\n- A cool footbath\n\nThen:\n\n"
        "1. See your GP\n2. Ask about medicines\n\n    - if the pain\n    - spreads  \n      "
    ), text.input_value()
    frame = preview(page)
    expect(frame.locator(".article-body ul").first.locator(":scope > li")).to_have_text(
        ["Gentle walking", "A cool footbath"], timeout=FIRST_GRADE_MS
    )
    expect(frame.locator(".article-body ol li").first).to_have_text("See your GP")
    assert console_errors == []


def png_bytes(size=(1200, 600)):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


PASTE_IMAGE = """([data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "pasted.png", { type: "image/png" }));
  document.querySelector("#id_body").dispatchEvent(
    new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true })
  );
}"""


def test_images_are_added_with_alt_text_required(page, live_server, editor, console_errors):
    """By the Image button or by pasting: the editor asks for a description before uploading."""
    import base64

    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    expect(page.locator(".editor-hint")).to_contain_text("Drop or paste an image")
    text = page.locator("#id_body")
    text.fill("Intro.\n")
    text.press("Control+End")

    page.get_by_role("button", name="Image", exact=True).click()
    dialog = page.get_by_role("dialog", name="Add an image")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Image file").set_input_files(
        files=[{"name": "knee.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Describe the image")
    dialog.get_by_label("Describe the image").fill("A knee stretch on a mat")
    watch_close(page, "image")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()
    dialog_closed(page)
    # The caret is after the image: the editor types on below it.
    page.keyboard.press("Enter")
    page.keyboard.type("Hold it.")
    expect(text).to_have_value(
        re.compile(
            r"^Intro\.\n\n!\[A knee stretch on a mat\]\(/media/uploads/\w+-1200x600\.png\)"
            r"\nHold it\.$"
        )
    )
    image = preview(page).locator(".article-body img")
    expect(image).to_have_attribute("width", "1200", timeout=FIRST_GRADE_MS)
    expect(image).to_have_attribute("height", "600")
    expect(image).to_have_attribute("loading", "lazy")
    expect(image).to_have_attribute("srcset", re.compile(r"-480w\.png 480w, .*-960w\.png 960w"))

    # Pasting an image asks for its description too; Escape cancels and keeps the text.
    page.evaluate(PASTE_IMAGE, [base64.b64encode(png_bytes((300, 200))).decode()])
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("pasted.png")
    expect(dialog.get_by_label("Describe the image")).to_be_focused()
    page.keyboard.type("A hand holding ice")
    page.keyboard.press("Enter")
    expect(text).to_have_value(
        re.compile(r"!\[A hand holding ice\]\(/media/uploads/\w+-300x200\.png\)")
    )
    assert console_errors == []


def test_an_image_uploaded_before_is_found_by_name_and_chosen_instead_of_a_file(
    page, live_server, editor, console_errors
):
    """The image dialog offers the images already uploaded, newest first, 24 at a time; one
    is found by its file name, and chosen it is inserted with its description, without
    uploading it again."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import BodyImage
    from articles.uploads import RasterImageForm

    def stored(name, size):
        form = RasterImageForm(files={"image": SimpleUploadedFile(name, png_bytes(size))})
        assert form.is_valid()
        return form.save(uploaded_by=editor)

    url = stored("knee-stretch.png", (1200, 600))  # the oldest: not among the newest 24
    for n in range(25):
        stored(f"ankle-{n}.png", (120, 80))
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    text = page.locator("#id_body")
    text.fill("Intro.\n")
    text.press("Control+End")
    page.get_by_role("button", name="Image", exact=True).click()
    dialog = page.get_by_role("dialog", name="Add an image")
    uploaded = dialog.get_by_role("group", name="Or choose one already uploaded")
    expect(uploaded.get_by_role("button")).to_have_count(24)
    expect(uploaded.get_by_role("button").first).to_have_accessible_name(
        re.compile("^ankle-24\\.png, .*, 120 \N{MULTIPLICATION SIGN} 80 pixels$")
    )
    dialog.get_by_role("button", name="Show more").click()
    expect(uploaded.get_by_role("button")).to_have_count(26)
    expect(uploaded.get_by_role("button").nth(24)).to_be_focused()
    expect(dialog.get_by_role("button", name="Show more")).to_be_hidden()

    find = dialog.get_by_label("Find by name or description")
    find.fill("nothing like it")
    expect(dialog.get_by_role("status")).to_have_text(
        "No uploaded image has \N{LEFT DOUBLE QUOTATION MARK}nothing like it"
        "\N{RIGHT DOUBLE QUOTATION MARK} in its name or description."
    )
    expect(uploaded.get_by_role("button")).to_have_count(0)
    find.fill("knee")
    find.press("Enter")  # finds at once, and does not send the article's form
    choice = uploaded.get_by_role("button", name=re.compile(r"^knee-stretch\.png, "))
    expect(uploaded.get_by_role("button")).to_have_count(1)
    expect(dialog.get_by_text("No uploaded image has")).to_be_hidden()
    choice.click()
    expect(choice).to_have_attribute("aria-pressed", "true")
    dialog.get_by_label("Describe the image").fill("A knee stretch on a mat")
    watch_close(page, "image")
    dialog.get_by_role("button", name="Insert", exact=True).click()
    expect(dialog).to_be_hidden()
    dialog_closed(page)
    expect(text).to_have_value(f"Intro.\n\n![A knee stretch on a mat]({url})")
    assert BodyImage.objects.count() == 26  # not uploaded again
    assert console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_uploads_of_one_file_are_told_apart_in_the_image_dialog(
    page, live_server, editor, console_errors, width
):
    """Three uploads of "knee.png" read differently, as in WordPress's media library: each
    shows its description in a text, its day and its pixels under the name (once only in
    its accessible name), and a small copy, not the full image."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.uploads import RasterImageForm

    def stored(size):
        form = RasterImageForm(files={"image": SimpleUploadedFile("knee.png", png_bytes(size))})
        assert form.is_valid()
        return form.save(uploaded_by=editor)

    shown = stored((1200, 600))
    stored((600, 900))
    ArticleFactory(body=f"![A knee stretch on a mat]({shown})")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_role("button", name="Image", exact=True).click()
    uploaded = page.get_by_role("group", name="Or choose one already uploaded")
    choices = uploaded.get_by_role("button")
    expect(choices).to_have_count(2)
    texts = [choice.inner_text().split("\n") for choice in choices.all()]
    assert texts[0][0] == texts[1][0] == "knee.png"
    assert texts[0][1:] == [
        timezone.localdate().strftime("%-d %b %Y"),
        "600 \N{MULTIPLICATION SIGN} 900",
    ]
    assert (
        texts[1][1]
        == "\N{LEFT DOUBLE QUOTATION MARK}A knee stretch on a mat\N{RIGHT DOUBLE QUOTATION MARK}"
    )
    assert texts[1][3] == "1200 \N{MULTIPLICATION SIGN} 600"
    assert choices.nth(1).locator("img").get_attribute("src") == shown.replace(".png", "-480w.png")
    # Each is named by the words it shows, in their order, as a speech user says them (its
    # name said "uploaded" and "1200 by 600" where it showed the size with a times sign, and
    # its text ran "2026" into "1200"); its tooltip, a screen reader's description, says them
    # in full.
    for choice, lines in zip(choices.all(), texts, strict=True):
        expect(choice).to_have_accessible_name(", ".join(lines) + " pixels")
        assert choice.text_content().split() == " ".join(lines).split()
    expect(choices.nth(1)).to_have_accessible_description(
        re.compile(r"^knee\.png, described as A knee stretch on a mat, uploaded .*, 1200 by 600")
    )
    for choice in choices.all():  # the details fit the choice's width
        box, detail = choice.bounding_box(), choice.locator(".editor-image-detail").last
        assert (
            detail.bounding_box()["x"] + detail.bounding_box()["width"] <= box["x"] + box["width"]
        )
    assert console_errors == []


def test_closing_the_tab_mid_edit_loses_nothing(browser, page, live_server, editor):
    """The text comes back in the same browser (its own copy) and in another (the server's)."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Title:").fill("Sleep and nerve pain")
    page.get_by_label("Summary:").fill("Why nerve pain feels worse at night.")
    page.locator("#id_body").fill("## Why nights are worse\n\nLying still, the mind turns to pain.")
    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    page.locator("#id_body").press("End")
    page.keyboard.type(" Typed just before closing.")
    context = page.context
    page.close()

    again = context.new_page()
    again.set_viewport_size(DESKTOP)
    again.goto(live_server.url + "/admin/articles/article/add/")
    offer = again.locator(".autosave-offer")
    expect(offer).to_contain_text("Restore unsaved changes from")
    again.get_by_role("button", name="Restore").click()
    expect(again.locator("#id_body")).to_have_value(
        "## Why nights are worse\n\nLying still, the mind turns to pain. Typed just before closing."
    )
    expect(again.get_by_label("Title:")).to_have_value("Sleep and nerve pain")
    # The summary's count follows the restored summary (it said 160 left over any).
    expect(again.locator("#id_summary_count")).to_have_text("You have 124 characters left.")
    expect(preview(again).locator("h2#why-nights-are-worse")).to_be_visible(timeout=FIRST_GRADE_MS)
    # Closed now: an open tab keeps its unsaved text as a draft, and would offer it again later.
    again.close()

    # Another browser has no copy of its own: the server's draft is offered.
    elsewhere = browser.new_context(viewport=DESKTOP).new_page()
    log_in(elsewhere, live_server)
    elsewhere.goto(live_server.url + "/admin/articles/article/add/")
    elsewhere.get_by_role("button", name="Restore").click()
    expect(elsewhere.locator("#id_body")).to_have_value(
        re.compile(r"^## Why nights are worse\n\nLying still, the mind turns to pain\.")
    )

    # Saved: nothing is offered any more, in either browser.
    elsewhere.get_by_role("button", name="Save and continue editing").click()
    expect(elsewhere.locator(".messagelist")).to_contain_text("was added successfully")
    elsewhere.goto(live_server.url + "/admin/articles/article/add/")
    expect(elsewhere.locator("#article-editor-config")).to_be_attached()
    expect(elsewhere.locator(".autosave-offer")).to_be_hidden()
    assert Article.objects.get().title == "Sleep and nerve pain"


@pytest.mark.parametrize(
    ("kind", "prefix", "first", "text"),
    [("article", "", "Title:", "#id_body"), ("calltoaction", "cta:", "Name:", "#id_text")],
)
def test_a_new_form_with_unsaved_changes_offered_opens_with_the_focus_on_its_first_field(
    page, live_server, editor, console_errors, kind, prefix, first, text
):
    """Django's add form focuses its first field from a script of its own, which could run
    once the offer of unsaved changes was shown: its Restore button took the focus, the title
    typed went nowhere and the title's first space restored the old draft. The first field has
    the focus; the offer stays above it, a Shift+Tab away."""
    from articles.models import ArticleDraft

    ArticleDraft.objects.create(
        user=editor, key=prefix + ArticleDraft.NEW, data={"title": "Sleep", "name": "Sleep"}
    )

    def later(route):  # Django's script arrives last, as on a slow connection
        time.sleep(0.5)
        route.continue_()

    page.route("**/admin/js/change_form.js", later)
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/{kind}/add/")
    expect(page.locator(".autosave-offer")).to_be_visible()
    expect(page.get_by_label(first)).to_be_focused()
    page.keyboard.type("Walking with nerve pain")
    expect(page.get_by_label(first)).to_have_value("Walking with nerve pain")
    expect(page.locator(".autosave-offer")).to_be_visible()  # nothing restored
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Discard them")).to_be_focused()
    assert console_errors == []


def article_html(frame_or_page):
    """The article as drawn: header, contents, body, references, disclaimer, call-to-action;
    without the preview's tabindex="-1" on its links (one Tab stop for the whole preview)."""
    html = frame_or_page.locator("article.article").evaluate("element => element.outerHTML")
    return html.replace(' tabindex="-1"', "")


def test_an_editor_writes_schedules_and_publishes_an_article(
    browser, page, live_server, editor, console_errors
):
    """The whole journey: toolbar and shortcuts, an image with its description, a reference
    cited before it is saved, the tab closed mid-edit, a reader's preview, scheduling, and a
    preview that is the published page."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Title:").fill("Nerve pain at night")
    page.get_by_label("Summary:").fill("Why nerve pain can feel worse at night, and what helps.")
    row = page.locator("#references-0")
    row.locator("td.field-key input").fill("nhs-neuropathy")
    row.locator("td.field-title input").fill("Peripheral neuropathy")
    row.locator("td.field-publisher input").fill("NHS")
    row.locator("td.field-url input").fill("https://www.nhs.uk/conditions/peripheral-neuropathy/")

    text = page.locator("#id_body")
    text.click()
    page.keyboard.press("Control+Alt+2")
    page.keyboard.type("Why nights are worse")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("With fewer distractions, pain feels ")
    page.keyboard.press("Control+B")
    page.keyboard.type("louder")
    page.keyboard.press("End")
    page.keyboard.type(". Read the ")
    page.keyboard.press("Control+K")
    page.keyboard.type("https://www.nhs.uk/")
    page.keyboard.press("End")
    page.keyboard.type(".")
    page.get_by_role("button", name="Cite").click()
    page.get_by_role("button", name="Peripheral neuropathy").click()
    text.press("Control+End")
    page.keyboard.press("Enter")
    page.locator('.editor-toolbar button[data-action="seek-help"]').click()
    text.press("Control+End")
    page.get_by_role("button", name="Image", exact=True).click()
    dialog = page.get_by_role("dialog", name="Add an image")
    dialog.get_by_label("Image file").set_input_files(
        files=[{"name": "bed.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    dialog.get_by_label("Describe the image").fill("A bedside lamp in a dark room")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    frame = preview(page)
    expect(frame.locator("sup.citation a")).to_have_attribute(
        "href", "#ref-nhs-neuropathy", timeout=FIRST_GRADE_MS
    )
    expect(frame.locator("section.seek-help h2")).to_have_text("When to seek help")
    expect(frame.locator(".article-body img")).to_have_attribute(
        "alt", "A bedside lamp in a dark room"
    )
    written = text.input_value()

    # The tab closes mid-edit: the text comes back.
    text.press("Control+End")
    page.keyboard.type("\n\nRest helps.")
    expected = text.input_value()
    context = page.context
    page.close()
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_role("button", name="Restore").click()
    expect(page.locator("#id_body")).to_have_value(expected)
    assert expected.startswith(written)

    # Preview as a reader, before the first save, in a new tab.
    with context.expect_page() as opened:
        page.get_by_role("button", name="Preview as a reader").click()
    reader_tab = opened.value
    expect(reader_tab.locator(".preview-banner")).to_contain_text("Preview of the text")
    expect(reader_tab.get_by_role("heading", level=1)).to_have_text("Nerve pain at night")
    expect(reader_tab.locator("sup.citation a")).to_have_attribute("href", "#ref-nhs-neuropathy")
    reader_tab.close()

    # Scheduled for tomorrow: "Scheduled" in the list, 404 for readers.
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.get_by_label("Status:").select_option("published")
    page.locator("#id_published_at_0").fill(tomorrow.strftime("%Y-%m-%d"))
    page.locator("#id_published_at_1").fill("09:00:00")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    row = page.locator("#result_list tbody tr", has_text="Nerve pain at night")
    expect(row.locator("td.field-publication")).to_contain_text("Scheduled for")
    article = Article.objects.get()
    assert article.is_scheduled and article.author == editor
    assert article.references.get().key == "nhs-neuropathy"
    reader = browser.new_context(viewport=DESKTOP).new_page()
    assert reader.goto(live_server.url + article.get_absolute_url()).status == 404

    # The time comes: readers get the page, and it is what the editor's preview showed.
    Article.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    expect(preview(page).locator("article.article h1")).to_have_text("Nerve pain at night")
    expect(preview(page).locator("sup.citation a")).to_have_count(1)
    previewed = article_html(preview(page))
    response = reader.goto(live_server.url + article.get_absolute_url())
    assert response.status == 200
    assert article_html(reader) == previewed
    expect(reader.locator(".article-body img")).to_have_attribute("loading", "lazy")
    expect(reader.get_by_text("Edit this article")).to_have_count(0)
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("link", name="Edit this article")).to_be_visible()
    assert console_errors == []


def _open_published_article(page, live_server, editor, published_at):
    """An article of the editor's, published (or scheduled) at ``published_at``, opened on a
    desktop by the editor; returns it."""
    article = ArticleFactory(
        author=editor, status=Article.Status.PUBLISHED, published_at=published_at
    )
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    return article


def _open_scheduled_article(page, live_server, editor):
    """An article of the editor's published for 09:30 in three days, opened on a desktop by the
    editor; returns its publish date and time (the site's)."""
    coming = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    _open_published_article(page, live_server, editor, coming)
    return coming


def test_the_status_choice_follows_the_publish_date_as_it_is_edited(
    page, live_server, editor, console_errors
):
    """The Status choice said what the saved article was: a scheduled one's date brought back
    to today still read "Scheduled for" the old date, and a date set to come still read
    "Published" until the save. It reads what saving will do as the date is typed or picked
    (Django's "Today" and "Now" too), in the words the save then uses."""
    coming = _open_scheduled_article(page, live_server, editor)
    chosen = page.get_by_label("Status:").locator("option:checked")
    expect(chosen).to_have_text(f"Scheduled for {coming:%-d %b %Y}, 09:30")

    dates = page.locator(".field-published_at")
    dates.get_by_role("link", name="Today").click()
    dates.get_by_role("link", name="Now").click()
    expect(chosen).to_have_text("Published")

    next_year = timezone.localdate() + datetime.timedelta(days=365)
    page.locator("#id_published_at_0").fill(next_year.isoformat())
    page.locator("#id_published_at_1").fill("7:05")
    expect(chosen).to_have_text(f"Scheduled for {next_year:%-d %b %Y}, 07:05")
    said = chosen.text_content()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text(f"{said}: readers see it from then.")
    expect(chosen).to_have_text(said)  # the server's words are the script's

    page.locator("#id_published_at_0").fill("")
    page.locator("#id_published_at_1").fill("")
    expect(chosen).to_have_text("Published")  # empty: now, on publishing
    assert console_errors == []


def test_the_status_follows_any_date_the_save_reads_and_says_when_it_reads_none(
    page, live_server, editor, console_errors
):
    """The Status choice and the Publication line's "until you save" read only the calendar's
    2027-03-01: "1 Mar 2027" or "3/1/2027", which the save reads as well, left them as they
    were, and a date the save refuses left them too, without a word. They follow each date the
    admin's input formats read (checked here against the form field the save uses), and a
    date or time the save would refuse is said so under the boxes. Slashes are no longer read
    (10/12 was read month first, where the site writes the day first)."""
    from django import forms

    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    _open_published_article(page, live_server, editor, ten_days_ago)
    chosen = page.get_by_label("Status:").locator("option:checked")
    line = page.locator(".field-publication .readonly")
    unread = page.locator(".publish-date-unread")
    year = timezone.localdate().year + 1
    short = year % 100
    field = forms.SplitDateTimeField()
    for day, time_typed in (
        (f"1 Mar {year}", "9:30"),
        (f"{year}-03-01", "09:30:00"),
        (f"march 1, {year}", "9:30:00.5"),
        (f"Mar  1 {year}", "09:30"),
    ):
        page.locator("#id_published_at_0").fill(day)
        page.locator("#id_published_at_1").fill(time_typed)
        when = timezone.localtime(field.clean([day, time_typed]))  # as the save reads it
        said = f"Scheduled for {when:%-d %b %Y}, 09:30"
        expect(chosen).to_have_text(said)
        expect(line).to_contain_text(f"until you save; then {said}.")
        expect(unread).to_be_hidden()

    for day, time_typed, note in (
        ("6th Dec", "09:30", "“6th Dec” is not a date the save reads"),
        (f"03/01/{year}", "09:30", f"“03/01/{year}” is not a date the save reads"),
        (f"3/1/{short}", "09:30", f"“3/1/{short}” is not a date the save reads"),
        (f"{year}-02-30", "09:30", f"“{year}-02-30” is not a date the save reads"),
        (f"{year}-03-01", "24:00", "“24:00” is not a time the save reads"),
        (f"{year}-03-01", "", "Give a time too"),
        ("", "09:30", "Give a date too"),  # it said "“” is not a date the save reads"
    ):
        page.locator("#id_published_at_0").fill(day)
        page.locator("#id_published_at_1").fill(time_typed)
        with pytest.raises(forms.ValidationError):
            field.clean([day, time_typed])
        expect(unread).to_contain_text(note)
        expect(chosen).to_have_text("Published")
        expect(line).not_to_contain_text("until you save")
    page.locator("#id_published_at_0").fill("")
    page.locator("#id_published_at_1").fill("")
    expect(unread).to_be_hidden()
    assert console_errors == []


def test_a_date_picked_with_the_calendar_or_clock_is_kept_as_a_change(
    page, live_server, editor, console_errors
):
    """Django's calendar, clock, "Today" and "Now" set the publish date's boxes without an
    input event: autosave kept nothing until the next key typed, and a tab closed after
    picking a date lost it. A date or time picked so is a change, as one typed is."""
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    article = _open_published_article(page, live_server, editor, ten_days_ago)
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    dates = page.locator(".field-published_at")
    dates.get_by_role("link", name="Choose a Time").click()
    page.locator(".clockbox").get_by_role("link", name="Noon").click()
    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    dates.get_by_role("link", name="Today").click()
    today = timezone.localdate().isoformat()
    expect(page.locator("#id_published_at_0")).to_have_value(today)
    wait_until(lambda: today in (page.evaluate("Object.values({...localStorage}).join()") or ""))

    page.goto(url)
    page.get_by_role("button", name="Restore").click()
    expect(page.locator("#id_published_at_0")).to_have_value(today)
    expect(page.locator("#id_published_at_1")).to_have_value(re.compile(r"^12:00"))
    assert console_errors == []


def test_only_the_date_widgets_clicks_look_for_a_date_picked(
    page, live_server, editor, console_errors
):
    """The look for a date or time picked (Django's pickers write the boxes without an event)
    ran after every click on the page, the text's and the toolbar's too. It runs after the
    date and time widgets' clicks: their boxes, links, calendar and clock."""
    article = ArticleFactory(author=editor)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.evaluate(
        """() => {
        window.announced = 0;
        const box = document.querySelector("#id_published_at_1");
        box.addEventListener("input", () => { window.announced += 1; });
        box.value = "08:15:00";  // written without an event, as a picker writes it
    }"""
    )
    page.get_by_label("Title:").click()
    page.locator("#id_body").click()
    page.locator(".editor-toolbar").get_by_role("button").first.click()
    page.wait_for_timeout(200)
    assert page.evaluate("window.announced") == 0
    page.locator(".field-published_at").get_by_role("link", name="Choose a Time").click()
    page.locator(".clockbox").get_by_role("link", name="Cancel").click()
    wait_until(lambda: page.evaluate("window.announced") == 1)
    assert console_errors == []


def test_the_publication_line_says_it_holds_until_the_save_while_status_says_otherwise(
    page, live_server, editor, console_errors
):
    """The Publication line said what was saved while the Status choice beside it followed the
    date being edited: "Scheduled for" a date beside "Published" on the line, and the editor
    could not tell which was true. The line keeps what is saved, what readers see now, and
    while the edit would change it says so, as WordPress's Publish box does."""
    coming = _open_scheduled_article(page, live_server, editor)
    line = page.locator(".field-publication .readonly")
    saved = f"Scheduled for {coming:%-d %b %Y}, 09:30"
    expect(line).to_have_text(saved)

    past = timezone.localdate() - datetime.timedelta(days=2)
    page.locator("#id_published_at_0").fill(past.isoformat())
    expect(line).to_have_text(f"{saved} until you save; then Published {past:%-d %b %Y}, 09:30.")
    page.locator("#id_published_at_0").fill(coming.date().isoformat())
    expect(line).to_have_text(saved)  # back as saved: nothing to say
    page.get_by_label("Status:").select_option("draft")
    expect(line).to_have_text(f"{saved} until you save; then Draft.")
    # The Save bar's line says what the saved article is, and while the edit would change
    # that, what the save makes it.
    bar = page.locator(".submit-row .submit-publication .label-long")
    expect(bar).to_have_text("Draft when you save.")
    page.get_by_label("Status:").select_option("published")
    expect(bar).to_have_text(f"{saved}: readers do not see it yet.")
    page.get_by_label("Status:").select_option("draft")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved as a draft")
    expect(line).to_have_text("Draft")
    expect(bar).to_have_text("Draft: readers do not see it.")
    assert console_errors == []


BAR_LAYOUT = """() => {
    const bar = document.querySelector(".submit-row").getBoundingClientRect();
    const line = document.querySelector(".submit-row .submit-publication");
    const box = line.getBoundingClientRect();
    const buttons = [...document.querySelectorAll(".submit-row > :is(button, input, a)")]
        .map((button) => button.getBoundingClientRect());
    return {
        bar: bar.height, barTop: bar.top, window: innerHeight,
        line: [box.top, box.bottom, box.left, box.right], shown: line.checkVisibility(),
        oneLine: box.height <= parseFloat(getComputedStyle(line).lineHeight) + 1,
        // Nothing cut: neither the sentence (its end gives way to "Change") nor "Change".
        whole: [...line.querySelectorAll(":scope > span")]
            .every((part) => part.scrollWidth <= part.clientWidth)
            && line.lastElementChild.getBoundingClientRect().right
                <= box.right + 0.5,
        buttonTops: buttons.map((b) => Math.round(b.top)),
        buttonsTop: Math.min(...buttons.map((b) => b.top)),
        buttonsBottom: Math.max(...buttons.map((b) => b.bottom)),
    };
}"""


@pytest.mark.parametrize(
    "published_in", [datetime.timedelta(days=-1), datetime.timedelta(days=3), None]
)
def test_a_phones_save_bar_says_in_one_line_whether_a_save_goes_live(
    page, live_server, editor, console_errors, published_in
):
    """On a phone the Save bar hid its publication line (no room beside four buttons): only the
    Publication line far down the form said whether Save went live. It is a line of its own
    above the buttons, whole on one line at 375 px, the buttons still one row under it, and
    the bar at most 20 px taller than its 58 px before."""
    when = None if published_in is None else timezone.now() + published_in
    article = ArticleFactory(
        author=editor,
        status=Article.Status.DRAFT if when is None else Article.Status.PUBLISHED,
        published_at=when,
    )
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    if when is None:
        said = "Draft: readers do not see it."
    elif when > timezone.now():
        said = f"Goes live {timezone.localtime(when):%-d %b %Y, %H:%M}."
    else:
        said = "Published: readers see each save at once."
    line = page.locator(".submit-row .submit-publication .label-short")
    expect(line).to_have_text(said)
    layout = page.evaluate(BAR_LAYOUT)
    assert layout["shown"] and layout["oneLine"] and layout["whole"], layout
    _top, bottom, left, right = layout["line"]
    assert left >= 0 and right <= PHONE["width"]
    assert bottom <= layout["buttonsTop"]  # above the buttons, over none of them
    assert len(set(layout["buttonTops"])) == 1  # the buttons one row
    assert layout["bar"] <= 58 + 20, layout  # 58 px before: the line adds 16 px and a gap
    assert layout["barTop"] + layout["bar"] <= layout["window"]
    # The line follows Status as edited, in the same one line.
    page.get_by_label("Status:").select_option("draft" if when else "published")
    expect(line).to_contain_text("when you save.")
    layout = page.evaluate(BAR_LAYOUT)
    assert layout["oneLine"] and layout["whole"], layout
    assert console_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_save_bars_change_link_puts_the_focus_on_status(
    page, live_server, editor, console_errors, viewport
):
    """To publish, schedule or unpublish, an editor at the text looked for Status down the
    form. The Save bar's line ends in "Change" ("Change publication" to a screen reader),
    whole beside a phone's longest line (a scheduled date), in the bar's 76 px there; it
    brings Publishing into view with the focus on Status, and leaves the address as it was
    (a save would come back to #publishing)."""
    article = ArticleFactory(author=editor, scheduled=True)
    page.set_viewport_size(viewport)
    log_in(page, live_server)
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    row = page.locator(".submit-row")
    link = row.get_by_role("link", name="Change publication", exact=True)
    expect(link).to_be_visible()
    box, line = link.bounding_box(), row.locator(".submit-publication").bounding_box()
    assert box["x"] + box["width"] <= min(line["x"] + line["width"], viewport["width"]), box
    if viewport is PHONE:
        assert row.bounding_box()["height"] <= 76, row.bounding_box()
    # A target 24 px tall at least (WCAG 2.2's minimum), though its words are 16 px: on a
    # phone a tap a few pixels above or below them missed it. Over no button of the bar.
    hit = page.evaluate(
        """(link) => {
            const box = link.getBoundingClientRect(), x = box.left + box.width / 2;
            const reach = Math.max(0, (24 - box.height) / 2) - 0.25;
            const at = (y) => link.contains(document.elementFromPoint(x, y));
            return {above: at(box.top - reach), below: at(box.bottom + reach), height: box.height};
        }""",
        link.element_handle(),
    )
    assert hit["above"] and hit["below"], hit
    if viewport is PHONE:  # the line above the buttons, its target clear of them
        assert row.locator("button").first.bounding_box()["y"] >= box["y"] + box["height"] + 4
    status = page.get_by_label("Status:")
    expect(status).not_to_be_in_viewport()
    link.click()
    expect(status).to_be_focused()
    expect(status).to_be_in_viewport()
    expect(page.locator("#publishing h2")).to_be_in_viewport()
    assert page.url == url
    assert console_errors == []


def test_a_new_articles_publication_line_follows_status(page, live_server, editor, console_errors):
    """A new article's Publication line said "Draft until it is saved as published." whatever
    Status said, Published and Scheduled too. It says what the save will make it."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    line = page.locator(".field-publication .readonly")
    expect(line).to_have_text("Draft until it is saved as published.")
    page.get_by_label("Status:").select_option("published")
    expect(line).to_have_text("Published when you save.")
    coming = timezone.localdate() + datetime.timedelta(days=30)
    page.locator("#id_published_at_0").fill(f"{coming:%-d %b %Y}")
    page.locator("#id_published_at_1").fill("9:30")
    expect(line).to_have_text(f"Scheduled for {coming:%-d %b %Y}, 09:30 when you save.")
    page.locator("#id_published_at_0").fill("someday")
    expect(line).to_have_text("Not saved yet: the save needs a publish date it reads.")
    page.get_by_label("Status:").select_option("draft")
    expect(line).to_have_text("Draft until it is saved as published.")
    assert console_errors == []


PUT_ABOVE_THE_BAR = """(selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    const bar = document.querySelector(".submit-row").getBoundingClientRect();
    window.scrollBy(0, box.bottom - (bar.top - 20));
}"""
TOP_AND_BOTTOM = """(selector) => {
    const found = [...document.querySelectorAll(selector)].find(
        (element) => getComputedStyle(element).display !== "none");
    const box = found.getBoundingClientRect();
    return [box.top, box.bottom];
}"""


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375", "1280"])
def test_the_publish_date_its_time_and_its_calendar_are_clear_of_the_save_bar(
    page, live_server, editor, console_errors, size
):
    """The page's scroll-padding keeps a focused box clear of the sticky Save bar, but only the
    box: the publish Date box just above the bar left the Time box under it, and a calendar or
    clock opened near the foot of the window covered the bar and ran out of the window. The
    field comes clear whole: on a phone its help line ("A date in the future schedules...")
    stayed half under the bar once the Time box was clear."""
    article = ArticleFactory(author=editor)
    page.set_viewport_size(size)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    bar_top = page.locator(".submit-row").bounding_box()["y"]
    help_line = ".field-published_at .help"

    def clear(selector):
        return page.evaluate(TOP_AND_BOTTOM, selector)[1] <= bar_top

    page.evaluate(PUT_ABOVE_THE_BAR, "#id_published_at_0")
    page.locator("#id_published_at_0").click()
    wait_until(lambda: clear("#id_published_at_1") and clear(help_line))

    for link, popup in (("Choose a Date", ".calendarbox"), ("Choose a Time", ".clockbox")):
        page.evaluate(PUT_ABOVE_THE_BAR, "#id_published_at_1")
        page.locator(".field-published_at").get_by_role("link", name=link).click()
        wait_until(lambda popup=popup: clear(popup) and clear(help_line))
        assert page.evaluate(TOP_AND_BOTTOM, popup)[0] >= 0
        page.keyboard.press("Escape")
    page.evaluate(PUT_ABOVE_THE_BAR, "#id_published_at_1")
    page.locator(".field-published_at").get_by_role("link", name="Today").click()
    wait_until(lambda: clear(help_line))
    assert console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_article_add_and_change_pages_have_no_axe_violations(page, live_server, editor, width):
    from axe_playwright_python.sync_playwright import Axe

    article = ArticleFactory(body="## Causes\n\nText [@nhs].", author=editor)
    ReferenceFactory(article=article, key="nhs")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    for path in ("/admin/articles/article/add/", f"/admin/articles/article/{article.pk}/change/"):
        page.goto(live_server.url + path)
        page.locator("#id_body").fill("## Causes\n\nMore text.")
        expect(page.locator(".editor-stats")).to_be_visible(timeout=FIRST_GRADE_MS)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.violations_count == 0, results.generate_report()
        # Nothing left for autosave to send as the page goes: a beacon then would reach the
        # live server (which shares the test's database connection) during the next page.
        expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")


@pytest.mark.parametrize("width", [375, 1280])
def test_the_publication_states_are_legible_in_the_dark_theme(page, live_server, editor, width):
    """ "Scheduled for" (amber) and "Published" (green) kept the light theme's dark colours on
    the dark theme's near black, in the list and on the form: 3.2:1 and 3.6:1."""
    from axe_playwright_python.sync_playwright import Axe

    article = ArticleFactory(
        author=editor,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    ArticleFactory(author=editor, status=Article.Status.PUBLISHED)
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    contrast = {"runOnly": {"type": "rule", "values": ["color-contrast"]}}
    page.goto(f"{live_server.url}/admin/articles/article/")
    expect(page.locator(".publication.published")).to_be_visible()
    results = Axe().run(page, context=".publication", options=contrast)
    assert results.violations_count == 0, results.generate_report()
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(page.locator(".field-publication .publication.scheduled")).to_be_visible()
    results = Axe().run(page, context=".field-publication", options=contrast)
    assert results.violations_count == 0, results.generate_report()
    expect(page.locator(".editor-autosave")).to_be_attached()


def test_a_call_to_action_previews_its_box_as_readers_see_it_and_keeps_unsaved_changes(
    page, live_server, editor, console_errors
):
    """Its preview is the box readers see after an article (heading, text and button, in the
    public stylesheet), updated as one types, whole on a phone; what is typed and not saved
    comes back after the tab closes, as in the article editor."""
    cta = CallToActionFactory(text="Tell us **how it went**.")
    article = ArticleFactory(call_to_action=cta)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/calltoaction/{cta.pk}/change/")
    page.get_by_label("Heading:").fill("Had physio lately?")
    page.locator("#id_text").fill("Tell us **what helped**.")
    page.get_by_label("Button label:").fill("Share your story")
    box = page.frame_locator("iframe.editor-preview-frame").locator("aside.cta")
    expect(box.locator("h2")).to_have_text("Had physio lately?")
    expect(box.locator(".cta-text strong")).to_have_text("what helped")
    expect(box.locator("a.button")).to_have_text("Share your story")
    expect(page.locator(".markdownx-preview")).to_be_hidden()  # the text alone: gone
    looks = """e => [getComputedStyle(e).borderTopStyle, getComputedStyle(e).backgroundColor,
        getComputedStyle(e.querySelector('a.button')).backgroundColor]"""
    reader = page.context.new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    assert box.evaluate(looks) == reader.locator("aside.cta").evaluate(looks)
    reader.close()
    frame = page.locator("iframe.editor-preview-frame")
    page.set_viewport_size(PHONE)
    page.locator("#id_text").fill("Tell us **what helped**, and what did not.")
    expect(box.locator(".cta-text")).to_contain_text("what did not")
    shown = frame.bounding_box()
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= PHONE["width"], shown
    # The frame is as tall as the box: nothing of it hidden below a scroll of its own.
    wait_until(
        lambda: frame.evaluate(
            "f => f.contentDocument.documentElement.scrollHeight <= f.clientHeight"
        )
    )

    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(f"{live_server.url}/admin/articles/calltoaction/{cta.pk}/change/")
    expect(again.locator(".autosave-offer")).to_contain_text("Restore unsaved changes from")
    again.get_by_role("button", name="Restore").click()
    expect(again.get_by_label("Heading:")).to_have_value("Had physio lately?")
    expect(again.locator("#id_text")).to_have_value("Tell us **what helped**, and what did not.")
    expect(again.frame_locator("iframe.editor-preview-frame").locator("aside.cta h2")).to_have_text(
        "Had physio lately?"
    )
    again.get_by_role("button", name="Save and continue editing").click()
    expect(again.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(again.locator(".autosave-offer")).to_be_hidden()
    assert console_errors == []


def _open_editor(page, live_server, editor, kind, text):
    """An article or a call-to-action whose text is ``text``, open in its form: (it, its
    text box's selector)."""
    if kind == "article":
        obj, field = ArticleFactory(body=text, author=editor), "#id_body"
    else:
        obj, field = CallToActionFactory(text=text), "#id_text"
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/{kind}/{obj.pk}/change/")
    return obj, field


def _saved_text(kind, obj):
    from articles.models import CallToAction

    if kind == "article":
        return Article.objects.get(pk=obj.pk).body
    return CallToAction.objects.get(pk=obj.pk).text


@pytest.mark.parametrize("kind", ["article", "calltoaction"])
def test_ctrl_s_saves_and_keeps_the_form_open(page, live_server, editor, console_errors, kind):
    """Ctrl+S (⌘S on a Mac) saves as "Save and continue editing" does, from the text or any
    field, as in Ghost, WordPress and a word processor; it opened the browser's "Save page as"
    (a copy of the admin page on disk) and saved nothing."""
    obj, field = _open_editor(page, live_server, editor, kind, "First words.")
    text = page.locator(field)
    text.click()
    text.press("Control+End")
    page.keyboard.type(" Then more.")
    page.keyboard.press("Control+s")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page).to_have_url(re.compile(rf"/{kind}/{obj.pk}/change/$"))
    assert _saved_text(kind, obj) == "First words. Then more."
    expect(page.locator(".autosave-offer")).to_be_hidden()  # nothing left unsaved
    assert console_errors == []


def test_ctrl_s_pressed_twice_saves_once(page, live_server, editor, console_errors):
    """Ctrl+S pressed again before the page came back (a double press, a held key) sent the
    form twice: the second save found the first and answered "Please correct the error below.
    <you> saved this article after you opened it", the writer's own save taken for another's."""
    article = ArticleFactory(body="First words.", author=editor)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    posts = []
    page.on("request", lambda r: r.method == "POST" and "/change/" in r.url and posts.append(r))
    text = page.locator("#id_body")
    text.click()
    text.press("Control+End")
    page.keyboard.type(" Then more.")
    with page.expect_request(lambda r: r.method == "POST" and "/change/" in r.url):
        page.keyboard.press("Control+s")
    page.keyboard.press("Control+s")  # as the first save is on its way
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.get_by_text("Please correct the error below.")).to_have_count(0)
    assert len(posts) == 1
    article.refresh_from_db()
    assert article.body == "First words. Then more."
    assert console_errors == []


# A key press as a keyboard layout sends it: ``key`` the letter it types, ``code`` its place on
# a US keyboard. True when nothing took it (the browser would do its own thing with it).
PRESS_A_KEY = """([selector, init]) => document.querySelector(selector).dispatchEvent(
    new KeyboardEvent("keydown", {...init, bubbles: true, cancelable: true}))"""


@pytest.mark.parametrize("kind", ["article", "calltoaction"])
def test_ctrl_s_is_the_key_that_types_s_on_any_layout(
    page, live_server, editor, console_errors, kind
):
    """Ctrl+S was the key in a US keyboard's S place (event.code): on a Dvorak keyboard,
    where that key types "o", Ctrl+O saved and Ctrl+S (the "s" key, in the US ";" place) went
    to the browser's "Save page as". It is the key that types "s", either case, Ctrl or ⌘."""
    obj, field = _open_editor(page, live_server, editor, kind, "First words.")
    posts = []
    page.on("request", lambda r: r.method == "POST" and "/change/" in r.url and posts.append(r))
    text = page.locator(field)
    text.click()
    text.press("Control+End")
    page.keyboard.type(" Then more.")
    dvorak_o = {"key": "o", "code": "KeyS", "ctrlKey": True}
    assert page.evaluate(PRESS_A_KEY, [field, dvorak_o]) is True  # not taken: no save
    dvorak_s = {"key": "s", "code": "Semicolon", "ctrlKey": True}
    with page.expect_navigation():
        assert page.evaluate(PRESS_A_KEY, [field, dvorak_s]) is False
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert _saved_text(kind, obj) == "First words. Then more."
    assert len(posts) == 1

    page.locator(field).press("Control+End")
    page.keyboard.type(" Last.")
    caps_lock_mac = {"key": "S", "code": "Semicolon", "metaKey": True}
    with page.expect_navigation():
        assert page.evaluate(PRESS_A_KEY, [field, caps_lock_mac]) is False
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert _saved_text(kind, obj) == "First words. Then more. Last."
    assert console_errors == []


def test_the_formatting_shortcuts_are_the_keys_that_type_their_letters(
    page, live_server, editor, console_errors
):
    """Ctrl+B, Ctrl+I and Ctrl+K were the keys in a US keyboard's B, I and K places, as Ctrl+S
    was: on a Dvorak keyboard Ctrl+X made text bold and Ctrl+B did nothing."""
    article = ArticleFactory(body="", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    dvorak_x = {"key": "x", "code": "KeyB", "ctrlKey": True}
    assert page.evaluate(PRESS_A_KEY, ["#id_body", dvorak_x]) is True  # not taken
    expect(text).to_have_value("")
    dvorak_b = {"key": "b", "code": "KeyN", "ctrlKey": True}
    assert page.evaluate(PRESS_A_KEY, ["#id_body", dvorak_b]) is False
    expect(text).to_have_value("**bold text**")
    text.fill("")
    caps_lock_i = {"key": "I", "code": "KeyC", "metaKey": True}
    assert page.evaluate(PRESS_A_KEY, ["#id_body", caps_lock_i]) is False
    expect(text).to_have_value("_italic text_")
    assert console_errors == []


@pytest.mark.parametrize("kind", ["article", "calltoaction"])
def test_the_shortcuts_work_on_a_keyboard_of_another_alphabet(
    page, live_server, editor, console_errors, kind
):
    """Matched by the letter typed, the shortcuts did nothing on a Russian layout: Ctrl+S types
    "ы" there, and went to the browser's "Save page as". A key typing a letter of another
    alphabet is the Latin letter in its place, as in Word or Google Docs."""
    obj, field = _open_editor(page, live_server, editor, kind, "First words.")
    text = page.locator(field)
    text.fill("")
    if kind == "article":
        russian_b = {"key": "и", "code": "KeyB", "ctrlKey": True}
        assert page.evaluate(PRESS_A_KEY, [field, russian_b]) is False
        expect(text).to_have_value("**bold text**")
        text.fill("")
        russian_i = {"key": "Ш", "code": "KeyI", "metaKey": True}  # Caps Lock, on a Mac
        assert page.evaluate(PRESS_A_KEY, [field, russian_i]) is False
        expect(text).to_have_value("_italic text_")
        text.fill("")
    russian_o = {"key": "щ", "code": "KeyO", "ctrlKey": True}
    assert page.evaluate(PRESS_A_KEY, [field, russian_o]) is True  # no shortcut: not taken
    text.fill("Сохранено.")
    russian_s = {"key": "ы", "code": "KeyS", "ctrlKey": True}
    with page.expect_navigation():
        assert page.evaluate(PRESS_A_KEY, [field, russian_s]) is False
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert _saved_text(kind, obj) == "Сохранено."
    assert console_errors == []


@pytest.mark.parametrize("kind", ["article", "calltoaction"])
def test_after_ctrl_s_the_caret_is_where_it_was(page, live_server, editor, console_errors, kind):
    """Saved with Ctrl+S mid-sentence, the form came back with the focus nowhere: the next
    words typed went nowhere, and the writer had to find their place in the text again."""
    _obj, field = _open_editor(page, live_server, editor, kind, "First words. Last words.")
    text = page.locator(field)
    text.click()
    text.evaluate("box => box.setSelectionRange(12, 12)")  # after "First words."
    page.keyboard.type(" Middle.")
    page.keyboard.press("Control+s")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator(field)).to_be_focused()
    page.keyboard.type(" More.")
    expect(page.locator(field)).to_have_value("First words. Middle. More. Last words.")
    assert console_errors == []


@pytest.mark.parametrize("kind", ["article", "calltoaction"])
def test_ctrl_s_saves_from_the_preview(page, live_server, editor, console_errors, kind):
    """The preview is a Tab stop of its own, scrolled with the arrow keys: with the focus in
    it, Ctrl+S went to the browser ("Save page as") and saved nothing."""
    obj, field = _open_editor(page, live_server, editor, kind, "First words.")
    text = page.locator(field)
    text.click()
    text.press("Control+End")
    page.keyboard.type(" Then more.")
    preview = page.frame_locator("iframe.editor-preview-frame")
    expect(preview.get_by_text("First words. Then more.")).to_be_visible()
    page.locator("iframe.editor-preview-frame").click(position={"x": 20, "y": 20})
    page.keyboard.press("Control+s")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert _saved_text(kind, obj) == "First words. Then more."
    assert console_errors == []


def test_tab_passes_the_preview_in_one_step(page, live_server, editor, console_errors):
    """From the text, Tab reached the rest of the form only after every link of the preview
    (its contents, each citation and reference: 34 presses for the seed article); the preview
    is now one stop, where the arrow keys scroll it, its links still links."""
    article = ArticleFactory(
        author=editor,
        body="Intro [@nhs].\n\n## One\n\nText [@nhs].\n\n## Two\n\nMore.\n\n## Three\n\nEnd.",
    )
    ReferenceFactory(article=article, key="nhs", url="https://www.nhs.uk/")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    expect(preview(page).locator("sup.citation a").first).to_be_attached(timeout=FIRST_GRADE_MS)
    page.locator("#id_body").focus()
    page.keyboard.press("Tab")
    expect(page.locator("iframe.editor-preview-frame")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Preview as a reader")).to_be_focused()
    # Still links, for a pointer and a screen reader's list of links.
    contents = preview(page).get_by_role("navigation").get_by_role("link", name="Three")
    expect(contents).to_have_attribute("href", "#three")
    assert console_errors == []


def test_a_refused_save_puts_the_caret_in_the_field_to_correct(
    page, live_server, editor, console_errors
):
    """A new article saved without its summary came back with the caret in the title (the add
    form's first field), where the next words typed went; it goes to the summary."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Title:").fill("Cold feet at night")
    page.locator("#id_body").fill("Nerves in the feet fire at night.")
    page.keyboard.press("Control+s")
    expect(page.locator("p.errornote").first).to_be_visible()
    expect(page.get_by_label("Summary:")).to_be_focused()
    expect(page.get_by_label("Title:")).to_have_value("Cold feet at night")
    assert console_errors == []


def test_a_body_refused_for_a_link_puts_the_caret_on_that_link(
    page, live_server, editor, console_errors
):
    """The caret went to the start of a long body, whatever line the refusal named: it now
    selects the first link or image named."""
    body = "Intro.\n\n" + "A paragraph.\n\n" * 40 + "Read [the NHS](www.nhs.uk/pain/) too."
    article = ArticleFactory(body="Intro.", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    text.fill(body)
    page.keyboard.press("Control+s")
    expect(page.locator(".field-body .errorlist")).to_contain_text("www.nhs.uk/pain/")
    expect(text).to_be_focused()
    at = body.index("www.nhs.uk/pain/")
    selection = page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    )
    assert selection == [at, at + len("www.nhs.uk/pain/")]
    # And in sight: the box scrolled to it (it stayed at its top, the link typed over unseen).
    scrolled = page.evaluate("document.activeElement.scrollTop")
    room = page.evaluate(
        "document.activeElement.scrollHeight - document.activeElement.clientHeight"
    )
    assert scrolled > room / 2, (scrolled, room)
    assert console_errors == []


@pytest.mark.parametrize(
    "body, named, length",
    [
        # "https://" named: it selected the good link's "https://www.nhs.uk/" before it.
        ("See [NHS](https://www.nhs.uk/) and later [this](https://).", "](https://)", 8),
        # "sciatica" named: it selected the word, not the link's address.
        ("Read about sciatica in [our guide](sciatica).", "](sciatica)", 8),
        # An empty link: the caret between its brackets.
        ("Sciatica explained [here]() today.", "]()", 0),
    ],
)
def test_the_caret_goes_to_the_named_address_as_a_link_not_the_same_words_elsewhere(
    page, live_server, editor, console_errors, body, named, length
):
    article = ArticleFactory(body="Intro.", author=editor, draft=True)
    text = typing_in(page, live_server, article)
    text.fill(body)
    page.keyboard.press("Control+s")
    expect(page.locator(".field-body .errorlist")).to_be_visible()
    expect(text).to_be_focused()
    at = body.index(named) + 2
    selection = page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    )
    assert selection == [at, at + length]
    assert console_errors == []


def test_a_page_refused_for_a_link_puts_the_caret_on_the_first_named_in_its_text(
    page, live_server, editor, console_errors
):
    """A page's content went back with the caret at its start; and where an image and a link
    were named, the caret chose the image (named first) over the link that comes first."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/publisherpage/add/")
    content = (
        "Intro.\n\n"
        + "A line.\n\n" * 30
        + "See [NHS](www.nhs.uk) and ![](/static/img/favicon.svg)."
    )
    page.get_by_label("URL:").fill("/accessibility/")
    page.get_by_label("Title:").fill("Accessibility")
    page.locator("#id_content").fill(content)
    page.get_by_role("button", name="Save", exact=True).click()
    box = page.locator("#id_content")
    expect(box).to_be_focused()
    at = content.index("www.nhs.uk")
    assert page.evaluate(
        "[document.activeElement.selectionStart, document.activeElement.selectionEnd]"
    ) == [at, at + len("www.nhs.uk")]
    # In sight: the box grows with its text, so the window scrolled to the link's line.
    line = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert page.evaluate("window.scrollY") > 0 and line < 0, line
    assert console_errors == []


def test_after_a_refused_save_a_new_articles_address_still_follows_its_title(
    page, live_server, editor, console_errors
):
    """Django fills the address from the title only from a box empty as the page loads: a
    title corrected on the form sent back left the old address, saved as the permanent one.
    It follows the corrected title; an address edited by hand is left alone."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Title:").fill("Numb toes in wintr")
    page.locator("#id_body").fill("Cold slows the nerves.")
    page.keyboard.press("Control+s")  # no summary: sent back
    expect(page.locator("p.errornote").first).to_be_visible()
    slug = page.get_by_label("Slug:")
    expect(slug).to_have_value("numb-toes-in-wintr")
    page.get_by_label("Title:").fill("Numb toes in winter")
    expect(slug).to_have_value("numb-toes-in-winter")
    slug.fill("cold-toes")
    page.get_by_label("Title:").fill("Numb toes in the winter")
    expect(slug).to_have_value("cold-toes")
    assert console_errors == []


MARKDOWNX_PREVIEW = "/markdownx/markdownify/"

DROP_IMAGE = """([selector, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "dropped.png", { type: "image/png" }));
  document.querySelector(selector).dispatchEvent(
    new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true })
  );
}"""


def test_a_call_to_action_sends_no_preview_of_its_text_alone(
    page, live_server, editor, console_errors
):
    """The form previews the whole box (``articles.editor``): markdownx's own preview of the
    text alone, hidden, still went to the server when the page opened and at every pause in
    the typing (2 requests on opening, 1 a pause). None now; a dropped image is still
    uploaded and put in the text, the caret between its brackets for its description, and
    the preview and autosave take it in."""
    import base64

    cta = CallToActionFactory(text="Tell us **how it went**.")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    page.goto(f"{live_server.url}/admin/articles/calltoaction/{cta.pk}/change/")
    text = page.locator("#id_text")
    text.click()
    text.press("End")
    page.keyboard.type(" And **what helped**.", delay=20)
    box = page.frame_locator("iframe.editor-preview-frame").locator("aside.cta")
    expect(box.locator(".cta-text strong").last).to_have_text("what helped")
    page.wait_for_timeout(1500)  # markdownx asked half a second after a pause
    assert [url for url in sent if MARKDOWNX_PREVIEW in url] == []
    text.press("Control+End")
    page.evaluate(DROP_IMAGE, ["#id_text", base64.b64encode(png_bytes((300, 200))).decode()])
    expect(text).to_have_value(re.compile(r"\n\n!\[\]\(/media/uploads/\w+-300x200\.png\)$"))
    page.keyboard.type("A hand holding ice")  # typed between the brackets
    expect(text).to_have_value(re.compile(r"!\[A hand holding ice\]\(/media/uploads/"))
    expect(box.locator(".cta-text img")).to_have_attribute("alt", "A hand holding ice")
    expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")
    page.wait_for_timeout(1000)
    assert [url for url in sent if MARKDOWNX_PREVIEW in url] == []
    assert console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_call_to_action_add_and_change_pages_have_no_axe_violations(
    page, live_server, editor, width
):
    from axe_playwright_python.sync_playwright import Axe

    cta = CallToActionFactory()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    for path in ("add/", f"{cta.pk}/change/"):
        page.goto(f"{live_server.url}/admin/articles/calltoaction/{path}")
        page.locator("#id_text").fill("Tell us **what helped**.")
        preview = page.frame_locator("iframe.editor-preview-frame").locator("aside.cta strong")
        expect(preview).to_have_text("what helped")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.violations_count == 0, results.generate_report()
        expect(page.locator(".editor-autosave")).to_contain_text("Draft kept at")


def test_a_publisher_page_shows_its_text_and_preview_side_by_side(
    page, live_server, editor, console_errors
):
    """Like the article editor: on a wide screen the Markdown and its live preview sit side by
    side, and no "Sites" box names the site's default record; on a phone they stack."""
    about = PublisherPage.objects.get(url="/about/")  # editors hold the articles app's rights
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/publisherpage/{about.pk}/change/")
    page.locator("#id_content").fill("## Who we are\n\nA **small** team.")
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("strong")).to_have_text("small")
    text = page.locator("#id_content").bounding_box()
    shown = preview.bounding_box()
    assert shown["x"] >= text["x"] + text["width"] and shown["y"] == text["y"], (text, shown)
    assert shown["x"] + shown["width"] <= DESKTOP["width"], shown
    expect(page.locator("#id_sites")).to_have_count(0)
    expect(page.get_by_text("example.com")).to_have_count(0)
    page.set_viewport_size(PHONE)
    text = page.locator("#id_content").bounding_box()
    shown = preview.bounding_box()
    assert shown["y"] >= text["y"] + text["height"], (text, shown)
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= PHONE["width"], shown
    assert console_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_page_add_and_change_pages_have_no_axe_violations(page, live_server, editor, width):
    from axe_playwright_python.sync_playwright import Axe

    about = PublisherPage.objects.get(url="/about/")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server)
    for path in ("add/", f"{about.pk}/change/"):
        page.goto(f"{live_server.url}/admin/articles/publisherpage/{path}")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        assert results.violations_count == 0, results.generate_report()


def test_an_editor_adds_a_page_to_the_footer_from_a_phone(
    page, live_server, editor, console_errors
):
    """The page's footer link sits below its text, whole on a phone: filled in, the page is
    linked from every footer at its place; ticked off, it leaves the footer."""
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/publisherpage/add/")
    page.get_by_label("URL").fill("/accessibility/")
    page.get_by_label("Title").fill("Accessibility statement")
    page.locator("#id_content").fill("We test every page with a screen reader.")
    expect(page.get_by_role("group", name="In the footer")).to_be_visible()
    footer_group = page.locator("#footer_link-0")  # not the hidden form Django copies from
    # No unnamed "remove" cross: an empty link text adds no link.
    expect(footer_group.locator(".inline-deletelink")).to_be_hidden()
    for field in (footer_group.get_by_label("Link text"), footer_group.get_by_label("Position")):
        box = field.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    footer_group.get_by_label("Link text").fill("Accessibility")
    footer_group.get_by_label("Position").fill("35")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(live_server.url + "/")
    links = page.locator("footer nav a")
    expect(links).to_have_text(
        ["About", "Editorial policy", "Contact", "Accessibility", "Privacy", "Medical disclaimer"]
    )
    links.get_by_text("Accessibility").click()
    expect(page.locator("h1")).to_have_text("Accessibility statement")

    added = PublisherPage.objects.get(url="/accessibility/")
    page.goto(f"{live_server.url}/admin/articles/publisherpage/{added.pk}/change/")
    page.get_by_label("Remove from the footer (the page stays)").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto(live_server.url + "/")
    expect(page.locator("footer nav a")).to_have_count(5)
    assert console_errors == []


def test_the_articles_list_is_a_card_a_row_on_a_phone(page, live_server, editor, console_errors):
    """Django's seven-column table ran 2-3 times a phone's width inside its box; each row is
    now a card whose values are named by their column, and "select all" still works."""
    ArticleFactory(title="Burning feet at night")
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/")
    table = page.locator("#result_list")
    expect(table).to_have_class(re.compile("as-cards"))
    box = page.locator("#changelist .results").bounding_box()
    width = table.evaluate("t => t.scrollWidth")
    assert width <= box["width"] and box["x"] + box["width"] <= PHONE["width"], (width, box)
    row = table.locator("tbody tr").first
    assert row.locator("td.field-publication").get_attribute("data-label") == "Publication"
    label = row.locator("td.field-publication").evaluate(
        "e => getComputedStyle(e, '::before').content"
    )
    assert label == '"Publication"', label
    page.locator("#action-toggle").check()
    expect(row.locator("input.action-select")).to_be_checked()
    page.set_viewport_size(DESKTOP)
    expect(table.locator("thead th.column-publication")).to_be_visible()
    assert console_errors == []


def test_the_articles_cards_sort_from_a_line_above_them(page, live_server, editor, console_errors):
    """The cards hide the table's header, and with it the sorting links: on a phone a "Sort by"
    line above the cards offers them, the column sorted first marked and reversed by a tap."""
    ArticleFactory(title="Burning feet at night")
    ArticleFactory(title="Aching hands")
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/")
    sort = page.get_by_role("navigation", name="Sort the list")
    # Newest first, as the list opens.
    expect(sort.get_by_role("link")).to_have_text(
        ["Title", "Publication ↓", "Medical review", "Updated"]
    )
    titles = page.locator("#result_list tbody .field-title")
    sort.get_by_role("link", name="Title").click()
    expect(titles).to_have_text(["Aching hands", "Burning feet at night"])
    current = sort.get_by_role("link", name="Title, sorted ascending: reverse")
    expect(current).to_have_attribute("aria-current", "true")
    expect(current).to_have_text("Title ↑")
    current.click()
    expect(titles).to_have_text(["Burning feet at night", "Aching hands"])
    expect(sort.get_by_role("link", name="Title, sorted descending: reverse")).to_be_visible()
    page.set_viewport_size(DESKTOP)  # the headings sort there
    expect(sort).to_be_hidden()
    expect(page.locator("#result_list thead th.column-title")).to_be_visible()
    assert console_errors == []


WORD_LINES = """element => {
    const range = document.createRange();
    const found = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const match of node.nodeValue.matchAll(/\\S+/g)) {
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            found.push([match[0], range.getClientRects().length]);
        }
    }
    return found;
}"""


def test_a_pages_history_keeps_each_word_whole_on_a_phone(page, live_server):
    """History's table: Django lets its cells break inside words on a phone; the user column
    was squeezed until "admin" read "admi" / "n", and "Restore this version" ran a letter a
    line. Each version is a card there, inside the screen."""
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    about = PublisherPage.objects.get(url="/about/")
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, username="admin")
    page.goto(f"{live_server.url}/admin/articles/publisherpage/{about.pk}/change/")
    page.get_by_label("Title:").fill("About us")
    page.locator("#id_content").fill("We are a small team.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/admin/articles/publisherpage/{about.pk}/history/")
    newest = page.locator("#change-history tbody tr").first
    expect(newest.locator("td").nth(2)).to_have_text("admin")
    restore = page.get_by_role("button", name="Restore this version")
    expect(restore).to_have_count(1)  # the shipped text, kept before the first edit
    for element in (newest.locator("td").nth(2), restore):
        words = element.evaluate(WORD_LINES)
        assert words and all(lines == 1 for _, lines in words), words
    table = page.locator("#change-history").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= PHONE["width"], table


def test_comparing_two_versions_fits_a_phone(page, live_server, editor):
    """The two versions' table was 11-14 px wider than its column at 375 px."""
    import reversion
    from reversion.models import Version

    article = ArticleFactory(title="Rest")
    with reversion.create_revision():
        reversion.set_comment("Created by load_seed.")
        article.save()
    article.title = "Rest, then walk"
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Changed Title.")
        article.save()
    newest, older = Version.objects.get_for_object(article)
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(
        f"{live_server.url}/admin/articles/article/{article.pk}/history/compare/"
        f"?from={older.pk}&to={newest.pk}"
    )
    table = page.locator(".compared-versions").bounding_box()
    column = page.locator("#content-main").bounding_box()
    assert table["x"] + table["width"] <= column["x"] + column["width"] + 0.5, (table, column)


def test_the_articles_list_fits_a_desktop_screen(page, live_server, editor):
    """With the admin's sidebar and filters at 1,280 px, seven columns scrolled inside their
    box and left the title one word a line."""
    ArticleFactory(title="Why Does Nerve Pain Get Worse After Physical Therapy?")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/article/")
    box = page.locator("#changelist .results").bounding_box()
    width = page.locator("#result_list").evaluate("t => t.scrollWidth")
    assert width <= box["width"], (width, box)
    link = page.locator("#result_list tbody th a").first
    lines = link.evaluate(
        "a => a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)"
    )
    assert lines <= 3.05, lines  # 8 lines, a word or two each, before


@pytest.mark.parametrize("kind", ["publisherpage", "calltoaction"])
def test_tab_leaves_a_markdown_box(page, live_server, editor, kind):
    """WCAG 2.1.2: markdownx took Tab to indent and Shift+Tab to unindent, so a keyboard could
    not leave a page's or a call-to-action's text. Tab moves on; in a page's (markdownx's box)
    Ctrl+] still indents."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/{kind}/add/")
    box = page.locator({"publisherpage": "#id_content", "calltoaction": "#id_text"}[kind])
    box.fill("Some text")
    box.press("Tab")
    expect(box).not_to_be_focused()
    assert box.input_value() == "Some text"
    box.focus()
    box.press("Shift+Tab")
    expect(box).not_to_be_focused()
    assert box.input_value() == "Some text"
    if kind == "publisherpage":
        box.focus()
        box.press("Control+]")
        assert box.input_value() != "Some text"  # indented


def test_the_summary_counts_its_characters_and_tells_a_screen_reader_after_a_pause(
    page, live_server, editor, console_errors
):
    """The summary is the meta description (160 characters), counted under its box as the
    comment boxes are: the count on screen follows each key; the polite live region a screen
    reader hears changes once the typing pauses, not at every key; past the limit the count
    says how many too many (the box no longer cuts a paste short)."""
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(live_server.url + "/admin/articles/article/add/")
    summary = page.locator("#id_summary")
    count = page.locator("#id_summary_count")
    spoken = page.locator(".field-summary [aria-live=polite]")
    expect(count).to_have_text("You have 160 characters left.")
    expect(count).to_have_attribute("aria-hidden", "true")  # spoken by the live region alone
    page.evaluate(
        """() => {
            const region = document.querySelector(".field-summary [aria-live=polite]");
            window.spokenChanges = 0;
            new MutationObserver(() => { window.spokenChanges += 1; })
                .observe(region, {childList: true, characterData: true, subtree: true});
        }"""
    )
    summary.press_sequentially("Why nerve pain flares", delay=40)
    expect(count).to_have_text("You have 139 characters left.")
    assert spoken.text_content() == ""  # still typing: nothing said yet
    expect(spoken).to_have_text("You have 139 characters left.")
    assert page.evaluate("window.spokenChanges") == 1

    summary.fill("Nerve pain. " * 14)  # 167 characters without the last space
    expect(count).to_have_text("You have 7 characters too many.")
    expect(count).to_have_class(re.compile(r"\berror\b"))
    assert len(summary.input_value()) == 168  # not cut at 160
    expect(spoken).to_have_text("You have 7 characters too many.")
    assert console_errors == []


DROP_A_FILE = """([selector, inFrame]) => {
    const doc = inFrame
        ? document.querySelector("iframe.editor-preview-frame").contentDocument
        : document;
    const target = doc.querySelector(selector);
    const files = new DataTransfer();
    files.items.add(new File(["%PDF-1.4"], "leaflet.pdf", {type: "application/pdf"}));
    const over = new DragEvent("dragover", {dataTransfer: files, bubbles: true, cancelable: true});
    const drop = new DragEvent("drop", {dataTransfer: files, bubbles: true, cancelable: true});
    target.dispatchEvent(over);
    target.dispatchEvent(drop);
    return [over.defaultPrevented, drop.defaultPrevented];
}"""


@pytest.mark.parametrize("kind", ["article", "calltoaction"])
def test_a_file_dropped_beside_the_text_box_does_not_leave_the_form(
    page, live_server, editor, console_errors, kind
):
    """A file let go outside the editor's drop targets (a heading, another box, the preview)
    was the browser's to open in place of the form: the form now refuses it there (the
    browser's default prevented), while the featured image's file box still takes a file."""
    obj = ArticleFactory(author=editor) if kind == "article" else CallToActionFactory()
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/{kind}/{obj.pk}/change/")
    expect(page.locator("iframe.editor-preview-frame")).to_be_visible()
    for selector in ("#content h1", "fieldset", "#id_text, #id_title"):
        assert page.evaluate(DROP_A_FILE, [selector, False]) == [True, True], selector
    wait_until(lambda: page.evaluate(DROP_A_FILE, ["body", True]) == [True, True])
    if kind == "article":
        assert page.evaluate(DROP_A_FILE, ["#id_featured_image", False]) == [False, False]
    assert page.url.endswith(f"/{obj.pk}/change/")
    assert console_errors == []


@pytest.mark.parametrize("kind", ["article", "calltoaction"])
def test_the_save_bar_is_one_compact_row_on_a_phone_with_every_action(
    page, live_server, editor, console_errors, kind
):
    """On a phone the sticky Save bar took two rows (about 100 px of the screen, more of it
    once the keyboard is open): it is one row of short words there, every action kept, each
    button named by the words it shows; a wide screen keeps Django's words. A call-to-action's
    bar was Django's, four rows (about 190 px), until it shared the article's."""
    obj = ArticleFactory(author=editor) if kind == "article" else CallToActionFactory()
    page.set_viewport_size(PHONE)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/articles/{kind}/{obj.pk}/change/")
    row = page.locator(".submit-row")
    names = ["Save", "Save & new", "Save & edit"]
    actions = [page.get_by_role("button", name=name, exact=True) for name in names]
    actions.append(row.get_by_role("link", name="Delete"))
    boxes = [action.bounding_box() for action in actions]
    assert len({round(box["y"]) for box in boxes}) == 1, boxes  # one row
    # A saved article's bar has its publication line too, one line above the buttons.
    limit = 60 + 18 if kind == "article" else 60
    assert row.bounding_box()["height"] <= limit, row.bounding_box()
    assert all(box["height"] >= 44 for box in boxes), boxes  # still a finger's target
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.set_viewport_size(DESKTOP)
    for name in ("Save", "Save and add another", "Save and continue editing"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    page.set_viewport_size(PHONE)
    field = "#id_summary" if kind == "article" else "#id_heading"
    page.locator(field).fill("Saved from a phone.")
    page.get_by_role("button", name="Save & edit", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert page.url.endswith(f"/{obj.pk}/change/")
    assert console_errors == []
