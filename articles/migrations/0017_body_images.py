"""The editors' uploaded images (Articles, Images): a row for each image uploaded in the article editor. Images
uploaded before it are found in storage (``uploads/``, on disk or in the bucket) by the names
uploads are given (``<32 hex>-<width>x<height>.<ext>``; their ``-480w``/``-960w`` copies are
not images of their own), and listed as uploaded when storage says they were stored.
Reversing drops the table; the files stay.
"""

import re

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import migrations, models

UPLOADED = re.compile(r"^[0-9a-f]{32}-(\d+)x(\d+)\.(?:jpg|png|gif|webp)$")


def list_uploads(apps, schema_editor):
    BodyImage = apps.get_model("articles", "BodyImage")
    folder = settings.MARKDOWNX_MEDIA_PATH
    try:
        _folders, names = default_storage.listdir(folder.rstrip("/"))
    except FileNotFoundError:
        return
    for name in sorted(names):
        match = UPLOADED.match(name)
        if match is None:
            continue
        path = f"{folder}{name}"
        try:
            stored = default_storage.get_modified_time(path)
        except (NotImplementedError, OSError):
            stored = django.utils.timezone.now()
        BodyImage.objects.get_or_create(
            path=path,
            defaults={
                "width": int(match[1]),
                "height": int(match[2]),
                "uploaded_at": stored,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_header_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BodyImage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("path", models.CharField(max_length=255, unique=True, verbose_name="stored as")),
                ("width", models.PositiveIntegerField(verbose_name="width")),
                ("height", models.PositiveIntegerField(verbose_name="height")),
                (
                    "uploaded_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="uploaded"
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "image",
                "verbose_name_plural": "images",
                "ordering": ["-uploaded_at", "-pk"],
            },
        ),
        migrations.RunPython(list_uploads, migrations.RunPython.noop),
    ]
