"""Spam that learns locally, like Antispam Bee and unlike Akismet: nothing leaves the site.

When a moderator marks a comment as spam (``Comment.moderate``), its traits become entries of
the local spam list (``SpamSignature``): the domains it links to (text and website), its email,
its IP address, and a fingerprint of its text. A later comment sharing any of them is spam at
once, with the reason and the matching trait recorded. "Not spam" removes what that comment
taught, and the entries that caught it.

The fingerprint is a MinHash of the text's two-word shingles, after the same normalisation as
phrases (case, punctuation and spacing do not count): two texts sharing about
``FINGERPRINT_SIMILARITY`` of their word pairs or more match, so a spam run with a changed
greeting or link is caught. (A SimHash was tried first: on texts of a few dozen words it moved
as much for a changed greeting as for an unrelated text.) Texts shorter than
``FINGERPRINT_MIN_WORDS`` words get none: "Thank you!" is not spam because a spammer once
wrote it.

Spam older than ``COMMENTS_SPAM_RETENTION_DAYS`` is deleted with its personal data and the
entries it taught (``delete_old_spam``; ``manage.py delete_old_spam`` daily).
"""

import datetime
import hashlib
import itertools
import logging
import re
import struct
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from comments.health import normalise_words
from comments.models import Comment, SpamFingerprintMinimum, SpamSignature

logger = logging.getLogger(__name__)

FINGERPRINT_MIN_WORDS = 8
FINGERPRINT_HASHES = 24
FINGERPRINT_SIMILARITY = 0.4
_HREF = re.compile(r'href="([^"]+)"')


def domain_of(url: str) -> str:
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return host.removeprefix("www.")


def link_domains(comment: Comment) -> list[str]:
    """The domains the comment links to (as its rendered text does), and its website's; never
    this site's own."""
    own = domain_of(settings.SITE_URL)
    urls = _HREF.findall(comment.rendered_text())
    if comment.user_url:
        urls.append(comment.user_url)
    domains = []
    for url in urls:
        domain = domain_of(url.replace("&amp;", "&"))
        if domain and domain != own and domain not in domains:
            domains.append(domain)
    return domains


def fingerprint(text: str) -> str:
    """A MinHash of the text's two-word shingles (``FINGERPRINT_HASHES`` 32-bit minimums, in
    hex), or "" for a text too short to tell."""
    words = normalise_words(text).split()
    if len(words) < FINGERPRINT_MIN_WORDS:
        return ""
    shingles = {f"{a} {b}".encode() for a, b in itertools.pairwise(words)}
    columns = zip(*(_hashes(shingle) for shingle in shingles), strict=True)
    return "".join(f"{min(column):08x}" for column in columns)


_HASHES = struct.Struct(f">{FINGERPRINT_HASHES}I")


def _hashes(shingle: bytes) -> tuple[int, ...]:
    """The shingle's ``FINGERPRINT_HASHES`` hash values: one extendable-output hash read as
    that many independent 32-bit values (one call, where a seeded hash each took 24)."""
    return _HASHES.unpack(hashlib.shake_128(shingle).digest(_HASHES.size))


def similarity(a: str, b: str) -> float:
    """The share of equal minimums at the same positions (what the spam list's index counts):
    an estimate of how many shingles two texts share."""
    keys = minimum_keys(b)
    return len(set(minimum_keys(a)).intersection(keys)) / len(keys) if keys else 0.0


def minimum_keys(fingerprint_value: str) -> list[str]:
    """The fingerprint's minimums with their positions, as ``SpamFingerprintMinimum`` keeps
    them: two fingerprints share a key for each position where their minimums are equal."""
    return [
        f"{i // 8:02d}{fingerprint_value[i : i + 8]}" for i in range(0, len(fingerprint_value), 8)
    ]


def signatures_of(comment: Comment) -> list[tuple[str, str]]:
    """(kind, value) for each trait of the comment the spam list can hold."""
    traits = [(SpamSignature.Kind.DOMAIN, d) for d in link_domains(comment)]
    if comment.user_email:
        traits.append((SpamSignature.Kind.EMAIL, comment.user_email.strip().lower()))
    if comment.ip_address:
        traits.append((SpamSignature.Kind.IP, str(comment.ip_address)))
    text = fingerprint(comment.comment)
    if text:
        traits.append((SpamSignature.Kind.FINGERPRINT, text))
    return traits


class Entry(NamedTuple):
    pk: int
    kind: str
    value: str


def _matching(comment: Comment) -> list[Entry]:
    """The spam list's entries this comment shares, in one query whatever the list's size.

    The other traits are looked up as they are. Similar texts are found through the index of
    their minimums: the fingerprints sharing at least ``FINGERPRINT_SIMILARITY`` of the
    comment's minimums at the same positions (what comparing them one by one counted), so a
    post's cost does not grow with the list.

    Every post runs this, and building the same two querysets through the ORM cost more CPU
    than the rest of the checks together (about 2 ms of a 9 ms post here), so it is one fixed
    statement: two parts joined by UNION ALL, each on its own index (an OR of the two made
    PostgreSQL read every fingerprint)."""
    traits = signatures_of(comment)
    exact = {(kind, value) for kind, value in traits if kind != SpamSignature.Kind.FINGERPRINT}
    text = next((v for k, v in traits if k == SpamSignature.Kind.FINGERPRINT), "")
    signatures = connection.ops.quote_name(SpamSignature._meta.db_table)
    minimums = connection.ops.quote_name(SpamFingerprintMinimum._meta.db_table)
    own = comment.pk is not None  # "Not spam" on a listed comment: not what it taught itself
    parts, params = [], []
    if exact:
        kinds, values = sorted({k for k, _ in exact}), sorted({v for _, v in exact})
        parts.append(
            f"SELECT id, kind, value FROM {signatures}"
            f" WHERE kind IN ({_placeholders(kinds)}) AND value IN ({_placeholders(values)})"
            + (" AND comment_id <> %s" if own else "")
        )
        params += [*kinds, *values] + ([comment.pk] if own else [])
    if text:
        keys = minimum_keys(text)
        not_own = f" AND signature_id NOT IN (SELECT id FROM {signatures} WHERE comment_id = %s)"
        parts.append(
            f"SELECT signature_id, %s, %s FROM {minimums} WHERE key IN ({_placeholders(keys)})"
            + (not_own if own else "")
            + " GROUP BY signature_id HAVING COUNT(*) >= %s"
        )
        params += [SpamSignature.Kind.FINGERPRINT.value, "", *keys] + ([comment.pk] if own else [])
        params.append(FINGERPRINT_SIMILARITY * FINGERPRINT_HASHES)
    if not parts:
        return []
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    return [
        Entry(*row)
        for row in rows
        if row[1] == SpamSignature.Kind.FINGERPRINT or (row[1], row[2]) in exact
    ]


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


# What ``match`` says of a comment the list knows by its IP address alone; such a comment is
# held, not spam (``moderation``), with this detail for the moderator.
IP_ONLY = SpamSignature.Kind.IP.value
IP_ONLY_HELD = "ip only: held, as others may share the address"
# A short text the list finds similar, and nothing else: held, not spam. One spam question of
# 8 words ("how long did your flare-ups last?") sent 8 of 21 readers asking the same in their
# own first words to spam, unseen; a spam run's texts are longer than this.
SIMILAR_ONLY = "similar text"
SIMILAR_ONLY_HELD = "similar text only: held, as short texts are often alike"
SIMILAR_SPAM_MIN_WORDS = 20


def short_text(text: str) -> bool:
    """Too short for a text found similar to be taken as spam without a moderator."""
    return len(normalise_words(text).split()) < SIMILAR_SPAM_MIN_WORDS


def match(comment: Comment) -> str:
    """Why the comment is on the spam list ("email", "domain spam.example"...), or ""."""
    found = _matching(comment)
    kinds = []
    for entry in found:
        label = "similar text" if entry.kind == SpamSignature.Kind.FINGERPRINT else entry.kind
        if entry.kind == SpamSignature.Kind.DOMAIN:
            label = f"domain {entry.value}"
        if label not in kinds:
            kinds.append(label)
    return ", ".join(kinds)[:200]


def learn(comment: Comment) -> int:
    """Put the comment's traits on the spam list; return how many entries it now holds for it.

    A trait the list holds already (the same email, IP or domain, a text it finds similar) is
    not added again: those entries are renewed, moved to this comment, so they live as long as
    the latest spam that showed them (``delete_old_spam``), once each. Copies made every later
    check of the same spam read them all: after a moderator marked 3,000 held comments of one
    spam wave, each new one of it took 18 ms to check (up to 69) instead of 0.5 ms."""
    comment.spam_signatures.all().delete()
    listed = SpamSignature.objects.filter(pk__in=[entry.pk for entry in _matching(comment)])
    renewed, copies = {}, []
    for pk, kind, value in listed.order_by("pk").values_list("pk", "kind", "value"):
        if (kind, value) in renewed:
            copies.append(pk)
        else:
            renewed[kind, value] = pk
    SpamSignature.objects.filter(pk__in=copies).delete()
    SpamSignature.objects.filter(pk__in=renewed.values()).update(
        comment=comment, created_at=timezone.now()
    )
    text_listed = any(kind == SpamSignature.Kind.FINGERPRINT for kind, _ in renewed)
    new = [
        SpamSignature(comment=comment, kind=kind, value=value[:254])
        for kind, value in signatures_of(comment)
        if (kind, value[:254]) not in renewed
        and not (kind == SpamSignature.Kind.FINGERPRINT and text_listed)
    ]
    SpamSignature.objects.bulk_create(new, ignore_conflicts=True)
    if any(entry.kind == SpamSignature.Kind.FINGERPRINT for entry in new):  # renewed: indexed
        index_fingerprints(comment.spam_signatures.filter(kind=SpamSignature.Kind.FINGERPRINT))
    held = len(new) + len(renewed)
    logger.info(
        "spam list learned comment=%s entries=%d renewed=%d", comment.pk, held, len(renewed)
    )
    return held


def index_fingerprints(signatures) -> None:
    """Write the minimums of these text fingerprints to the index similar texts are found by."""
    SpamFingerprintMinimum.objects.bulk_create(
        [
            SpamFingerprintMinimum(signature_id=pk, key=key)
            for pk, value in signatures.values_list("pk", "value")
            for key in minimum_keys(value)
        ],
        ignore_conflicts=True,
    )


def forget(comment: Comment) -> int:
    """ "Not spam": remove what the comment taught and the entries that caught it."""
    pks = {entry.pk for entry in _matching(comment)}
    deleted, _ = SpamSignature.objects.filter(Q(comment=comment) | Q(pk__in=pks)).delete()
    logger.info("spam list forgot comment=%s entries=%d", comment.pk, deleted)
    return deleted


DELETE_BATCH = 1000


def delete_old_spam(days: int, *, dry_run: bool = False, batch: int = DELETE_BATCH) -> int:
    """Delete spam submitted more than ``days`` days ago, with its personal data and the
    spam list entries it taught; return how many comments.

    ``batch`` comments at a time, each batch its own transaction: Django reads every row it
    deletes, so one transaction for 30,000 spam comments took 7.7 s and 272 MB, and a site's
    first run over months of spam would hold its locks and memory that much longer."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = Comment.objects.filter(state=Comment.State.SPAM, submit_date__lt=cutoff)
    if dry_run:
        return old.count()
    deleted = 0
    while True:
        with transaction.atomic():
            pks = list(old.order_by("pk").values_list("pk", flat=True)[:batch])
            if not pks:
                break
            # Still spam and still old when deleted: a moderator may have just saved one.
            _, by_model = old.filter(pk__in=pks).delete()
        deleted += by_model.get(Comment._meta.label, 0)
    logger.info("deleted old spam comments=%d older_than_days=%d", deleted, days)
    if deleted:
        _vacuum_spam_list()
    return deleted


def _vacuum_spam_list() -> None:
    """Reclaim the spam list's deleted rows and count what is left, at once (PostgreSQL).

    Until autovacuum comes by (never, where it is off), the planner may count the few rows
    left while the table still holds the dead ones, and read it whole: every post's check took
    12.5 ms instead of 0.5 for 24 live index rows among 2.5 million dead."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return  # VACUUM cannot run inside a transaction
    tables = (SpamSignature._meta.db_table, SpamFingerprintMinimum._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(map(connection.ops.quote_name, tables))}")
