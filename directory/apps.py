from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire des acteurs et des lieux")

    def import_models(self):
        super().import_models()
        # The section page sits above the models, the listing and the routes' helpers
        # (directory/pages.py): models.py cannot import it without an import circle.
        import_module(f"{self.name}.pages")

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
