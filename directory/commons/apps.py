from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryCommonsConfig(AppConfig):
    """What keeps the directory in step with the national commons: a weekly table of opening
    hours, one-click freshness confirmations, duplicate flags, and the identity of entries imported
    from national datasets. Its models point to ``wagtailcore.Page``, so that they do not depend on
    the shape of the entry models."""

    name = "directory.commons"
    label = "directory_commons"
    verbose_name = _("Annuaire : données partagées")

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
