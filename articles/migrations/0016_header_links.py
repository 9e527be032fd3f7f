"""Header links editors choose, after Topics, starting with the About the header used to
show while its page existed: the About page, if it is still there, gets its link.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_about(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    HeaderLink = apps.get_model("articles", "HeaderLink")
    about = FlatPage.objects.filter(url="/about/").first()
    if about is not None:
        HeaderLink.objects.get_or_create(page=about, defaults={"label": "About", "position": 10})


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_footer_links"),
        ("flatpages", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="footerlink",
            name="label",
            field=models.CharField(
                help_text="A word or two, as readers see the link: About, Privacy, Contact...",
                max_length=40,
                verbose_name="link text",
            ),
        ),
        migrations.AlterField(
            model_name="footerlink",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=100,
                help_text="Links run from the lowest number to the highest; 100 puts a link at the end.",
                verbose_name="position",
            ),
        ),
        migrations.CreateModel(
            name="HeaderLink",
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
                        help_text="A word or two, as readers see the link: About, Privacy, Contact...",
                        max_length=40,
                        verbose_name="link text",
                    ),
                ),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=100,
                        help_text="Links run from the lowest number to the highest; 100 puts a link at the end.",
                        verbose_name="position",
                    ),
                ),
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="header_link",
                        to="flatpages.flatpage",
                        verbose_name="page",
                    ),
                ),
            ],
            options={
                "verbose_name": "header link",
                "verbose_name_plural": "header links",
                "ordering": ["position", "label"],
                "abstract": False,
            },
        ),
        migrations.RunPython(link_about, migrations.RunPython.noop),
    ]
