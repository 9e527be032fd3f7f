"""The publisher's pages in the admin as "Pages" (a proxy of Django's flatpages).

The admin now checks the proxy's permissions (``articles.change_publisherpage``...): whoever
held a flatpage permission, a group or a user, is given the proxy's same permission.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ["add", "change", "delete", "view"]


def _permissions(apps, app_label, model):
    # Permissions are normally created after all migrations; create them now to attach them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(
        content_type__app_label=app_label,
        content_type__model=model,
        codename__in=[f"{action}_{model}" for action in ACTIONS],
    )
    return {permission.codename.split("_", 1)[0]: permission for permission in found}


def copy_flatpage_permissions(apps, schema_editor):
    flatpage = _permissions(apps, "flatpages", "flatpage")
    page = _permissions(apps, "articles", "publisherpage")
    for action, old in flatpage.items():
        new = page[action]
        for group in old.group_set.all():
            group.permissions.add(new)
        for user in old.user_set.all():
            user.user_permissions.add(new)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_publisher_pages_in_markdown"),
        ("flatpages", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublisherPage",
            fields=[],
            options={
                "verbose_name": "page",
                "verbose_name_plural": "pages",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("flatpages.flatpage",),
        ),
        migrations.RunPython(copy_flatpage_permissions, migrations.RunPython.noop),
    ]
