"""The sanitiser: each known XSS vector through Markdown is removed."""

import pytest
from bs4 import BeautifulSoup

from articles.markdown import analyse, reading_minutes, render_markdown, table_of_contents


def links(html):
    return [a.get("href") for a in BeautifulSoup(html, "html.parser").find_all("a")]


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;&#x61;vascript:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x]( javascript:alert(1))",
        "[x][evil]\n\n[evil]: javascript:alert(1)",
        "[x][evil]\n\n[evil]: &#106;avascript:alert(1)",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "[x](file:///etc/passwd)",
    ],
)
def test_dangerous_link_targets_are_dropped(source):
    html = render_markdown(source)
    assert links(html) == [None], html
    assert "javascript" not in html.lower()
    assert "data:" not in html


@pytest.mark.parametrize(
    ("source", "gone"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<iframe src="https://evil.example"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<p style="position:fixed">x</p>', "style="),
        ('<img src="/x.png" onerror="alert(1)">', "onerror"),
        ('<a href="/" onclick="alert(1)">x</a>', "onclick"),
        ('<div onmouseover="alert(1)">x</div>', "onmouseover"),
        ("<svg><script>alert(1)</script></svg>", "<svg"),
        ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "<math"),
        ('<object data="x.swf"></object>', "<object"),
        ('<embed src="x.swf">', "<embed"),
        ('<form action="/x"><input name=q></form>', "<form"),
        ('<base href="https://evil.example/">', "<base"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "<meta"),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "<link"),
        ('<IMG SRC="/x.png" ONERROR="alert(1)">', "ONERROR"),
        ("<!-- <script>alert(1)</script> -->", "<!--"),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "data:"),
        ('<img src="https://tracker.example/pixel.gif">', "tracker.example"),
        ('<div class="x" id="respond">x</div>', "respond"),
    ],
)
def test_dangerous_markup_is_removed(source, gone):
    html = render_markdown(source)
    assert gone not in html, html


def test_script_content_is_dropped_not_shown():
    assert "alert" not in render_markdown("<script>alert(1)</script>")


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/a",
        "http://example.org/",
        "mailto:help@example.org",
        "/local/",
        "#respond",
    ],
)
def test_safe_links_survive(href):
    assert links(render_markdown(f"[x]({href})")) == [href]


def test_external_links_get_noopener():
    anchor = BeautifulSoup(render_markdown("[x](https://example.org)"), "html.parser").a
    assert "noopener" in anchor["rel"]


def test_safe_formatting_survives():
    html = render_markdown(
        "## Title\n\n- **bold** and *em*\n\n1. one\n\n> quote\n\n`code`\n\n![alt](/media/a.png)"
    )
    for fragment in (
        '<h2 id="title"><a class="toclink" href="#title" rel="noopener">Title</a></h2>',
        "<strong>bold</strong>",
        "<em>em</em>",
        "<ol>",
        "<blockquote>",
        "<code>code</code>",
        '<img alt="alt" decoding="async" loading="lazy" src="/media/a.png">',
    ):
        assert fragment in html


def test_a_body_h1_becomes_h2():
    """The article title is the page's only h1."""
    assert render_markdown("# Big") == (
        '<h2 id="big"><a class="toclink" href="#big" rel="noopener">Big</a></h2>'
    )


def test_callout_classes_survive_but_not_arbitrary_ones():
    html = render_markdown('!!! example "Example:"\n    Text.\n\n<p class="evil">x</p>')
    assert '<div class="admonition example">' in html
    assert '<p class="admonition-title">Example:</p>' in html
    assert "evil" not in html


def soup(html):
    return BeautifulSoup(html, "html.parser")


def test_seek_help_callout_is_a_section_with_a_real_heading():
    """The typed safety callout: a fixed class, its title an h2 with an anchor, labelled."""
    html = render_markdown(
        '## Before\n\n!!! seek-help "When to Seek Further Help"\n    See a doctor if:\n\n'
        "    - it gets worse\n\n## After"
    )
    section = soup(html).find("section")
    heading = section.find("h2")
    assert section["class"] == ["callout", "seek-help"]
    assert heading.get_text() == "When to Seek Further Help"
    assert heading["id"] == "when-to-seek-further-help"
    assert section["aria-labelledby"] == "when-to-seek-further-help"
    assert section.find("li").get_text() == "it gets worse"
    assert [h.get_text() for h in soup(html).find_all("h2")] == [
        "Before",
        "When to Seek Further Help",
        "After",
    ]


def test_seek_help_callout_without_a_title_gets_the_standard_one():
    heading = soup(render_markdown("!!! seek-help\n    Call 111.")).find("section").h2
    assert heading.get_text() == "When to seek help"


def test_other_admonitions_stay_plain_callouts():
    html = render_markdown('!!! note "Note:"\n    Text.')
    assert soup(html).find("section") is None
    assert '<div class="admonition note">' in html


def test_hand_written_sections_keep_only_allowed_classes():
    """Raw HTML cannot add classes, styles, or a label pointing at the page's own ids."""
    html = render_markdown(
        '<section class="seek-help evil" aria-labelledby="respond" style="x">Buy now</section>'
    )
    section = soup(html).find("section")
    assert section.get("class") == ["seek-help"]
    assert not section.has_attr("aria-labelledby")
    assert "evil" not in html and "style" not in html


def test_citation_links_to_its_reference_numbered_by_position():
    html = render_markdown("Known [@b] and again [@b].", citations=["a", "b"])
    citations = soup(html).select("sup.citation a")
    assert [a["href"] for a in citations] == ["#ref-b", "#ref-b"]
    assert [a.get_text() for a in citations] == ["Reference 2", "Reference 2"]
    assert citations[0].select_one(".visually-hidden").get_text() == "Reference "


def test_unknown_citation_stays_as_typed():
    """A key with no reference is left visible for the editor to fix, not silently dropped."""
    assert render_markdown("See [@missing].", citations=["a"]) == "<p>See [@missing].</p>"


def test_each_heading_links_to_itself():
    heading = soup(render_markdown("## Causes of pain")).h2
    assert heading["id"] == "causes-of-pain"
    assert heading.a["href"] == "#causes-of-pain"
    assert heading.get_text() == "Causes of pain"


@pytest.mark.parametrize(
    ("title", "anchor"),
    [
        ("Comments", "section-comments"),
        ("Respond", "section-respond"),
        ("Top", "section-top"),
        ("C12", "section-c12"),
        ("Ref-1", "section-ref-1"),
        ("References", "section-references"),
    ],
)
def test_heading_anchors_never_take_an_id_the_page_uses(title, anchor):
    """A heading never steals #comments, #respond, #top, a comment's #cN or a #ref-… anchor."""
    assert soup(render_markdown(f"## {title}")).h2["id"] == anchor


def test_hand_written_ids_the_page_uses_are_dropped():
    html = render_markdown('<h2 id="respond">Reply here</h2>\n\n<h3 id="own-anchor">Mine</h3>')
    assert soup(html).h2.get("id") is None
    assert soup(html).h3["id"] == "own-anchor"


def test_table_of_contents_anchors_survive_sanitising():
    """Every contents entry points at an id present in the sanitised HTML, h3 under h2."""
    html = render_markdown(
        "# Intro\n\n## Causes\n\n### Overuse\n\n### Overuse\n\n## Comments\n\n"
        '!!! seek-help "When to get help"\n    Call.\n\n#### Not listed'
    )
    headings = analyse(html).headings
    toc = table_of_contents(headings)
    ids = {tag["id"] for tag in soup(html).find_all(id=True)}
    assert [(entry["title"], [c["title"] for c in entry["children"]]) for entry in toc] == [
        ("Intro", []),
        ("Causes", ["Overuse", "Overuse"]),
        ("Comments", []),
        ("When to get help", []),
    ]
    anchors = [entry["id"] for entry in toc] + [c["id"] for e in toc for c in e["children"]]
    assert len(set(anchors)) == len(anchors)
    assert set(anchors) <= ids


def test_words_are_counted_without_citation_markers():
    html = render_markdown(
        "## Post-therapy pain\n\nDon't stop [@a]; ask your therapist.", citations=["a"]
    )
    assert analyse(html).word_count == 7  # Post-therapy pain Don't stop ask your therapist


@pytest.mark.parametrize(("words", "minutes"), [(0, 0), (1, 1), (230, 1), (231, 2), (690, 3)])
def test_reading_time_is_words_over_230_rounded_up(words, minutes):
    assert reading_minutes(words) == minutes


UPLOAD = "/media/uploads/" + "ab" * 16 + "-1600x1200.jpg"


def test_uploaded_image_gets_its_size_srcset_and_lazy_loading():
    """An upload's name carries its size: the page reserves its space and offers copies."""
    html = render_markdown(f"![A knee stretch]({UPLOAD})")
    image = BeautifulSoup(html, "html.parser").img
    stem = UPLOAD[: -len(".jpg")]
    assert image["width"] == "1600" and image["height"] == "1200"
    assert image["srcset"] == f"{stem}-480w.jpg 480w, {stem}-960w.jpg 960w, {UPLOAD} 1600w"
    assert image["sizes"].startswith("(min-width:")
    assert image["loading"] == "lazy" and image["alt"] == "A knee stretch"


def test_small_upload_offers_only_the_copies_narrower_than_itself():
    small = "/media/uploads/" + "cd" * 16 + "-700x300.png"
    image = BeautifulSoup(render_markdown(f"![x]({small})"), "html.parser").img
    assert image["srcset"] == f"{small[:-4]}-480w.png 480w, {small} 700w"


def test_srcset_written_by_hand_may_not_point_elsewhere():
    html = render_markdown(
        '<img src="/media/a.png" srcset="https://tracker.example/p.png 1x" loading="x" alt="a">'
    )
    assert "tracker" not in html and 'loading="x"' not in html
