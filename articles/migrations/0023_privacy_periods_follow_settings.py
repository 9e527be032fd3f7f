"""The privacy page's periods follow the site's settings: "30 days" was written into the page,
and stayed 30 when ``COMMENTS_IP_RETENTION_DAYS`` or ``COMMENTS_SPAM_RETENTION_DAYS`` said
otherwise (the pages after deleting a comment already follow them). The shipped sentences get
``{ip_days}`` and ``{deleted_days}``, which ``article_pages.page_text`` fills in. Changed only
where the page still has them as shipped (editors may have written their own page), and put
back on the way back.
"""

from django.db import migrations

URL = "/privacy/"
CHANGES = [
    ("It is deleted 30 days after you comment.", "It is deleted {ip_days} after you comment."),
    ("IP addresses: 30 days.", "IP addresses: {ip_days}."),
    ("the moderators can still read it for 30 days,", "the moderators can still read it for {deleted_days},"),
]


def _change(apps, changes):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    for page in FlatPage.objects.filter(url=URL):
        content = page.content
        for old, new in changes:
            content = content.replace(old, new)
        if content != page.content:
            page.content = content
            page.save(update_fields=["content"])


def add(apps, schema_editor):
    _change(apps, CHANGES)


def remove(apps, schema_editor):
    _change(apps, [(new, old) for old, new in CHANGES])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0022_privacy_deleted_comments"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(add, remove)]
