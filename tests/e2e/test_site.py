"""The publisher's site in a real browser: search, moving between topics, articles and
profiles, every page type at phone and desktop width in both colour schemes, print."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article, HeaderLink, Person, PublisherPage
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PAGES = {
    "home": "/",
    "article": "/articles/why-does-nerve-pain-get-worse-after-physical-therapy/",
    "topic": "/topics/peripheral-neuropathy/",
    "search": "/search/?q=regeneration",
    "author": "/people/ada-nerve/",
}


@pytest.fixture
def site(transactional_db):
    """The seed, reviewed by a public reviewer, with a comment."""
    call_command("load_seed")
    article = Article.objects.get()
    reviewer = Person.objects.create(
        name="Dr Ada Nerve",
        slug="ada-nerve",
        credentials="MD",
        job_title="Consultant neurologist",
        bio="Ada treats people with nerve pain.",
        same_as="https://example.org/ada",
        is_public=True,
    )
    article.sign_off_review(reviewer)
    article.save()
    CommentFactory(article=article, user_name="Maria", comment="It eased after two days.")
    return article


def search_from_the_header(page, words):
    box = page.get_by_role("search", name="Site search").get_by_role("searchbox")
    box.fill(words)
    box.press("Enter")


@pytest.mark.parametrize("words", ["regeneration", "regenerating"])
def test_search_finds_the_seed_by_a_body_word_and_a_stemmed_form(
    page, live_server, site, words, console_errors
):
    page.goto(live_server.url + "/")
    search_from_the_header(page, words)
    expect(page.get_by_role("status")).to_contain_text("1 article found")
    result = page.locator(".result").first
    expect(result.get_by_role("link", name=site.title)).to_be_visible()
    expect(result.locator(".snippet mark").first).to_contain_text("Regenerat")
    result.get_by_role("link", name=site.title).click()
    expect(page).to_have_url(live_server.url + site.get_absolute_url())
    assert console_errors == []


def test_topic_to_article_to_author_and_back(page, live_server, site, console_errors):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics").click()
    page.get_by_role("link", name="Peripheral neuropathy").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peripheral neuropathy")
    page.get_by_role("link", name=site.title).click()
    expect(page).to_have_url(live_server.url + site.get_absolute_url())
    page.locator("p.byline").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The nervepain editorial team")
    expect(page.get_by_text("a team, not a person")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(live_server.url + site.get_absolute_url())
    page.locator("p.review").get_by_role("link", name="Dr Ada Nerve").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dr Ada Nerve, MD")
    expect(page.locator(".teaser")).to_contain_text("Medically reviewed by Dr Ada Nerve")
    page.go_back()
    expect(page).to_have_url(live_server.url + site.get_absolute_url())
    assert console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_type_fits_and_passes_axe(
    page, live_server, site, name, width, scheme, console_errors
):
    """Home, article, topic, search and author pages: nothing overflows sideways, no console
    error (a CSP violation would be one), and no WCAG A/AA violation in either colour scheme.
    A failure leaves a screenshot in test-results/."""
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + PAGES[name])
    page.keyboard.press("End")  # lay out the discussion (content-visibility) before checking
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    assert console_errors == []


@pytest.mark.parametrize("name", [*PAGES, "topics"])
def test_text_at_twice_the_size_still_fits_a_phone(page, live_server, site, name):
    """WCAG 1.4.4 and 1.4.10: a reader who sets the browser's text size to 200% reads every
    page without scrolling sideways (the topic cards had a 13rem minimum: 416 px wide)."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + PAGES.get(name, "/topics/"))
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # the browser's setting
    page.keyboard.press("End")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


# Where a reader's text goes at 200% on a phone: the width of the text's own box (content box).
TEXT_WIDTH = """selector => {
    const element = document.querySelector(selector);
    const style = getComputedStyle(element);
    return element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
}"""


@pytest.mark.parametrize(
    "path, selector",
    [
        ("/", ".featured h2"),
        ("article", ".toc ol ol li"),
        ("article", ".cta-text"),
        ("article", ".children .children .comment-text"),
    ],
)
def test_text_at_twice_the_size_keeps_two_thirds_of_a_phone(
    page, live_server, site, path, selector
):
    """WCAG 1.4.4: at twice the text size the margins and indents around the text grew with it
    (rem), and on a 375 px phone left a 51 px title 231 px ("Physica" | "l", "Therap" | "y?"), a
    contents entry 167 px ("Understandi" | "ng", "Overstimula" | "tion"), the call to action
    227 px and a reply to a reply 195 px. Gutters now stop growing at a share of the screen
    (as NHS.UK's fixed gutters do) while the text itself still doubles: each keeps at least
    two thirds of the screen."""
    parent = CommentFactory(article=site, user_name="Margaret")
    reply = CommentFactory(article=site, parent=parent, user_name="Dev")
    CommentFactory(article=site, parent=reply, user_name="Margaret", comment="Glad to hear it.")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + (site.get_absolute_url() if path == "article" else path))
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # the browser's setting
    page.keyboard.press("End")  # lay out the discussion (content-visibility)
    assert page.evaluate(TEXT_WIDTH, selector) >= 375 * 2 / 3
    assert page.locator(selector).first.evaluate("e => getComputedStyle(e).fontSize") in (
        "32px",  # body text (the contents, the call to action, the reply): doubled
        "51.2px",  # the featured title: 1.6rem, doubled
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_dates_and_reading_time_stay_whole_at_twice_the_size(page, live_server, site):
    """At 200% on a phone "Page last reviewed: 1 | November 2026" and "3 | min read" broke
    inside: a date, or "3 min read", moves to the next line whole."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + site.get_absolute_url())
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    lines = page.evaluate(
        """() => [...document.querySelectorAll(
            ".meta time, .meta .reading-time, .review time, .page-review time"
        )].map(e => [e.textContent, new Set([...e.getClientRects()].map(r => r.top)).size])"""
    )
    assert len(lines) >= 4 and all(n == 1 for _text, n in lines), lines


@pytest.mark.parametrize("size", ["100%", "200%"])
@pytest.mark.parametrize("path", ["/", "/search/?q=nerve+pain"])
def test_a_search_box_shows_its_whole_text_on_a_phone(page, live_server, site, path, size):
    """At twice the text size a box beside its button was 80 px wide and showed "Sear" (the
    header's) or "nerv" (the search page's): when there is no room for both, the button goes
    under the box."""
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + path)
    page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
    search = page.get_by_role("search")
    expect(search).to_have_count(1)
    room, needed = search.locator("input").evaluate(
        """input => {
            const style = getComputedStyle(input);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontSize} ${style.fontFamily}`;
            const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
            const text = input.value || input.placeholder;
            return [input.clientWidth - padding, context.measureText(text).width];
        }"""
    )
    assert room >= needed, (room, needed)
    button = search.get_by_role("button", name="Search").bounding_box()
    assert button["x"] + button["width"] <= 375


@pytest.mark.parametrize("width", [375, 1280])
def test_the_page_is_about_its_length_before_the_discussion_is_laid_out(
    page, live_server, site, width
):
    """The discussion is laid out only near the screen: its estimated height comes from its
    number of comments, so End and the scrollbar reach about the end (with a fixed 60rem, 30
    comments made a 375px page look 40% of its length: End landed in the middle of them)."""
    article = Article.objects.get()
    for n in range(30):
        CommentFactory(
            article=article, comment=" ".join(["My pain eased after rest."] * (3 + n % 12))
        )
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + article.get_absolute_url())
    estimated = page.evaluate("document.documentElement.scrollHeight")
    page.evaluate("document.querySelector('.discussion').style.contentVisibility = 'visible'")
    laid_out = page.evaluate("document.documentElement.scrollHeight")
    assert abs(estimated - laid_out) / laid_out < 0.25, (estimated, laid_out)


@pytest.mark.parametrize("width", [320, 375])
def test_a_header_with_many_links_wraps_whole_links_on_a_phone(page, live_server, site, width):
    """Five links in the header: on a phone none is cut off at the edge or broken over two
    lines, and the page does not scroll sideways."""
    for position, (url, label) in enumerate(
        [("/editorial-policy/", "Editorial policy"), ("/contact/", "Contact"),
         ("/privacy/", "Privacy")], start=2
    ):  # fmt: skip
        HeaderLink.objects.create(
            page=PublisherPage.objects.get(url=url), label=label, position=position * 10
        )
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(live_server.url + "/")
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links).to_have_text(["Topics", "About", "Editorial policy", "Contact", "Privacy"])
    line_height = links.first.bounding_box()["height"]
    for link in links.all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, link.inner_text()
        assert box["height"] <= line_height * 1.2, link.inner_text()  # one line each
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [375, 1280])
def test_a_long_header_link_text_keeps_the_header_whole(page, live_server, site, width):
    """A label of 40 characters (the most allowed) ran past a phone's edge, the page scrolling
    sideways; on a desktop it pushed the search box under the site's name. The links take
    their row under both, and a label too long for a line breaks between its words."""
    about = HeaderLink.objects.get(page__url="/about/")
    about.label = "About nervepain and the people behind it"
    about.save()
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    brand = page.locator(".brand").bounding_box()
    search = page.get_by_role("search", name="Site search").bounding_box()
    link = page.get_by_role("navigation", name="Main").get_by_role("link").last.bounding_box()
    assert link["x"] + link["width"] <= width
    assert link["y"] > search["y"] + search["height"] - 2  # on a row under the search box
    if width > 600:
        assert abs(search["y"] - brand["y"]) < brand["height"]  # beside the name


@pytest.mark.parametrize("links", [1, 2])
def test_on_a_desktop_the_search_box_stays_beside_the_sites_name(page, live_server, site, links):
    """Two links sit between the name and the search box; with three the links take a row of
    their own under both (the search box had dropped alone under the name, the links to its
    right on the row above), and Tab reaches the box before them, as they are drawn."""
    for position, url, label in [(20, "/contact/", "Contact")][: links - 1]:
        HeaderLink.objects.create(
            page=PublisherPage.objects.get(url=url), label=label, position=position
        )
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(live_server.url + "/")
    brand = page.locator(".brand").bounding_box()
    search = page.get_by_role("search", name="Site search").bounding_box()
    nav = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(nav).to_have_count(links + 1)
    assert abs(search["y"] - brand["y"]) < brand["height"], (brand, search)
    assert search["x"] + search["width"] > brand["x"] + 600  # at the right end of the row
    first, last = nav.first.bounding_box(), nav.last.bounding_box()
    if links + 1 < 3:
        assert brand["x"] + brand["width"] < first["x"] < search["x"]  # between them
        assert abs(first["y"] - brand["y"]) < brand["height"]
    else:
        assert first["y"] > search["y"] + search["height"] - 2  # a row of their own, under
        assert abs(first["x"] - brand["x"]) < 2 and abs(last["y"] - first["y"]) < 2
    # Tab follows what is drawn: from the name to what stands next to it.
    page.locator(".brand").focus()
    page.keyboard.press("Tab")
    nearest = "Topics" if links + 1 < 3 else "Search articles"
    assert (
        page.evaluate("document.activeElement.textContent || document.activeElement.placeholder")
        == nearest
    )


def test_scroll_to_top_shows_only_on_pages_longer_than_a_screen(page, live_server, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/contact/")
    expect(page.get_by_role("link", name="Scroll to Top")).to_be_hidden()
    page.goto(live_server.url + site.get_absolute_url())
    expect(page.get_by_role("link", name="Scroll to Top")).to_be_attached()
    page.keyboard.press("End")
    expect(page.get_by_role("link", name="Scroll to Top")).to_be_visible()


def test_breadcrumb_on_a_phone_is_one_line_back_up(page, live_server, site):
    """On the narrowest phone (320 px) the breadcrumb is one line, "Back to" the topic, not the
    trail with the article's title wrapped over three lines above the same title; nothing on
    any page overflows sideways. A desktop shows the trail (without the title) instead."""
    page.set_viewport_size({"width": 320, "height": 700})
    for name in PAGES:
        page.goto(live_server.url + PAGES[name])
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, name
    page.goto(live_server.url + site.get_absolute_url())
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link")).to_have_count(1)
    back = crumbs.get_by_role("link", name="Back to Peripheral neuropathy")
    expect(back).to_have_attribute("href", "/topics/peripheral-neuropathy/")
    box = crumbs.bounding_box()
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.breadcrumb-back')).lineHeight)"
    )
    assert box["height"] <= line * 1.5
    page.set_viewport_size({"width": 1280, "height": 700})
    expect(crumbs.get_by_role("link")).to_have_text(["Home", "Topics", "Peripheral neuropathy"])


def test_one_topic_card_on_a_desktop_takes_the_row_and_keeps_its_name_on_one_line(
    page, live_server, site
):
    """At 1280 px the one topic had a third of the row, as if two more were to come, and its
    name "Peripheral neuropathy" wrapped; cards share the row among those there are."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/topics/")
    card = page.locator(".topic-list > li")
    expect(card).to_have_count(1)
    row = page.locator(".topic-list").bounding_box()
    assert card.bounding_box()["width"] == pytest.approx(row["width"], abs=1)
    name = card.get_by_role("link", name="Peripheral neuropathy")
    assert len(name.evaluate("a => Array.from(a.getClientRects())")) == 1


@pytest.mark.parametrize("width", [600, 640, 680, 720, 1280])
def test_header_search_button_sits_beside_its_box_on_a_zoomed_desktop(
    page, live_server, site, width
):
    """A 1280 px window at 200% zoom is 640 px wide: the header's box was squeezed in beside
    the links, too narrow for its button, which dropped under it into a second bar. The box
    takes a row of its own there instead, with its button beside it as at every other width."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + site.get_absolute_url())
    search = page.get_by_role("search", name="Site search")
    box = search.get_by_role("searchbox").bounding_box()
    button = search.get_by_role("button", name="Search").bounding_box()
    assert button["y"] == pytest.approx(box["y"], abs=2)
    assert button["x"] >= box["x"] + box["width"] - 1


def test_print_shows_publisher_and_address_without_navigation(page, live_server, site):
    page.goto(live_server.url + site.get_absolute_url())
    page.emulate_media(media="print")
    expect(page.locator(".print-source")).to_be_visible()
    expect(page.locator(".print-source")).to_contain_text(
        f"nervepain · https://nervepain.example{site.get_absolute_url()}"
    )
    for hidden in ("nav.toc", "nav.breadcrumbs", "header.site-header", "footer.site-footer"):
        expect(page.locator(hidden)).to_be_hidden()
    # Its call to action invites a click, or to "share your story in the comments below",
    # which paper has not: it printed without its button, and the discussion never prints.
    expect(page.locator("aside.cta")).to_be_hidden()
    expect(page.locator(".article-body")).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".print-source")).to_be_hidden()


@pytest.mark.parametrize("width, hyphens", [(187, "auto"), (375, "manual"), (1280, "manual")])
def test_headings_break_between_syllables_only_when_the_text_is_large_for_the_screen(
    page, live_server, site, width, hyphens
):
    """A 375 px phone zoomed to 200% lays the page out 187 px wide: a long word in a heading
    ("Management" at 1.6rem) is wider than the line and was split anywhere ("Manageme" | "nt").
    There headings hyphenate by the page's language (the browser's dictionary places the break);
    at an ordinary size they never do."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + site.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "en"
    for heading in ("h1", ".article-body h2", ".cta h2"):
        style = page.locator(heading).first.evaluate("e => getComputedStyle(e).hyphens")
        assert style == hyphens, heading


@pytest.mark.parametrize("width", [375, 1280])
def test_the_comment_forms_boxes_are_big_enough_to_hit(page, live_server, site, width):
    """WCAG 2.5.8: the form's two checkboxes and the report form's reasons were the browser's
    13 px boxes; they are at least 24 px, and a label that wraps, and its hint, line up after
    the box instead of running under it."""
    page.set_viewport_size({"width": width, "height": 800})
    comment = CommentFactory(article=site)
    for path, name in [
        (site.get_absolute_url(), "Remember my name and email in this browser"),
        (f"/comments/{comment.pk}/report/", "Harmful medical advice"),
    ]:
        page.goto(live_server.url + path)
        page.keyboard.press("End")  # lay out the discussion (content-visibility)
        box = page.get_by_label(name)
        target = box.bounding_box()
        assert target["width"] >= 24 and target["height"] >= 24, (path, target)
        row = box.locator("xpath=..")
        for text in row.locator("label, .hint").all():
            assert text.bounding_box()["x"] >= target["x"] + target["width"], text.inner_text()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_focused_field_of_the_comment_form_shows_its_whole_ring(page, live_server, site, width):
    """The discussion is laid out only near the screen (content-visibility), which clips what
    overflows it: the focus ring of Name, Email, Website and Comment, as wide as the section,
    showed only its top and bottom lines."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + site.get_absolute_url() + "#respond")
    field = page.get_by_label("Name", exact=False).first
    field.focus()
    ring = page.evaluate(
        "e => parseFloat(getComputedStyle(e).outlineWidth)"
        " + parseFloat(getComputedStyle(e).outlineOffset)",
        field.element_handle(),
    )
    assert ring >= 4
    clip = page.locator(".discussion").bounding_box()
    box = field.bounding_box()
    assert (
        clip["x"] <= box["x"] - ring and clip["x"] + clip["width"] >= box["x"] + box["width"] + ring
    )
    assert clip["x"] >= 0 and clip["x"] + clip["width"] <= width  # no sideways scrolling


def test_a_keyboard_reader_tabs_past_headings_to_the_links_of_the_article(page, live_server, site):
    """Each heading of the seed links to itself (for "Copy link"), but Tab does not stop on
    it: a dozen stops that lead where the reader already is, between the contents and the
    references, as GOV.UK and NHS.UK have none. The contents list ("On this page") is the
    keyboard's way to a section's link, and it is still reached."""
    page.goto(live_server.url + PAGES["article"])
    self_links = page.locator(".article-body :is(h2, h3)[id] > a.toclink")
    assert self_links.count() >= 11
    assert self_links.first.get_attribute("href").startswith("#")
    stops = []
    for _ in range(80):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            "() => { const e = document.activeElement;"
            " return [e.className, e.getAttribute('href'), !!e.closest('.discussion')]; }"
        )
        if stop[2]:
            break
        stops.append(stop)
    assert not [stop for stop in stops if "toclink" in stop[0]]
    contents = page.locator(".toc a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert set(contents) <= {href for _, href, _ in stops}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_footer_reaches_the_foot_of_the_window_on_a_short_page(
    page, live_server, site, scheme, width
):
    """On a page shorter than the window (Topics, a search, Page not found) the footer's
    colour runs on to the bottom, as on NHS.UK; the page's own colour showed under it, a band
    of white (or black) that looked like the page had stopped loading."""
    import io

    from PIL import Image

    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/topics/")
    footer = page.locator("footer.site-footer")
    assert footer.bounding_box()["y"] + footer.bounding_box()["height"] < 880
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    below = shot.getpixel((5, 895))
    inside = shot.getpixel((5, int(footer.bounding_box()["y"]) + 5))
    assert below == inside


@pytest.mark.parametrize("width", [375, 1280])
def test_the_search_pages_box_is_named_by_a_label_a_reader_sees(page, live_server, site, width):
    """The search page's box had its label for screen readers only: a sighted reader saw an
    empty box under "Search". The label shows above the box, on a phone and a desktop."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/search/")
    box = page.get_by_role("searchbox", name="Search articles")
    expect(box).to_be_visible()
    label = page.locator("label[for=search-q]")
    expect(label).to_be_visible()
    label_box, input_box = label.bounding_box(), box.bounding_box()
    assert label_box["width"] > 50 and label_box["height"] > 10
    assert label_box["y"] + label_box["height"] <= input_box["y"] + 1


# The words of the page's h1 and h2s that a line break cuts inside: a word's pieces are on more
# than one line. A word is cut at its hyphens ("Post-|Therapy" may wrap there), and an address,
# which no line of a phone can hold, is left out: for it only not overflowing counts.
WORDS_CUT = """() => {
    const cut = [];
    for (const heading of document.querySelectorAll("main h1, main h2")) {
        const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            for (const word of text.data.matchAll(/[^\\s-]+-?/g)) {
                if (word[0].includes("://")) continue;
                const range = document.createRange();
                range.setStart(text, word.index);
                range.setEnd(text, word.index + word[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) cut.push(word[0]);
            }
        }
    }
    return cut;
}"""


@pytest.mark.parametrize("width", [188, 320])
def test_headings_break_between_words_on_a_narrow_phone(page, live_server, site, width):
    """At 200% on a 375 px phone (188 px of page) an article's h1 showed "Managemen" | "t" and
    its h2s "Understandin" | "g": chromium on Linux has no dictionary to hyphenate with, and the
    body's overflow-wrap broke the words anywhere. Headings now step down with the width so an
    ordinary long word fits a line; an address still breaks rather than widen the page."""
    ArticleFactory(
        title="Understanding neuropathic pain and physiotherapy management",
        slug="neuropathic-physiotherapy",
        topic=site.topic,
        body="## Desensitisation for hypersensitivity\n\nText.\n\n"
        "## https://example.org/averyveryverylongunbreakableaddress/neuropathicpainmanagement\n",
    )
    page.set_viewport_size({"width": width, "height": 800})
    for path in [
        PAGES["article"],
        "/articles/neuropathic-physiotherapy/",
        "/search/?q=physiotherapy",
        PAGES["topic"],
    ]:
        page.goto(live_server.url + path)
        assert page.evaluate(WORDS_CUT) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path


def test_a_long_name_wraps_and_comment_links_are_big_enough_on_a_phone(page, live_server, site):
    """A 41-letter name without spaces ran past a phone's edge, clipped; Report and the
    comments' feed links were 16 px high (WCAG 2.5.8 asks 24)."""
    article = Article.objects.get()
    long_name = "Averyveryverylongnamewithoutanyspacesatal"
    top = CommentFactory(article=article, user_name=long_name)
    reply = CommentFactory(article=article, user_name=long_name, parent=top)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + article.get_absolute_url())
    page.evaluate("document.querySelector('.discussion').style.contentVisibility = 'visible'")
    for comment in (top, reply):
        name = page.locator(f"#c{comment.pk}-a")
        box = name.bounding_box()
        assert box["x"] + box["width"] <= 375, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    report = page.locator(f'#c{top.pk} > a[href$="/report/"]').bounding_box()
    assert report["height"] >= 24, report
    for link in page.locator(".comment-feeds a").all():
        assert link.bounding_box()["height"] >= 24, link.inner_text()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_reference_leads_back_to_its_citation_in_view(page, live_server, site, width):
    """The number took the reader down to the references with no way back but a long scroll;
    "Back to text" returns to the citation's line, in view (not just above the window)."""
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(live_server.url + site.get_absolute_url())
    citation = page.locator(".article-body sup.citation").first
    citation.get_by_role("link").click()
    back = page.locator("section.references").get_by_role("link", name="Back to text").first
    expect(back).to_be_in_viewport()
    # The reference below the top edge with its heading, not flush against the edge.
    expect(page.locator("#references-heading")).to_be_in_viewport(ratio=1)
    back.click()
    expect(citation).to_be_in_viewport()
    # Where the page stops scrolling (smooth: read mid-way on a busy machine, the citation was
    # still coming in at the top edge): its line is whole, below the top edge.
    page.wait_for_function(
        """() => new Promise(done => {
            let last = window.scrollY;
            const settled = () => window.scrollY === last ? done(true)
                : (last = window.scrollY, setTimeout(settled, 150));
            setTimeout(settled, 150);
        })"""
    )
    box = citation.bounding_box()
    assert box["y"] >= 40, box
