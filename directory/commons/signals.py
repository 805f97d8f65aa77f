"""The weekly opening-hours table follows publication: published hours are the ones searched."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished


@receiver(page_published, dispatch_uid="directory-commons-hours-published")
def hours_published(sender, instance, **kwargs):
    if hasattr(instance, "opening_hours"):
        from .hours import rebuild

        rebuild([instance])


@receiver(page_unpublished, dispatch_uid="directory-commons-hours-unpublished")
def hours_unpublished(sender, instance, **kwargs):
    if hasattr(instance, "opening_hours"):
        from .models import OpeningInterval

        OpeningInterval.objects.filter(page_id=instance.pk).delete()
