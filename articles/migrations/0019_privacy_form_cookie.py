"""The privacy page names the comment form's token cookie (``np_form``), which an article's
page sets for every reader. Added under the "remember me" cookie while the page still has that
line as shipped (editors may have written their own page), and taken out again on the way back.
"""

from django.db import migrations

URL = "/privacy/"
AFTER = (
    '- `np_remember` is set only if you tick "remember me": it keeps your name, email and '
    "website to fill in the form next time. Post without ticking the box to remove it.\n"
)
FORM_COOKIE = (
    "- `np_form` is set by an article's page, where the comment form is. It holds a random "
    "number and the time the page was served, signed by the site, so that a form is posted "
    "only once and not by a program within seconds. It says nothing about who you are and "
    "lasts a day.\n"
)


def _change(apps, old, new):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    for page in FlatPage.objects.filter(url=URL, content__contains=old):
        if old != AFTER or FORM_COOKIE not in page.content:
            page.content = page.content.replace(old, new, 1)
            page.save(update_fields=["content"])


def add(apps, schema_editor):
    _change(apps, AFTER, AFTER + FORM_COOKIE)


def remove(apps, schema_editor):
    _change(apps, AFTER + FORM_COOKIE, AFTER)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_body_image_names"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(add, remove)]
