"""Comments and names made only of invisible characters are refused, with nothing typed lost.

Invisible is a class: Unicode's default-ignorable characters (zero-width space and joiners,
word joiner, BOM, soft hyphen, bidi controls, variation selectors, Hangul fillers, tags), every
format character (Cf), characters fonts draw blank (braille blank), and marks with nothing to
sit on. Visible text around them is kept as typed: joiners belong in emoji and some scripts.
"""

import sys
import unicodedata

import pytest
from bs4 import BeautifulSoup

from comments.models import Comment
from comments.text import has_visible_text, is_invisible

pytestmark = pytest.mark.django_db

INVISIBLE = {
    "zero-width space": "\u200b",
    "zero-width non-joiner": "\u200c",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "soft hyphen": "\u00ad",
    "left-to-right mark": "\u200e",
    "right-to-left override": "\u202e",
    "first strong isolate": "\u2068",
    "arabic letter mark": "\u061c",
    "invisible times": "\u2062",
    "mongolian vowel separator": "\u180e",
    "variation selector 16": "\ufe0f",
    "variation selector 256": "\U000e01ef",
    "combining grapheme joiner": "\u034f",
    "hangul filler": "\u3164",
    "hangul choseong filler": "\u115f",
    "halfwidth hangul filler": "\uffa0",
    "khmer vowel inherent": "\u17b4",
    "braille blank": "\u2800",
    "tag letter": "\U000e0041",
    "musical symbol begin beam": "\U0001d173",
    "shorthand format control": "\U0001bca0",
    "lone combining accent": "\u0301",
    "no-break space": "\u00a0",
    "ideographic space": "\u3000",
}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_a_comment_of_only_invisible_characters_is_refused_and_kept(post, article):
    """Every member of the class, each alone: refused, and the text comes back in the form."""
    accepted = []
    for what, char in INVISIBLE.items():
        text = char * 5
        response = post(article, comment=text)
        box = soup(response).find("textarea", attrs={"name": "comment"})
        if response.status_code != 400 or box is None or box.get_text() != text:
            accepted.append(what)
    assert accepted == []
    assert not Comment.objects.exists()


def test_a_mix_of_invisible_characters_and_spaces_is_refused_with_a_clear_message(post, article):
    response = post(article, comment=" \u200b\u2060\n\ufeff\u00ad\u3164 \u2800 ")
    assert response.status_code == 400
    assert "Your comment has no visible text" in response.content.decode()
    assert not Comment.objects.exists()


def test_every_format_character_is_invisible():
    """The whole Cf category, not a list of examples, whatever this Python's Unicode."""
    format_chars = [
        chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"
    ]
    assert len(format_chars) > 150
    assert all(is_invisible(char) for char in format_chars)
    assert not has_visible_text("".join(format_chars))


@pytest.mark.parametrize(
    "text",
    [
        "ok",
        "\U0001f44d",  # an emoji alone
        "\u2764\ufe0f",  # an emoji with its variation selector
        "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # a family: joined by ZWJ
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with a non-joiner
        "\U0001fae8",  # an emoji newer than Python 3.11's Unicode data
        "?",
    ],
)
def test_visible_text_with_joiners_is_published_as_typed(post, article, text):
    """A guard: emoji, joiners inside words and new characters are kept, not refused."""
    response = post(article, comment=text)
    assert response.status_code == 303
    assert Comment.objects.get().comment == text


def test_a_name_of_only_invisible_characters_is_refused(post, article):
    """Every member of the class as a whole name: refused, the comment kept in the form."""
    accepted = []
    for what, char in INVISIBLE.items():
        response = post(article, name=char * 3)
        kept = "Physio made it worse for a week, then better." in response.content.decode()
        if response.status_code != 400 or not kept:
            accepted.append(what)
    assert accepted == []
    assert not Comment.objects.exists()
