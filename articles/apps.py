from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from articles import pagecache

        pagecache.connect_invalidation()
        checks.register(pagecache.check_counters_cache, checks.Tags.caches, deploy=True)
        self.register_front_cache_keys()

        # Tagging an article changes its page, its tags' pages and related articles.
        from articles.models import Article

        m2m_changed.connect(
            pagecache.invalidate, sender=Article.tags.through, dispatch_uid="pagecache-tags"
        )

        from django.contrib.flatpages.models import FlatPage

        from articles.disclaimer import forget_medical_disclaimer
        from articles.models import PublisherPage

        # The admin saves the proxy, and Django sends a proxy's signals for the proxy alone.
        for model in (FlatPage, PublisherPage):
            uid = f"articles.forget_medical_disclaimer.{model._meta.model_name}"
            post_save.connect(forget_medical_disclaimer, sender=model, dispatch_uid=uid)
            post_delete.connect(forget_medical_disclaimer, sender=model, dispatch_uid=uid)
        m2m_changed.connect(
            forget_medical_disclaimer,
            sender=FlatPage.sites.through,
            dispatch_uid="articles.forget_medical_disclaimer",
        )

        from articles.models import FooterLink, SiteSettings
        from articles.site_pages import forget_site_links, forget_site_settings

        # The header's and footer's links: a page changed (its address, its sites, its
        # deletion), or its footer link.
        for model in (FooterLink, FlatPage, PublisherPage):
            uid = f"articles.forget_site_links.{model._meta.model_name}"
            post_save.connect(forget_site_links, sender=model, dispatch_uid=uid)
            post_delete.connect(forget_site_links, sender=model, dispatch_uid=uid)
        m2m_changed.connect(
            forget_site_links,
            sender=FlatPage.sites.through,
            dispatch_uid="articles.forget_site_links",
        )

        uid = "articles.forget_site_settings"
        post_save.connect(forget_site_settings, sender=SiteSettings, dispatch_uid=uid)
        post_delete.connect(forget_site_settings, sender=SiteSettings, dispatch_uid=uid)

    def register_front_cache_keys(self):
        """Which front-cache pages a change of each model shows on (``articles.frontcache``)."""
        from articles import frontcache
        from articles.models import Article, CallToAction, Reference

        frontcache.register(
            Article,
            Article.surrogate_keys,
            due=lambda article: article.published_at if article.is_scheduled else None,
        )
        frontcache.register(CallToAction, lambda cta: [a.surrogate_key for a in cta.articles.all()])
        frontcache.register(Reference, lambda reference: [reference.article.surrogate_key])
        # People, topics, tags and site settings show on many pages (bylines, lists, menus) and
        # change rarely: left unregistered, a change to one purges every page.
