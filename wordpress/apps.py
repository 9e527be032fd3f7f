from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordpressConfig(AppConfig):
    """Moving in from WordPress and out again: it uses articles and comments, never the reverse."""

    name = "wordpress"
    verbose_name = _("WordPress")
