"""An Editors group, as the Moderators group is made: every permission of the articles app
(articles, their references and versions, topics, tags, people, images, calls-to-action, the
site's pages and links, its settings), and nothing of the comments' or a superuser's. An
administrator made an editor by ticking some fifty permissions one by one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to attach them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="articles"))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0024_search_topics"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Going back keeps the group: by then it may hold editors and an administrator's changes
    # (and on PostgreSQL a group made again after a restore of the rows took a used id).
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
