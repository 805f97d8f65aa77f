"""The commons' signal handlers, connected by ``register_signal_handlers()`` from
``DirectoryCommonsConfig.ready()``: the weekly opening-hours table follows publication
(published hours are the ones searched)."""

from wagtail.signals import page_published, page_unpublished


def hours_published(sender, instance, **kwargs):
    if hasattr(instance, "opening_hours"):
        from .hours import rebuild

        rebuild([instance])


def hours_unpublished(sender, instance, **kwargs):
    if hasattr(instance, "opening_hours"):
        from .models import OpeningInterval

        OpeningInterval.objects.filter(page_id=instance.pk).delete()


def register_signal_handlers():
    page_published.connect(hours_published, dispatch_uid="directory-commons-hours-published")
    page_unpublished.connect(hours_unpublished, dispatch_uid="directory-commons-hours-unpublished")
