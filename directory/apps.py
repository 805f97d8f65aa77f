from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire des acteurs et des lieux")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from taxonomy.models import Theme

        from .filters import clear_known_values
        from .models import ActorKind, ActorPage, Commune, PlaceKind, PlacePage, Service

        for model in (ActorKind, PlaceKind, Service, Commune, Theme, ActorPage, PlacePage):
            post_save.connect(clear_known_values, sender=model, dispatch_uid=f"directory-known-save-{model.__name__}")
            post_delete.connect(clear_known_values, sender=model, dispatch_uid=f"directory-known-delete-{model.__name__}")
        from wagtail.models import PageViewRestriction

        post_save.connect(clear_known_values, sender=PageViewRestriction, dispatch_uid="directory-known-pvr-save")
        post_delete.connect(clear_known_values, sender=PageViewRestriction, dispatch_uid="directory-known-pvr-delete")
        for model in (ActorPage, PlacePage):
            page_published.connect(clear_known_values, sender=model, dispatch_uid=f"directory-known-pub-{model.__name__}")
            page_unpublished.connect(clear_known_values, sender=model, dispatch_uid=f"directory-known-unpub-{model.__name__}")

        from . import signals  # noqa: F401 - cache invalidation of the open-data exports

