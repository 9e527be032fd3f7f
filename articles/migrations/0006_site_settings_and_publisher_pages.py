"""Site settings (the editors' contact address) and the publisher's pages: About, Editorial
policy and Contact, as flatpages staff edit in the admin. The Privacy page (comments app) is
shown with the contact address too. Going back removes what this created."""

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models

CONTACT_TEMPLATE = "flatpages/with_contact.html"
PRIVACY_URL = "/privacy/"
# A reserved example address until the editors set theirs (Articles › Site settings).
PLACEHOLDER_EMAIL = "editors@example.org"

PAGES = [
    {
        "url": "/about/",
        "title": "About nervepain",
        "template_name": "",
        "content": (
            "<p>nervepain publishes plain-language information about nerve pain: what causes "
            "it, how it is treated, and how people live with it. We write for patients and the "
            "people who care for them.</p>\n"
            "<h2>Who writes and reviews our articles</h2>\n"
            "<p>Every article names who wrote it. Articles are checked by a health professional "
            "before we say they are medically reviewed, and each one shows who reviewed it and "
            "when. Each author and reviewer has a profile page with their qualifications.</p>\n"
            "<h2>How we are funded</h2>\n"
            "<p>We carry no advertising and no trackers. We do not accept payment to publish or "
            "change an article.</p>\n"
            '<p>Read our <a href="/editorial-policy/">editorial policy</a>, or '
            '<a href="/contact/">contact the editors</a>.</p>'
        ),
    },
    {
        "url": "/editorial-policy/",
        "title": "Editorial policy",
        "template_name": "",
        "content": (
            "<p>This page explains how we write, check and update the health information on "
            "this site.</p>\n"
            "<h2>Sources</h2>\n"
            "<p>We base articles on current clinical guidance and peer-reviewed research, and "
            "list the sources each article uses under “References”.</p>\n"
            "<h2>Medical review</h2>\n"
            "<p>An article is marked “Medically reviewed” only after a named health "
            "professional has read it for accuracy. The review date is shown on the article, "
            "and every article is due for review again within a year.</p>\n"
            "<h2>Corrections</h2>\n"
            '<p>If you find a mistake, please <a href="/contact/">tell us</a>. We correct '
            "errors promptly and update the “Last updated” date.</p>\n"
            "<h2>Independence</h2>\n"
            "<p>We do not publish sponsored content. Calls to action on articles are labelled "
            "and kept apart from the information.</p>"
        ),
    },
    {
        "url": "/contact/",
        "title": "Contact the editors",
        "template_name": CONTACT_TEMPLATE,
        "content": (
            "<p>Write to us about a mistake in an article, a question about our editorial "
            "policy, or a request about your personal data.</p>\n"
            "<p>We cannot give personal medical advice. If you are worried about your "
            "symptoms, speak to your doctor; in an emergency, call your local emergency "
            "number.</p>"
        ),
    },
]
URLS = [page["url"] for page in PAGES]


def _site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    site, created = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "example.com", "name": "example.com"}
    )
    if created:
        # An explicit id does not move PostgreSQL's sequence: the next site would clash.
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Site]):
                cursor.execute(statement)
    return site


def create_pages(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    SiteSettings = apps.get_model("articles", "SiteSettings")
    SiteSettings.objects.get_or_create(pk=1, defaults={"contact_email": PLACEHOLDER_EMAIL})
    site = _site(apps, schema_editor)
    for page in PAGES:
        flatpage, _ = FlatPage.objects.get_or_create(
            url=page["url"],
            defaults={key: value for key, value in page.items() if key != "url"},
        )
        flatpage.sites.add(site)
    FlatPage.objects.filter(url=PRIVACY_URL, template_name="").update(
        template_name=CONTACT_TEMPLATE
    )


def delete_pages(apps, schema_editor):
    FlatPage = apps.get_model("flatpages", "FlatPage")
    FlatPage.objects.filter(url__in=URLS).delete()
    FlatPage.objects.filter(url=PRIVACY_URL, template_name=CONTACT_TEMPLATE).update(
        template_name=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_medical_disclaimer_flatpage"),
        ("comments", "0005_privacy_page"),
        ("flatpages", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "contact_email",
                    models.EmailField(
                        help_text=(
                            "Where readers write to the editors; shown on the Contact and "
                            "Privacy pages."
                        ),
                        max_length=254,
                        verbose_name="contact email",
                    ),
                ),
                (
                    "postal_address",
                    models.TextField(
                        blank=True,
                        help_text="Optional; shown on the Contact page.",
                        verbose_name="postal address",
                    ),
                ),
            ],
            options={"verbose_name": "site settings", "verbose_name_plural": "site settings"},
        ),
        migrations.RunPython(create_pages, delete_pages),
    ]
