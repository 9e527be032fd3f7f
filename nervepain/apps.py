from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NervepainConfig(AppConfig):
    """The project package as an app, for project-wide management commands (wait_for_schema)."""

    name = "nervepain"
    default = True


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app, with ``nervepain.admin_site.AdminSite`` as its default site."""

    default = False  # named in INSTALLED_APPS; "nervepain" alone means NervepainConfig
    default_site = "nervepain.admin_site.AdminSite"
