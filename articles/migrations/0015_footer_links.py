"""Footer links editors choose, starting with the five the footer used to hard-code.

Each shipped page still there gets its old link text and place; a page an editor deleted gets
none, and pages editors added are left for them to link.
"""

import django.db.models.deletion
from django.db import migrations, models


SHIPPED = [
    ("/about/", "About"),
    ("/editorial-policy/", "Editorial policy"),
    ("/contact/", "Contact"),
    ("/privacy/", "Privacy"),
    ("/medical-disclaimer/", "Medical disclaimer"),
]


def link_shipped_pages(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    FooterLink = apps.get_model("articles", "FooterLink")
    pages = {page.url: page for page in FlatPage.objects.filter(url__in=dict(SHIPPED))}
    for position, (url, label) in enumerate(SHIPPED, start=1):
        if url in pages:
            FooterLink.objects.get_or_create(
                page=pages[url], defaults={"label": label, "position": position * 10}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_publisher_page"),
        ("flatpages", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="FooterLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        help_text="A word or two, as readers see it in the footer: Privacy, Contact...",
                        max_length=40,
                        verbose_name="link text",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=100,
                        help_text="Links run from the lowest number to the highest. The pages the site came with are 10, 20, 30, 40 and 50; 100 puts a link at the end.",
                        verbose_name="position",
                    ),
                ),
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="footer_link",
                        to="flatpages.flatpage",
                        verbose_name="page",
                    ),
                ),
            ],
            options={
                "verbose_name": "footer link",
                "verbose_name_plural": "footer links",
                "ordering": ["position", "label"],
            },
        ),
        migrations.RunPython(link_shipped_pages, migrations.RunPython.noop),
    ]
