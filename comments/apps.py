from django.apps import AppConfig
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from django_comments_xtd.models import publish_or_unpublish_on_pre_save
        from django_comments_xtd.moderation import moderator

        from comments.models import Comment
        from comments.moderation import ArticleCommentModerator

        # xtd cascades a comment's visibility to all its replies on every save: approving a
        # parent would publish replies that are still held or marked as spam. Our comments
        # each carry their own state, so that cascade is switched off.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=Comment._meta.label)

        self.register_front_cache_keys()

        from django.urls import register_converter

        from comments.converters import CommentIdConverter

        register_converter(CommentIdConverter, "comment_id")

        from comments import rules

        rules.connect()  # the moderation lists are cached until one of them changes

        article = self.apps.get_model("articles", "Article")
        if article not in moderator._registry:
            moderator.register(article, ArticleCommentModerator)

        # Deleting an article never leaves its readers' comments behind (comments.privacy).
        from articles.deletion import collect_dependents
        from comments.privacy import article_dependents, guard_article_deletion

        collect_dependents.connect(article_dependents, dispatch_uid="comments-dependents")
        pre_delete.connect(guard_article_deletion, sender=article, dispatch_uid="comments-guard")

    def register_front_cache_keys(self):
        """A comment shows on the page of what it is about; the other models on no page."""
        from articles import frontcache
        from comments.models import Comment, ModerationWord, TrustedCommenter, VerifiedEmail

        frontcache.register(Comment, lambda comment: [comment.content_object.surrogate_key])
        for model in (ModerationWord, TrustedCommenter, VerifiedEmail):
            frontcache.register(model, lambda instance: [])
