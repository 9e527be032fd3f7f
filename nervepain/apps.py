from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin app, with ``nervepain.admin_site.AdminSite`` as its default site."""

    default_site = "nervepain.admin_site.AdminSite"
