from urllib.parse import urlsplit

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.db.models.signals import post_migrate


class NervepainConfig(AppConfig):
    """The project package as an app, for project-wide management commands (wait_for_schema),
    and the site's record kept in step with its settings."""

    name = "nervepain"
    default = True

    def ready(self):
        # After the sites app's own handler, which creates the record (this app has no models,
        # so migrate sends it no signal of its own).
        sites = self.apps.get_app_config("sites")
        post_migrate.connect(sync_site_record, sender=sites, dispatch_uid="sync_site_record")
        checks.register(check_site_url, checks.Tags.security, deploy=True)


def check_site_url(app_configs=None, **kwargs) -> list:
    """Deploy check: ``SITE_URL`` is the public https address. Every link in an email is made
    from it, with nothing to catch a wrong one: left unset, each email led to the local
    server (http://127.0.0.1:8000), and a one-click unsubscribe needs https (RFC 8058)."""
    if urlsplit(settings.SITE_URL).scheme == "https":
        return []
    return [
        checks.Warning(
            f"SITE_URL is {settings.SITE_URL!r}: the links in emails, feeds and the sitemap "
            "lead there.",
            hint="Set DJANGO_SITE_URL to the site's public https address.",
            id="nervepain.W001",
        )
    ]


def sync_site_record(using, apps=global_apps, **kwargs):
    """contrib.sites' record says what ``SITE_URL`` and ``SITE_NAME`` say, after every migrate.

    Our links, feeds and sitemap use ``SITE_URL``; the admin's "View on site" (Django's view)
    and its Sites list use the record, which otherwise stays "example.com", the placeholder
    it starts with: "View on site" sent editors to http://example.com/articles/...

    ``flush`` sends the signal without ``apps`` (as Django's own receivers allow): the
    installed apps then."""
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain[:100], "name": settings.SITE_NAME[:50]}
    )


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with ``nervepain.admin_site.AdminSite`` as its default site."""

    default = False  # named in INSTALLED_APPS; "nervepain" alone means NervepainConfig
    default_site = "nervepain.admin_site.AdminSite"
