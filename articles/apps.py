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

        from django.contrib.flatpages.models import FlatPage

        from articles.disclaimer import forget_medical_disclaimer

        uid = "articles.forget_medical_disclaimer"
        post_save.connect(forget_medical_disclaimer, sender=FlatPage, dispatch_uid=uid)
        post_delete.connect(forget_medical_disclaimer, sender=FlatPage, dispatch_uid=uid)
        m2m_changed.connect(
            forget_medical_disclaimer, sender=FlatPage.sites.through, dispatch_uid=uid
        )

    def register_front_cache_keys(self):
        """Which front-cache pages a change of each model shows on (``articles.frontcache``)."""
        from articles import frontcache
        from articles.models import Article, CallToAction, Reference, Reviewer

        frontcache.register(
            Article,
            Article.surrogate_keys,
            due=lambda article: article.published_at if article.is_scheduled else None,
        )
        frontcache.register(CallToAction, lambda cta: [a.surrogate_key for a in cta.articles.all()])
        frontcache.register(
            Reviewer, lambda reviewer: [a.surrogate_key for a in reviewer.reviewed_articles.all()]
        )
        frontcache.register(Reference, lambda reference: [reference.article.surrogate_key])
