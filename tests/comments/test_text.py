import re

import pytest
from django.core.exceptions import ValidationError

from comments import text as text_module
from comments.text import clean_display_name, count_links, render_comment_text


def test_render_escapes_everything_but_links_and_breaks():
    html = render_comment_text('<a href="javascript:x">x</a> & "quotes"\nnext')
    assert html == '<p>&lt;a href="javascript:x"&gt;x&lt;/a&gt; &amp; "quotes"<br>next</p>'


def test_render_links_bare_urls_with_ugc_rel():
    html = render_comment_text("go to www.example.org now")
    assert (
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>' in html
    )


@pytest.mark.parametrize(
    "text",
    [
        "Physio made it worse for a week, then better. Dr. Smith said 2.5 mg, e.g. at night.",
        '<b>bold</b> & "quoted" (it\'s fine) [see above]...\r\n\r\nA new paragraph.\nA line.',
        "Full stop after a word ending in org. Or net.work, or .co.uk, or nhs.uk.",
        "Ask at example.org or WWW.NHS.UK, mail me@example.org, or https://example.org/a?b=1.",
        "Update: it settled by 10:30 (ratio 1:2); see: http:/broken and ftp:x.",
        "Links still: HTTPS://Example.org/a:b and (http://[::1]:80/x).",
    ],
)
def test_text_urlize_could_not_link_renders_as_urlize_makes_it(text):
    """Text with nothing urlize could link is escaped without it: the same HTML."""
    shown = render_comment_text(text)
    always = re.compile("")  # every text through urlize, as before
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_module, "_MAYBE_LINK", always)
        assert render_comment_text(text) == shown


def test_a_colon_alone_does_not_send_the_text_through_urlize(monkeypatch):
    """Only "://" of a colon can make a link: "Update: ..." or "10:30" is plain text."""

    def urlize(*args, **kwargs):
        raise AssertionError("urlize called")

    monkeypatch.setattr(text_module, "urlize", urlize)
    html = render_comment_text("Update: it settled by 10:30 <b>")
    assert html == "<p>Update: it settled by 10:30 &lt;b&gt;</p>"


def test_count_links_counts_what_becomes_a_link():
    assert count_links("one https://a.example two www.b.example") == 2
    assert count_links("no links here") == 0


@pytest.mark.parametrize("name", ["Zoë", "José María", "李雷", "O'Brien", "Ann-Marie"])
def test_ordinary_names_in_any_script_are_accepted(name):
    assert clean_display_name(name, set()) == name


def test_compatibility_characters_are_normalised():
    fullwidth = "\uff26\uff55\uff4c\uff4cwidth"
    assert clean_display_name(fullwidth, set()) == "Fullwidth"


def test_reserved_names_are_refused_ignoring_case():
    with pytest.raises(ValidationError):
        clean_display_name("NervePain", {"nervepain"})
