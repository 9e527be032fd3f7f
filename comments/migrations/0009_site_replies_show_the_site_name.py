from django.conf import settings
from django.db import migrations


def forward(apps, schema_editor):
    """Replies written as the site showed the moderator's login or full name to readers; they
    now show the site's reply name, as new ones do."""
    Comment = apps.get_model("comments", "Comment")
    name = getattr(settings, "COMMENTS_SITE_REPLY_NAME", settings.SITE_NAME)
    Comment.objects.filter(from_site=True).exclude(user_name=name).update(user_name=name)


class Migration(migrations.Migration):
    dependencies = [("comments", "0008_moderator_profile")]

    # Backward leaves the names as they are: the login names are not worth bringing back.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
