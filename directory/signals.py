"""Keep the cached GeoJSON export in step with what is published."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import ActorPage, Commune, PlacePage
from .opendata import invalidate_geojson_cache


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_delete)
def entry_changed(sender, **kwargs):
    if sender in (ActorPage, PlacePage):
        invalidate_geojson_cache()


@receiver(post_save, sender=Commune)
def commune_changed(sender, **kwargs):
    invalidate_geojson_cache()
