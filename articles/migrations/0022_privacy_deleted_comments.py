"""The privacy page says what becomes of a comment its writer deleted: no longer shown, still
read by the moderators for 30 days (``COMMENTS_SPAM_RETENTION_DAYS``, then emptied by
``make clear-spam``) or until erasure, which covers it (and the earlier versions of edited
comments, which ``comments.privacy`` deletes too). The page after deleting a comment links
to its erasure section. Changed only where the page still has the lines as shipped (editors
may have written their own page), and put back on the way back.
"""

from django.db import migrations

URL = "/privacy/"
HOW_LONG = (
    "IP addresses: 30 days. Everything else: as long as your comment is on the site, or "
    "until you ask us to erase it."
)
DELETED = (
    " A comment you delete yourself is no longer shown to anyone; the moderators can still "
    "read it for 30 days, then its words, your name, email and IP address are removed from "
    "it. You can ask us to erase it sooner (below)."
)
ERASURE = (
    'your words are either removed (replaced by "[removed at the author\'s request]") or kept '
    "without your name, as you prefer."
)
COVERED = (
    " Erasure covers every comment you wrote with that address, the ones you deleted "
    "yourself included, and the earlier versions of the comments you edited."
)


def _change(apps, changes):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    for page in FlatPage.objects.filter(url=URL):
        content = page.content
        for old, new in changes:
            # Once only: a page already changed (or written so by an editor) stays as it is.
            if old in content and (len(new) < len(old) or new not in content):
                content = content.replace(old, new, 1)
        if content != page.content:
            page.content = content
            page.save(update_fields=["content"])


def add(apps, schema_editor):
    _change(apps, [(HOW_LONG, HOW_LONG + DELETED), (ERASURE, ERASURE + COVERED)])


def remove(apps, schema_editor):
    _change(apps, [(HOW_LONG + DELETED, HOW_LONG), (ERASURE + COVERED, ERASURE)])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0021_search_text_full_stops_after_brackets"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(add, remove)]
