"""Keep the cached GeoJSON export in step with what is published: dropped at once on a change,
made again off the request once the change is committed (a background task)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import ActorPage, Commune, PlacePage
from .opendata import invalidate_geojson_cache


def _warm_after_commit():
    from .tasks import warm_exports_task

    warm_exports_task.enqueue()


def exports_changed():
    invalidate_geojson_cache()
    connection = transaction.get_connection()
    if not any(entry[1] is _warm_after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_warm_after_commit)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete)
def entry_changed(sender, **kwargs):
    if sender in (ActorPage, PlacePage):
        exports_changed()


@receiver(post_save, sender=Commune)
def commune_changed(sender, **kwargs):
    exports_changed()
