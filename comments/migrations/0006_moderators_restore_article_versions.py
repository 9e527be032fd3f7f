"""Moderators may read an article's saved versions, compare two and restore one. They still
cannot edit an article: restoring is its own permission, not "change article"."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
PERMISSIONS = [
    ("articles", "view_article"),
    ("articles", "view_reference"),
    ("articles", "view_reviewer"),
    ("articles", "restore_article_version"),
]


def _permissions(apps):
    # Permissions are normally created after all migrations; create them now to attach them,
    # for the models as they were at this point (a later migration renames Reviewer).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in PERMISSIONS
    ]


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0005_privacy_page"),
        ("articles", "0003_medical_review_references_and_reading_aids"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
