"""Rules that know the discussion is about health: crisis phrases and medical claims.

Matching is done on normalised text, so that "I want to DIE", "i  want to die" and
"I want to die…" all match "want to die": Unicode compatibility forms folded (NFKC), case
folded, invisible characters dropped, apostrophes dropped ("can't" reads as "cant"), every
other character that is not a letter or digit made a space, spaces collapsed. A phrase matches
whole words only ("die" does not match "diet").
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString

# What keyboards and phones type for an apostrophe: U+2019, U+2018, U+02BC, the backtick, and
# U+00B4, the acute accent key where Spanish, Portuguese and German keyboards have it (NFKC makes
# it a space: "can t"), U+2032 (prime) and U+02B9.
_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u2018\u02bc`\u00b4\u2032\u02b9"})
# "can not" is "cannot": the shipped list has "cannot go on", and a writer's "I can not go on"
# matched neither it nor "can't go on".
_CAN_NOT = re.compile(r"\bcan not\b")
_NOT_WORD = re.compile(r"[^\w']+")


def _folded(value: str) -> str:
    """NFKC, case folded, apostrophes made straight, invisible (format) characters dropped.

    Plain ASCII text, most comments, has no compatibility forms and no format characters:
    it is only case folded, without looking at each character's category (a post folds its
    text four times: crisis phrases, medical claims twice, the spam fingerprint)."""
    value = value or ""
    if value.isascii():
        return value.casefold().translate(_APOSTROPHES)
    # Apostrophes first: NFKC turns the acute accent (U+00B4) into a space and an accent.
    value = unicodedata.normalize("NFKC", value.translate(_APOSTROPHES)).casefold()
    return "".join(char for char in value if unicodedata.category(char) != "Cf")


def normalise_words(value: str) -> str:
    """The text's words, folded, apostrophes kept ("can't"), one space between them, padded
    with spaces: what the spam list's stored fingerprints were made from (``spam``)."""
    return " " + " ".join(_NOT_WORD.sub(" ", _folded(value)).split()) + " "


def normalise_phrase_text(value: str) -> str:
    """Text as phrases are matched against: see the module docstring. Padded with spaces.

    Apostrophes are dropped, so "cant go on", typed on a phone without one, matches the
    phrase "can't go on", and a phrase in single quotes ('want to die') matches too."""
    words = " ".join(_NOT_WORD.sub(" ", _folded(value)).replace("'", "").split())
    return " " + _CAN_NOT.sub("cannot", words) + " "


def matching_phrases(text: str, phrases) -> list[str]:
    """The phrases (as written in the list) found in ``text``, whole words, in list order.

    ``phrases`` are strings, or (phrase, normalised phrase) pairs as ``comments.rules`` keeps
    them."""
    haystack = normalise_phrase_text(text)
    found = []
    for phrase in phrases:
        phrase, needle = phrase if isinstance(phrase, tuple) else (phrase, None)
        needle = normalise_phrase_text(phrase) if needle is None else needle
        if needle.strip() and needle in haystack and phrase not in found:
            found.append(phrase)
    return found


def crisis_phrases_in(text: str, lists=None) -> list[str]:
    """The crisis phrases (any language) this text contains. ``lists``: ``comments.rules``
    as already read for this comment."""
    from comments import rules

    return matching_phrases(text, (lists or rules.current()).crisis_phrases)


def normalise_for_patterns(value: str) -> str:
    """Text as medical claim patterns see it: folded like phrases, punctuation kept."""
    return " ".join(_folded(value).split())


def compile_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def medical_claims_in(text: str, lists=None) -> list[str]:
    """The words of ``text`` that matched a medical claim phrase or pattern, in list order."""
    from comments import rules

    lists = lists or rules.current()
    found = matching_phrases(text, lists.medical_phrases)
    folded = normalise_for_patterns(text)
    for pattern in lists.medical_patterns:
        try:
            match = compile_pattern(pattern).search(folded)
        except re.error:  # saved around the admin's check: skipped, never breaks posting
            continue
        if match and match.group(0).strip() and match.group(0).strip() not in found:
            found.append(match.group(0).strip())
    return found


MATCH_SEPARATOR = ", "
# One match in quotes (one with a comma, or cut short at the end of ``reason_detail``), or
# one up to the next separator.
_STORED_MATCH = re.compile(r"\s*“([^”]*)”?|([^,]+)")


def join_matches(matches) -> str:
    """The words that held a comment, as ``reason_detail`` keeps them (at most 200
    characters): ", " between them, and one that holds a comma in quotes, so that the list
    reads as the matches it is ("“take 600 mg, twice a day”, cured my")."""
    return MATCH_SEPARATOR.join(f"“{m}”" if "," in m else m for m in matches)[:200]


def split_matches(detail: str) -> list[str]:
    """The matches ``join_matches`` wrote (and those written before it, without quotes)."""
    return [
        (quoted or plain).strip()
        for quoted, plain in _STORED_MATCH.findall(detail)
        if (quoted or plain).strip()
    ]


# Reasons whose ``reason_detail`` lists the words that matched (``Comment.Reason`` values).
HIGHLIGHTED_REASONS = {"crisis", "medical", "hold_word"}


def highlight_matches(comment) -> SafeString:
    """The comment's text with the words that held it (crisis phrases, medical claims, hold
    words, as stored in ``reason_detail``) in ``<mark>``: for the moderation queue."""
    words = split_matches(comment.reason_detail) if comment.reason in HIGHLIGHTED_REASONS else []
    return highlight(comment.comment, words)


def highlight(text: str, words) -> SafeString:
    """``text`` escaped, with each occurrence of ``words`` (ignoring case) in ``<mark>``.

    For the moderation queue: shows which words of a held comment matched a rule.
    """
    words = sorted({w for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return SafeString(escape(text))
    pattern = re.compile("|".join(_loose(word) for word in words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        # Each line of a match marked on its own: the card breaks the text into paragraphs
        # and lines, and a mark across them ("miracle⏎⏎cure") ended at the first.
        parts.append(
            "\n".join(
                f"<mark>{escape(line)}</mark>" if line.strip() else escape(line)
                for line in match.group(0).split("\n")
            )
        )
        last = match.end()
    parts.append(escape(text[last:]))
    # Safe: every piece of the reader's text went through escape() above.
    return SafeString("".join(parts))


_APOSTROPHE_OR_NONE = "[\u0027\u2019\u2018\u02bc`\u00b4\u2032\u02b9]?"


def _loose(word: str) -> str:
    """A pattern for ``word`` in the original text: any run of spaces or punctuation between
    its words, and an apostrophe or none between its letters, as normalisation allowed when
    it matched."""
    return r"[\W_]+".join(
        r"can\s*not" if part == "cannot" else _APOSTROPHE_OR_NONE.join(map(re.escape, part))
        for part in normalise_phrase_text(word).split()
    )
