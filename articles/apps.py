from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles import pagecache

        pagecache.connect_invalidation()

        # Tagging an article changes its page, its tags' pages and related articles.
        from articles.models import Article

        m2m_changed.connect(
            pagecache.invalidate, sender=Article.tags.through, dispatch_uid="pagecache-tags"
        )

        from django.contrib.flatpages.models import FlatPage

        from articles.disclaimer import forget_medical_disclaimer

        uid = "articles.forget_medical_disclaimer"
        post_save.connect(forget_medical_disclaimer, sender=FlatPage, dispatch_uid=uid)
        post_delete.connect(forget_medical_disclaimer, sender=FlatPage, dispatch_uid=uid)
        m2m_changed.connect(
            forget_medical_disclaimer, sender=FlatPage.sites.through, dispatch_uid=uid
        )

        from articles.models import SiteSettings
        from articles.site_pages import forget_site_settings

        uid = "articles.forget_site_settings"
        post_save.connect(forget_site_settings, sender=SiteSettings, dispatch_uid=uid)
        post_delete.connect(forget_site_settings, sender=SiteSettings, dispatch_uid=uid)
