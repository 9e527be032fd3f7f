"""Medical claim phrases and patterns to start from, and the Moderators' right to maintain
them. Each is a starting point: moderators add, change and remove them in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NUMBER = r"\d+(?:[.,]\d+)?"
UNIT = r"(?:mg|mcg|µg|g|ml|iu|units?|tablets?|pills?|capsules?|drops?|puffs?)"
DRUGS = (
    r"(?:medications?|meds|medicines?|pills|tablets|prescriptions?|treatment|insulin|"
    r"gabapentin|pregabalin|lyrica|neurontin|duloxetine|cymbalta|amitriptyline|"
    r"antidepressants?|painkillers?|opioids?|steroids?|chemo(?:therapy)?)"
)
DEFAULTS = [
    # Dosing instructions
    ("dosing", "pattern", rf"\b(?:take|try|start on|go up to|increase (?:it |the dose )?to)\b[^.!?\n]{{0,40}}?\b{NUMBER} ?{UNIT}\b"),
    ("dosing", "pattern", rf"\b{NUMBER} ?(?:mg|mcg|ml|iu)\b[^.!?\n]{{0,30}}?\b(?:a day|daily|per day|twice|three times|every \d+ hours|at night)\b"),
    ("dosing", "phrase", "double your dose"),
    ("dosing", "phrase", "double the dose"),
    # Stopping or changing prescribed treatment
    ("stop", "pattern", rf"\b(?:stop|quit|ditch|drop|come off|get off|throw away|flush)\b[^.!?\n]{{0,30}}?\b{DRUGS}"),
    ("stop", "phrase", "instead of your medication"),
    ("stop", "phrase", "you don't need your medication"),
    ("stop", "phrase", "don't listen to your doctor"),
    ("stop", "phrase", "doctors don't want you to know"),
    # Cure promises
    ("cure", "pattern", r"\b(?:cure[sd]?|heal(?:s|ed)?|reverse[sd]?)\b[^.!?\n]{0,25}?\b(?:neuropathy|nerve (?:pain|damage)|fibromyalgia|diabetes|cancer|sciatica|neuralgia)\b"),
    ("cure", "phrase", "miracle cure"),
    ("cure", "phrase", "guaranteed cure"),
    ("cure", "phrase", "100% cure"),
    ("cure", "phrase", "permanent cure"),
    ("cure", "phrase", "cured my"),
    # Promotion of products or clinics
    ("promotion", "phrase", "buy now"),
    ("promotion", "phrase", "order now"),
    ("promotion", "phrase", "discount code"),
    ("promotion", "phrase", "promo code"),
    ("promotion", "phrase", "use my code"),
    ("promotion", "phrase", "visit our clinic"),
    ("promotion", "phrase", "book a consultation"),
    ("promotion", "phrase", "free trial"),
    ("promotion", "phrase", "limited offer"),
    ("promotion", "phrase", "whatsapp me"),
    ("promotion", "phrase", "dm me"),
]

GROUP = "Moderators"
PERMISSIONS = [
    "view_medicalclaimpattern",
    "add_medicalclaimpattern",
    "change_medicalclaimpattern",
    "delete_medicalclaimpattern",
]


def _permissions(apps):
    # Permissions are normally created after all migrations; create them now to attach them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.filter(content_type__app_label="comments", codename__in=PERMISSIONS)
    )


def forward(apps, schema_editor):
    Pattern = apps.get_model("comments", "MedicalClaimPattern")
    for category, kind, pattern in DEFAULTS:
        Pattern.objects.get_or_create(kind=kind, pattern=pattern, defaults={"category": category})
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def backward(apps, schema_editor):
    Pattern = apps.get_model("comments", "MedicalClaimPattern")
    for _category, kind, pattern in DEFAULTS:
        Pattern.objects.filter(kind=kind, pattern=pattern).delete()
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("comments", "0013_medical_claims")]

    operations = [migrations.RunPython(forward, backward)]
