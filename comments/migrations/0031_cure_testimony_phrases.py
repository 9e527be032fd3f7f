"""Two more cure promises to start from: "turmeric cured me" was published at once, where
"cured my neuropathy" was held. Moderators may remove them in the admin, as any other."""

from django.db import migrations

PHRASES = ["cured me", "healed me"]


def forward(apps, schema_editor):
    Pattern = apps.get_model("comments", "MedicalClaimPattern")
    for phrase in PHRASES:
        Pattern.objects.get_or_create(kind="phrase", pattern=phrase, defaults={"category": "cure"})


def backward(apps, schema_editor):
    Pattern = apps.get_model("comments", "MedicalClaimPattern")
    Pattern.objects.filter(kind="phrase", pattern__in=PHRASES).delete()


class Migration(migrations.Migration):
    dependencies = [("comments", "0030_verified_email_browsers")]

    operations = [migrations.RunPython(forward, backward)]
