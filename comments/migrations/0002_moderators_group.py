from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
# (app_label, codename): everything a moderator needs, and nothing of a superuser's.
PERMISSIONS = [
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("comments", "moderate_comment"),
    ("comments", "view_moderationword"),
    ("comments", "add_moderationword"),
    ("comments", "change_moderationword"),
    ("comments", "delete_moderationword"),
    ("comments", "view_trustedcommenter"),
    ("comments", "delete_trustedcommenter"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to attach them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
