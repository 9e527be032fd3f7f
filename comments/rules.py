"""The three lists every comment is checked against, read once and kept in the cache.

Crisis phrases, moderation words and medical claim patterns change when a moderator edits them
in the admin, which is rare; comments are checked against them on every post and edit. Reading
them took three queries a post, and normalised every phrase again each time. Here they are read
together, prepared (phrases normalised as the text they are matched against is) and kept in the
shared cache (Redis in production) until one of them changes: saving or deleting a row gives
the lists a new version once the transaction commits, so the next post on every web node reads
them again. A copy is kept with the version it was read under: a post that read the old rows
just before the change cannot put them back as current. A change that sends no signals (a
queryset ``update()``, SQL by hand) is seen within ``RULES_CACHE_SECONDS``.
"""

import re
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from comments.health import normalise_phrase_text
from comments.text import normalise_for_matching

CACHE_KEY = "comments:rules:1"
VERSION_KEY = "comments:rules-version"
RULES_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Rules:
    # (phrase as written, phrase as matched), in list order.
    crisis_phrases: tuple[tuple[str, str], ...]
    medical_phrases: tuple[tuple[str, str], ...]
    medical_patterns: tuple[str, ...]
    # (word as written, word as matched, action).
    words: tuple[tuple[str, str, str], ...]
    version: str = ""


# What ``current()`` reads from the cache: a caller may read them with its own keys.
KEYS = (VERSION_KEY, CACHE_KEY)


def current(found: dict | None = None) -> Rules:
    """The lists as they are now: from the cache (one round trip), or read and cached.

    ``found``: what ``cache.get_many`` returned for ``KEYS`` (and other keys), read already."""
    if found is None:
        found = cache.get_many(KEYS)
    version, rules = found.get(VERSION_KEY), found.get(CACHE_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version  # another process got there first
    if isinstance(rules, Rules) and rules.version == version:
        return rules
    rules = _read(version)
    cache.set(CACHE_KEY, rules, RULES_CACHE_SECONDS)
    return rules


def _read(version: str) -> Rules:
    from comments.models import CrisisPhrase, MedicalClaimPattern, ModerationWord

    def prepared(phrases):
        return tuple((phrase, normalise_phrase_text(phrase)) for phrase in phrases)

    medical = list(MedicalClaimPattern.objects.values_list("kind", "pattern"))
    return Rules(
        crisis_phrases=prepared(CrisisPhrase.objects.values_list("phrase", flat=True)),
        medical_phrases=prepared(
            p for kind, p in medical if kind == MedicalClaimPattern.Kind.PHRASE
        ),
        medical_patterns=tuple(
            p for kind, p in medical if kind == MedicalClaimPattern.Kind.PATTERN
        ),
        words=tuple(
            (word, word_needle(word), action)
            for word, action in ModerationWord.objects.values_list("word", "action")
        ),
        version=version,
    )


def word_needle(word: str) -> str:
    """A moderation word as it is looked for: normalised for matching, one space between its
    words (typed with two, "casino  bonus" matched no comment)."""
    return " ".join(normalise_for_matching(word).split())


# Runs of spaces within a line, in the text looked at: the fields stay on lines of their own.
_SPACES = re.compile(r"[^\S\n]+")


def words_in(haystack: str, lists: Rules | None = None) -> dict[str, list[str]]:
    """The moderation words found in ``haystack`` (normalised for matching), by action."""
    from comments.models import ModerationWord

    haystack = _SPACES.sub(" ", haystack)
    found = {action: [] for action in ModerationWord.Action.values}
    for word, needle, action in (lists or current()).words:
        if needle in haystack:
            found[action].append(word)
    return found


def changed(**kwargs) -> None:
    """A list changed: a new version now, for what this transaction reads next, and again
    once it commits, so that a copy another post read just before the commit is not kept."""
    new_version()
    transaction.on_commit(new_version, robust=True)


def new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def connect() -> None:
    from comments.models import CrisisPhrase, MedicalClaimPattern, ModerationWord

    for model in (CrisisPhrase, MedicalClaimPattern, ModerationWord):
        uid = f"comments-rules-{model._meta.model_name}"
        post_save.connect(changed, sender=model, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, dispatch_uid=uid)
