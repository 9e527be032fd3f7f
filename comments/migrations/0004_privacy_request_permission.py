from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
CODENAME = "privacy_request"


def grant_to_moderators(apps, schema_editor):
    # Permissions are normally created after all migrations; create this one now to attach it.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="comments", codename=CODENAME)
    for group in Group.objects.filter(name=GROUP):
        group.permissions.add(permission)


def revoke_from_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(
        content_type__app_label="comments", codename=CODENAME
    ):
        for group in Group.objects.filter(name=GROUP):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_comment_wp_comment_id"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="comment",
            options={
                "ordering": ["thread_id", "order"],
                "permissions": [
                    ("moderate_comment", "Can approve, mark as spam or remove comments"),
                    ("privacy_request", "Can export and erase a commenter's data"),
                ],
                "verbose_name": "comment",
                "verbose_name_plural": "comments",
            },
        ),
        migrations.RunPython(grant_to_moderators, revoke_from_moderators),
    ]
