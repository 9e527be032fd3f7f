"""The sanitiser: each known XSS vector through Markdown is removed."""

import pytest
from bs4 import BeautifulSoup

from articles.markdown import render_markdown


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
        '<h2 id="title">Title</h2>',
        "<strong>bold</strong>",
        "<em>em</em>",
        "<ol>",
        "<blockquote>",
        "<code>code</code>",
        '<img alt="alt" src="/media/a.png">',
    ):
        assert fragment in html


def test_a_body_h1_becomes_h2():
    """The article title is the page's only h1."""
    assert render_markdown("# Big") == '<h2 id="big">Big</h2>'


def test_callout_classes_survive_but_not_arbitrary_ones():
    html = render_markdown('!!! example "Example:"\n    Text.\n\n<p class="evil">x</p>')
    assert '<div class="admonition example">' in html
    assert '<p class="admonition-title">Example:</p>' in html
    assert "evil" not in html
