"""An index of the spam list's text fingerprints by their minimums: a new comment's
fingerprint finds the similar ones through it (``comments.spam._matching``) instead of being
compared with every fingerprint on the list. The fingerprints already on the list are indexed
here; reversing drops the index with its table.

The key is copied here as it is at this migration, as a migration must not change when the code
it was written for does.
"""

import django.db.models.deletion
from django.db import migrations, models


def minimum_keys(value):
    return [f"{i // 8:02d}{value[i : i + 8]}" for i in range(0, len(value), 8)]


def index_fingerprints(apps, schema_editor):
    SpamSignature = apps.get_model("comments", "SpamSignature")
    SpamFingerprintMinimum = apps.get_model("comments", "SpamFingerprintMinimum")
    fingerprints = SpamSignature.objects.filter(kind="text").values_list("pk", "value")
    batch = []
    for pk, value in fingerprints.iterator(chunk_size=1000):
        batch += [SpamFingerprintMinimum(signature_id=pk, key=key) for key in minimum_keys(value)]
        if len(batch) >= 10000:
            SpamFingerprintMinimum.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SpamFingerprintMinimum.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0020_spam_fingerprints_one_hash_per_pair"),
    ]

    operations = [
        migrations.CreateModel(
            name="SpamFingerprintMinimum",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=10)),
                (
                    "signature",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="minimums",
                        to="comments.spamsignature",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["key"], name="spam_minimum_lookup")],
                "constraints": [
                    models.UniqueConstraint(fields=("signature", "key"), name="unique_spam_minimum")
                ],
            },
        ),
        migrations.RunPython(index_fingerprints, migrations.RunPython.noop),
    ]
