from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def forget_when_pages_change(receiver, *models) -> None:
    """Connect a cache's ``receiver`` to every change of a publisher's page (and of
    ``models``). The admin saves the proxy, and Django sends a proxy's signals for the proxy
    alone: both are watched."""
    from django.contrib.flatpages.models import FlatPage

    from articles.models import PublisherPage

    name = receiver.__name__
    for model in (FlatPage, PublisherPage, *models):
        uid = f"articles.{name}.{model._meta.model_name}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
    m2m_changed.connect(receiver, sender=FlatPage.sites.through, dispatch_uid=f"articles.{name}")


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
        # Search finds an article by its topics' and tags' names too: kept up to date.
        from articles.models import Tag, Topic
        from articles.search import refresh_on_change

        m2m_changed.connect(
            refresh_on_change, sender=Article.tags.through, dispatch_uid="search-tags"
        )
        for model in (Topic, Tag):
            uid = f"search-{model._meta.model_name}"
            post_save.connect(refresh_on_change, sender=model, dispatch_uid=uid)

        from articles.disclaimer import forget_medical_disclaimer
        from articles.models import FooterLink, HeaderLink, SiteSettings
        from articles.site_pages import forget_site_links, forget_site_settings

        # Both read pages into the cache: the disclaimer, and the header's and footer's links
        # (a page's address, its sites, its deletion, its header and footer links).
        forget_when_pages_change(forget_medical_disclaimer)
        forget_when_pages_change(forget_site_links, FooterLink, HeaderLink)

        from articles.images import delete_files
        from articles.models import BodyImage

        post_delete.connect(delete_files, sender=BodyImage, dispatch_uid="articles.delete_files")

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
