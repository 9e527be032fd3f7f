"""English crisis phrases to start from, the crisis support text's row, and the Moderators'
right to maintain both. Moderators add other languages' phrases in the admin.

"suicide" alone is left out on purpose: readers here write about trigeminal neuralgia, "the
suicide disease", and that is not a crisis.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PHRASES = [
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "end it all",
    "take my own life",
    "taking my own life",
    "want to die",
    "wanna die",
    "wish i was dead",
    "wish i were dead",
    "better off dead",
    "better off without me",
    "suicidal",
    "commit suicide",
    "thinking about suicide",
    "don't want to live",
    "do not want to live",
    "no reason to live",
    "not worth living",
    "can't go on",
    "cannot go on",
    "hurt myself",
    "harm myself",
    "self harm",
    "cut myself",
    "overdose on purpose",
    "say goodbye to everyone",
]

GROUP = "Moderators"
PERMISSIONS = [
    "view_crisisphrase",
    "add_crisisphrase",
    "change_crisisphrase",
    "delete_crisisphrase",
    "view_crisissupport",
    "change_crisissupport",
]


def _permissions(apps):
    # Permissions are normally created after all migrations; create them now to attach them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(Permission.objects.filter(content_type__app_label="comments", codename__in=PERMISSIONS))


def forward(apps, schema_editor):
    CrisisPhrase = apps.get_model("comments", "CrisisPhrase")
    for phrase in PHRASES:
        CrisisPhrase.objects.get_or_create(phrase=phrase, language="en")
    apps.get_model("comments", "CrisisSupport").objects.get_or_create(pk=1)
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def backward(apps, schema_editor):
    apps.get_model("comments", "CrisisPhrase").objects.filter(
        phrase__in=PHRASES, language="en"
    ).delete()
    apps.get_model("comments", "CrisisSupport").objects.filter(pk=1).delete()
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("comments", "0011_crisis_care")]

    operations = [migrations.RunPython(forward, backward)]
