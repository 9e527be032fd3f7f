"""The site-wide medical disclaimer, as a flatpage staff can edit; shown on every article."""

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations

URL = "/medical-disclaimer/"
TITLE = "Medical disclaimer"
TEMPLATE = "flatpages/medical_disclaimer.html"
CONTENT = (
    "<p>The articles on this site are general health information, not medical advice. "
    "They cannot take into account your own history, symptoms or treatment, and they do not "
    "replace a consultation with your doctor, physical therapist or another qualified health "
    "professional.</p>\n"
    "<p>Do not ignore professional advice or delay seeking it because of something you read "
    "here. If you think you may have a medical emergency, call your local emergency number "
    "at once.</p>"
)


def create_disclaimer(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    # contrib.sites creates its default site only after all migrations; create it now if need
    # be, and move PostgreSQL's sequence past it as contrib.sites does.
    site, created = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "example.com", "name": "example.com"}
    )
    if created:
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Site]):
                cursor.execute(statement)
    page, _ = FlatPage.objects.get_or_create(
        url=URL, defaults={"title": TITLE, "content": CONTENT, "template_name": TEMPLATE}
    )
    page.sites.add(site)


def delete_disclaimer(apps, schema_editor):
    apps.get_model("flatpages", "FlatPage").objects.filter(url=URL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_render_anchors_contents_and_word_counts"),
        ("flatpages", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(create_disclaimer, delete_disclaimer)]
