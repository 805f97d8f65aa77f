"""The directory's signal handlers, connected by ``register_signal_handlers()`` from
``DirectoryConfig.ready()`` (as in Wagtail's contrib apps).

- The facet values cached per locale (directory/filters.py) are dropped when a vocabulary,
  a commune, a theme, an entry or a view restriction changes.
- The cached GeoJSON export is dropped at once when what is published changes (or a contact
  confirms an entry, directory.commons), and made again off the request once the change is
  committed (a background task).
- The moderators hear of the changes a contact proposes through a freshness link.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from taxonomy.models import Theme

from .commons.freshness import change_proposed, entry_confirmed
from .contributions import notify_moderators
from .filters import clear_known_values
from .models import ActorKind, ActorPage, Commune, PlaceKind, PlacePage, Service
from .opendata import invalidate_geojson_cache

ENTRY_MODELS = (ActorPage, PlacePage)


def _warm_after_commit():
    from .tasks import warm_exports_task

    warm_exports_task.enqueue()


def exports_changed():
    invalidate_geojson_cache()
    connection = transaction.get_connection()
    if not any(entry[1] is _warm_after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_warm_after_commit)


def entry_changed(sender, **kwargs):
    if sender in ENTRY_MODELS:
        exports_changed()


def commune_changed(sender, **kwargs):
    exports_changed()


def entry_confirmed_handler(sender, **kwargs):
    exports_changed()


def change_proposed_handler(sender, page, contact, **kwargs):
    notify_moderators(page, contact)


def register_signal_handlers():
    for model in (
        ActorKind,
        PlaceKind,
        Service,
        Commune,
        Theme,
        PageViewRestriction,
        *ENTRY_MODELS,
    ):
        name = model.__name__
        post_save.connect(
            clear_known_values, sender=model, dispatch_uid=f"directory-known-save-{name}"
        )
        post_delete.connect(
            clear_known_values, sender=model, dispatch_uid=f"directory-known-delete-{name}"
        )
    for model in ENTRY_MODELS:
        name = model.__name__
        page_published.connect(
            clear_known_values, sender=model, dispatch_uid=f"directory-known-pub-{name}"
        )
        page_unpublished.connect(
            clear_known_values, sender=model, dispatch_uid=f"directory-known-unpub-{name}"
        )

    page_published.connect(entry_changed, dispatch_uid="directory-exports-published")
    page_unpublished.connect(entry_changed, dispatch_uid="directory-exports-unpublished")
    post_delete.connect(entry_changed, dispatch_uid="directory-exports-deleted")
    post_save.connect(commune_changed, sender=Commune, dispatch_uid="directory-exports-commune")
    entry_confirmed.connect(entry_confirmed_handler, dispatch_uid="directory-exports-confirmed")
    change_proposed.connect(change_proposed_handler, dispatch_uid="directory-change-proposed")
