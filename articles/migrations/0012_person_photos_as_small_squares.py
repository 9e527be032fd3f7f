"""People's photos as readers see them: a small square without the camera's metadata.

New photos are stored so by the admin (``articles.admin.PersonAdminForm``); this re-encodes
those uploaded before, which were kept as sent, GPS position included. Self-contained (a
migration must not change when the app's code does): the same steps as
``articles.uploads.RasterImageForm`` with ``square=288``. A file that is missing or does not
decode is left as it is.

Not atomic: files are not rolled back with a transaction, so each row is updated as soon as its
new file is stored, and only then is the old file deleted. A failure part way leaves the photos
done so far done, and the rest as they were.
"""

import uuid
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import migrations, models

SIZE = 288
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def reencode_photos(apps, schema_editor):
    from PIL import Image, ImageOps

    Person = apps.get_model("articles", "Person")
    for person in Person.objects.exclude(photo=""):
        old = person.photo.name
        try:
            with person.photo.open("rb") as file, Image.open(file) as image:
                image.load()
                image_format = image.format
                ImageOps.exif_transpose(image, in_place=True)
                side = min(SIZE, image.width, image.height)
                square = ImageOps.fit(image, (side, side))
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            continue
        if image_format == "MPO":  # a phone's JPEG with more pictures in it (a depth map)
            image_format = "JPEG"
        elif image_format not in FORMATS:
            image_format = "PNG"
        if image_format == "JPEG" and square.mode not in ("RGB", "L"):
            square = square.convert("RGB")
        buffer = BytesIO()
        square.save(buffer, image_format, quality=85, comment=b"")
        person.photo.save(
            f"{uuid.uuid4().hex}.{FORMATS[image_format]}", ContentFile(buffer.getvalue()), save=False
        )
        Person.objects.filter(pk=person.pk).update(photo=person.photo.name)
        person.photo.storage.delete(old)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0011_article_autosave_draft"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="photo",
            field=models.ImageField(
                blank=True,
                help_text=(
                    "A portrait, shown as a small circle: kept as the square at its centre, "
                    "without the camera's details (such as where it was taken)."
                ),
                upload_to="people/",
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(reencode_photos, migrations.RunPython.noop),
    ]
