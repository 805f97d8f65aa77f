from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire des acteurs et des lieux")

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
