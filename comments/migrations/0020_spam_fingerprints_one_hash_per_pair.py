"""Spam-list text fingerprints are now made with one extendable-output hash per word pair
(``comments.spam.fingerprint``) where a seeded hash each took 24: about a tenth of the time,
on every comment posted. The fingerprints already on the list are computed again from their
comment's text, the new way, so they go on matching (and back the old way on reverse).

The functions are copied here as they are at this migration, as a migration must not change
when the code it was written for does.
"""

import hashlib
import itertools
import re
import struct
import unicodedata

from django.db import migrations

HASHES = 24
MIN_WORDS = 8
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_NOT_WORD = re.compile(r"[^\w']+")
_STRUCT = struct.Struct(f">{HASHES}I")


def _shingles(text):
    value = unicodedata.normalize("NFKC", text or "").casefold().translate(_APOSTROPHES)
    value = "".join(char for char in value if unicodedata.category(char) != "Cf")
    words = _NOT_WORD.sub(" ", value).split()
    if len(words) < MIN_WORDS:
        return set()
    return {f"{a} {b}".encode() for a, b in itertools.pairwise(words)}


def fingerprint_new(text):
    shingles = _shingles(text)
    if not shingles:
        return ""
    rows = (_STRUCT.unpack(hashlib.shake_128(s).digest(_STRUCT.size)) for s in shingles)
    return "".join(f"{min(column):08x}" for column in zip(*rows, strict=True))


def fingerprint_old(text):
    shingles = _shingles(text)
    if not shingles:
        return ""

    def seeded(shingle, seed):
        digest = hashlib.blake2b(shingle, digest_size=4, salt=bytes([seed]) * 16).digest()
        return int.from_bytes(digest)

    return "".join(f"{min(seeded(s, seed) for s in shingles):08x}" for seed in range(HASHES))


def _recompute(fingerprint):
    def run(apps, schema_editor):
        SpamSignature = apps.get_model("comments", "SpamSignature")
        for entry in SpamSignature.objects.filter(kind="text").select_related("comment"):
            value = fingerprint(entry.comment.comment)
            if value:
                SpamSignature.objects.filter(pk=entry.pk).update(value=value)
            else:
                entry.delete()

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0019_reasons_for_health_rules_and_renamed_trust"),
    ]

    operations = [
        migrations.RunPython(_recompute(fingerprint_new), _recompute(fingerprint_old)),
    ]
