"""What readers type: plain text made safe for a page, and names that cannot impersonate."""

import re
import unicodedata

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks, urlize

# Bidirectional overrides and isolates reorder what a reader sees ("Trojan Source").
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Categories a name never needs: format (zero-width, bidi marks), controls, private use,
# surrogates, unassigned, and line/paragraph separators.
_FORBIDDEN_NAME_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"}

COMMENT_LINK_REL = "nofollow ugc noopener"


def clean_comment_text(text: str) -> str:
    """Drop characters that reorder text; keep everything else the reader typed."""
    return _BIDI_CONTROLS.sub("", text).strip()


def render_comment_text(text: str) -> str:
    """Plain text to HTML: paragraphs and line breaks kept, URLs linked, the rest escaped."""
    html = linebreaks(urlize(clean_comment_text(text), nofollow=False, autoescape=True))
    return nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=COMMENT_LINK_REL,
    )


def count_links(text: str) -> int:
    """How many links the text shows once rendered (what urlize turns into links)."""
    return render_comment_text(text).count("<a ")


def clean_display_name(name: str, reserved: set[str]) -> str:
    """Normalise a commenter's name; refuse invisible or direction-changing characters."""
    name = unicodedata.normalize("NFKC", name)
    if any(unicodedata.category(char) in _FORBIDDEN_NAME_CATEGORIES for char in name):
        raise ValidationError(
            "Your name contains invisible or direction-changing characters. "
            "Please type it with ordinary letters.",
            code="invisible",
        )
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Please enter a name.", code="required")
    if name.casefold() in reserved:
        raise ValidationError(
            "That name is reserved for the site. Please choose another.", code="reserved"
        )
    return name


def normalise_for_matching(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").casefold()
