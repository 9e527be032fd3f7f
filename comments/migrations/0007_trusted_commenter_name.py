"""Trust holds for one name: existing trust takes the name of the commenter's latest approved
comment from that browser and address (none found: the next comment is held once)."""

from django.db import migrations, models


def name_existing_trust(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    TrustedCommenter = apps.get_model("comments", "TrustedCommenter")
    for trusted in TrustedCommenter.objects.filter(name=""):
        name = (
            Comment.objects.filter(
                commenter_key_hash=trusted.key_hash,
                user_email__iexact=trusted.email,
                state="published",
            )
            .order_by("-submit_date", "-pk")
            .values_list("user_name", flat=True)
            .first()
        )
        if name:
            trusted.name = name
            trusted.save(update_fields=["name"])


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0006_moderators_restore_article_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='trustedcommenter',
            name='name',
            field=models.CharField(blank=True, help_text='The name the approved comment was signed with.', max_length=50, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='comment',
            name='reason',
            field=models.CharField(blank=True, choices=[('not_trusted', 'First comment from this commenter'), ('links', 'Two or more links'), ('hold_word', 'Matches the hold list'), ('hold_all', 'Article holds all comments'), ('trusted', 'Returning approved commenter'), ('name_changed', 'Trusted commenter using another name'), ('staff', 'Written by the site'), ('imported', 'Imported from WordPress')], max_length=12, verbose_name='reason'),
        ),
        migrations.RunPython(name_existing_trust, migrations.RunPython.noop),
    ]
