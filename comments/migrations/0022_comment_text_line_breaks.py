"""Comments stored before readers' text was cleaned to LF line breaks keep the browser's CRLF.
A writer who opens such a comment's "Edit" and sends it back unchanged sends LF, which did not
match: an earlier version identical to the text was recorded (and the comment judged again).
This turns the stored CRLF and CR into LF, as ``comments.text.clean_comment_text`` does for
every text now. The page shows the same (``linebreaks`` reads both alike), so no cached page
changes. Nothing to undo: LF is what every text is stored with today.
"""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Replace


def lf_line_breaks(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    crlf_to_lf = Replace(F("comment"), Value("\r\n"), Value("\n"))
    Comment.objects.filter(comment__contains="\r").update(
        comment=Replace(crlf_to_lf, Value("\r"), Value("\n"))
    )


class Migration(migrations.Migration):
    dependencies = [("comments", "0021_spam_fingerprint_minimums")]

    operations = [migrations.RunPython(lf_line_breaks, migrations.RunPython.noop, elidable=True)]
