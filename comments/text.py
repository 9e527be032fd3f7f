"""What readers type: plain text made safe for a page, and names that cannot impersonate.

Invisible characters are a class, not a list of examples: Unicode's Default_Ignorable_Code_Point
property (zero-width space and joiners, word joiner, BOM, soft hyphen, bidi controls, variation
selectors, Hangul fillers, tag characters...), every format character (category Cf), and a few
letters and symbols fonts draw as blank space (the braille blank). Text counts as visible only
if it holds a character that is none of these and no space, control or mark on its own.

Names are compared with the site's reserved names by their Unicode confusable skeleton (UTS #39,
with Unicode's own ``data/confusables.txt``), so letters from another script that look the same
(Cyrillic U+0435 for Latin "e", U+0456 for "i"), fullwidth or mathematical letters, accents and
separators do not make a different name.
"""

import functools
import re
import unicodedata
from pathlib import Path

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.formats import number_format
from django.utils.html import escape, linebreaks, urlize
from django.utils.text import normalize_newlines

# Bidirectional overrides and isolates reorder what a reader sees ("Trojan Source"); NUL, which
# no reader means to type, PostgreSQL cannot store in text (an edit or report holding one was
# a 500 there).
_DROPPED = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")
# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt): never drawn, whatever the
# font. Python's unicodedata does not carry the property, and it is stable by Unicode policy.
_DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# Letters and symbols that fonts draw as nothing but blank space.
_BLANK = {"\u2800"}  # BRAILLE PATTERN BLANK (the Hangul fillers are default-ignorable)
# Categories a name never needs: format (zero-width, bidi marks), controls, private use,
# surrogates, unassigned, and line/paragraph separators.
_FORBIDDEN_NAME_CATEGORIES = {"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"}
# Scripts that may share one word of a name (UTS #39 "highly restrictive"): Japanese, Chinese
# and Korean writing mix their own scripts, and Latin, by design. Any other mix in one word is
# how look-alike names are made ("Nervepain" with a Cyrillic U+0435 for its "e").
_SCRIPT_MIXES = (
    {"LATIN", "HAN", "HIRAGANA", "KATAKANA"},
    {"LATIN", "HAN", "BOPOMOFO"},
    {"LATIN", "HAN", "HANGUL"},
)
# Reserved names this long are refused inside a word too; shorter ones only as whole words.
_CONTAINED_NAME_LENGTH = 7
_CONFUSABLES = Path(__file__).resolve().parent / "data" / "confusables.txt"

COMMENT_LINK_REL = "nofollow ugc noopener"


def number(value: int) -> str:
    """A number as readers see it written everywhere on the site: in the locale's format, with
    its thousands separators ("3,149"), as the boxes' hints ("up to 3,000 characters") and the
    count comments.js keeps as the reader types."""
    return number_format(value, force_grouping=True)


def too_long(what: str) -> str:
    """The refusal of a text over its limit, with the parameters of ``length_params`` (as
    ``ReaderMaxLengthValidator`` gives them): the post form, the edit and the report say it in
    the same words."""
    return (
        f"{what} is %(show_value)s characters long; the limit is %(limit_value)s. "
        "Please shorten it: your text is kept below."
    )


# The refusal of a comment a reader would see nothing of: the post form and the edit say it alike.
NO_VISIBLE_TEXT = (
    "Your comment has no visible text, only invisible characters (such as zero-width spaces). "
    "Please write your comment in ordinary letters."
)


def length_params(length: int, limit: int) -> dict[str, str]:
    """A too-long text's length and limit, written as ``number`` writes them."""
    return {"show_value": number(length), "limit_value": number(limit)}


class ReaderMaxLengthValidator(MaxLengthValidator):
    """Django's ``max_length`` check, its numbers written for readers ("3,149", not "3149")."""

    def __call__(self, value):
        try:
            super().__call__(value)
        except ValidationError as error:
            error.params = {**error.params, **length_params(self.clean(value), self.limit_value)}
            raise


def clean_comment_text(text: str) -> str:
    """Drop characters that reorder text, and NUL; keep everything else the reader typed, its line
    breaks as stored everywhere ("\\n": browsers send "\\r\\n", which the admin's text boxes
    store as "\\n", so a writer's unchanged text read as an edit once a moderator had saved
    the comment)."""
    return _DROPPED.sub("", normalize_newlines(text)).strip()


def is_invisible(char: str) -> bool:
    """True for a character that shows nothing by itself (see the module docstring).

    Unassigned and private-use characters count as visible: a font draws them, and emoji
    newer than this Python's Unicode data are unassigned to it.
    """
    category = unicodedata.category(char)
    return (
        char in _BLANK
        or bool(_DEFAULT_IGNORABLE.match(char))
        or (category[0] not in "LNPS" and category not in {"Cn", "Co"})
    )


def has_visible_text(text: str) -> bool:
    """True if a reader would see anything of ``text``: one visible character is enough."""
    return not all(is_invisible(char) for char in text)


# What Django's urlize can make a link of (``django.utils.html.Urlizer``): "http(s)://", an
# email address, "www." or a name ending in one of the seven top-level domains it knows. In a
# text with none of these it only escapes each word, as ``escape`` does the whole text at once.
# A colon alone links nothing ("Update: ...", "at 10:30"): only as part of "://".
_MAYBE_LINK = re.compile(r"@|://|www\.|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)


def render_comment_text(text: str) -> str:
    """Plain text to HTML: paragraphs and line breaks kept, URLs linked, the rest escaped."""
    text = clean_comment_text(text)
    if _MAYBE_LINK.search(text):
        text = urlize(text, nofollow=False, autoescape=True)
    else:  # nothing to link: the same HTML without urlize's word-by-word work
        text = escape(text)
    html = linebreaks(text)
    return nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=COMMENT_LINK_REL,
    )


def count_links(text: str, html: str | None = None) -> int:
    """How many links the text shows once rendered (what urlize turns into links); ``html``:
    the text rendered already."""
    return (render_comment_text(text) if html is None else html).count("<a ")


def clean_display_name(name: str, reserved: set[str]) -> str:
    """Normalise a commenter's name; refuse invisible, look-alike or reserved ones."""
    name = unicodedata.normalize("NFKC", name)
    if any(
        unicodedata.category(char) in _FORBIDDEN_NAME_CATEGORIES
        or char in _BLANK
        or _DEFAULT_IGNORABLE.match(char)
        for char in name
    ):
        raise ValidationError(
            "Your name contains invisible or direction-changing characters. "
            "Please type it with ordinary letters.",
            code="invisible",
        )
    name = " ".join(name.split())
    if not has_visible_text(name):
        raise ValidationError("Please enter a name.", code="required")
    if any(_mixes_scripts(word) for word in name.split()):
        raise ValidationError(
            "Your name mixes letters from different alphabets in one word (for example Latin "
            "and Cyrillic letters that look alike). Please type it in one alphabet.",
            code="mixed_script",
        )
    if imitates(name, reserved):
        raise ValidationError(
            "That name is reserved for the site. Please choose another.", code="reserved"
        )
    return name


def normalise_for_matching(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").casefold()


@functools.cache
def _prototypes() -> dict[str, str]:
    """UTS #39 confusable mappings: each source character to its prototype string."""
    mapping = {}
    with _CONFUSABLES.open(encoding="utf-8-sig") as data:
        for line in data:
            fields = line.split("#", 1)[0].split(";")
            if len(fields) >= 2:
                source = "".join(chr(int(code, 16)) for code in fields[0].split())
                mapping[source] = "".join(chr(int(code, 16)) for code in fields[1].split())
    return mapping


def skeleton(text: str) -> str:
    """The UTS #39 skeleton: two strings that look alike have the same skeleton.

    NFD, default-ignorable characters removed, each character replaced by its prototype,
    NFD again.
    """
    prototypes = _prototypes()
    text = _DEFAULT_IGNORABLE.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFD", "".join(prototypes.get(char, char) for char in text))


def _lookalike_words(name: str) -> list[str]:
    """The words of a name as they look: skeleton, any case, no accents or separators.

    Skeleton and case folding are applied until stable, since each can expose the other
    ("0" looks like "O", which folds to "o").
    """
    folded = "".join(map(_small_capital, unicodedata.normalize("NFKC", name))).casefold()
    for _ in range(3):
        folded = skeleton(folded).casefold()
    letters = "".join(
        char if unicodedata.category(char)[0] in "LN" else " "
        for char in folded
        if unicodedata.category(char)[0] != "M"  # accents and other marks sit on a letter
    )
    return letters.split()


def _small_capital(char: str) -> str:
    # Small capitals ("ᴀᴅᴍɪɴ") are Latin letters that UTS #39 leaves alone.
    name = unicodedata.name(char, "")
    prefix = "LATIN LETTER SMALL CAPITAL "
    return (
        name[len(prefix) :].lower()
        if name.startswith(prefix) and len(name) == len(prefix) + 1
        else char
    )


def imitates(name: str, reserved: set[str]) -> bool:
    """True if ``name`` looks like a reserved name, alone or among other words ("Site Admin").

    Separators do not matter ("Nerve Pain", "n.e.r.v.e.p.a.i.n"). A long reserved name is
    found even inside a word ("NervepainOfficial"); a short one only as whole words, since it
    hides inside ordinary ones ("Badminton" is not "admin").
    """
    words = _lookalike_words(name)
    runs = {
        "".join(words[start:end])
        for start in range(len(words))
        for end in range(start + 1, len(words) + 1)
    }
    for reserved_name in reserved:
        target = _reserved_target(reserved_name)
        if not target:
            continue
        if target in runs:
            return True
        if len(reserved_name) >= _CONTAINED_NAME_LENGTH and target in "".join(words):
            return True
    return False


@functools.lru_cache(maxsize=64)
def _reserved_target(reserved_name: str) -> str:
    return "".join(_lookalike_words(reserved_name))


def _mixes_scripts(word: str) -> bool:
    # Imported when first needed: it reads its Unicode script table on import.
    from confusable_homoglyphs import categories

    scripts = {categories.alias(char) for char in word} - {"COMMON", "INHERITED"}
    return len(scripts) > 1 and not any(scripts <= allowed for allowed in _SCRIPT_MIXES)
