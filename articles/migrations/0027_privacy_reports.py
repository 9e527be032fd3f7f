"""The privacy page says that reporting a comment sets the commenter key too, and what a report
keeps. Changed only where the page still has the lines as shipped (editors may have written
their own page); put back on the way back."""

from django.db import migrations

URL = "/privacy/"
KEY_OLD = "- `np_commenter` is set when you post a comment."
KEY_NEW = "- `np_commenter` is set when you post or report a comment."
BEFORE = "## Why\n"
REPORTS = (
    "## When you report a comment\n\n"
    "We keep the reason you chose, anything you wrote and when, for the moderators only, with "
    "the fingerprint of your browser's key (its cookie, above), so that one browser's reports "
    "count once. Reports are in your copy of your data and go with an erasure (below).\n\n"
)


def _change(apps, changes):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    for page in FlatPage.objects.filter(url=URL):
        content = page.content
        for old, new, done in changes:
            if old in content and done not in content:
                content = content.replace(old, new, 1)
        if content != page.content:
            page.content = content
            page.save(update_fields=["content"])


def add(apps, schema_editor):
    _change(apps, [(KEY_OLD, KEY_NEW, KEY_NEW), (BEFORE, REPORTS + BEFORE, REPORTS)])


def remove(apps, schema_editor):
    _change(apps, [(KEY_NEW, KEY_OLD, KEY_OLD), (REPORTS + BEFORE, BEFORE, "\x00")])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0026_citations_back_to_text_and_search_text"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(add, remove)]
