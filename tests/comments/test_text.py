import pytest
from django.core.exceptions import ValidationError

from comments.text import clean_display_name, count_links, render_comment_text


def test_render_escapes_everything_but_links_and_breaks():
    html = render_comment_text('<a href="javascript:x">x</a> & "quotes"\nnext')
    assert html == '<p>&lt;a href="javascript:x"&gt;x&lt;/a&gt; &amp; "quotes"<br>next</p>'


def test_render_links_bare_urls_with_ugc_rel():
    html = render_comment_text("go to www.example.org now")
    assert (
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>' in html
    )


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
