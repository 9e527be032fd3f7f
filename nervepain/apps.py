from urllib.parse import urlsplit

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.admin import apps as admin_apps
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
