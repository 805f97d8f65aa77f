"""Keep the materialised occurrences (``EventOccurrence``) in step with the live events."""

from wagtail.signals import page_published


def on_event_published(sender, instance, **kwargs):
    from .models import sync_occurrences

    sync_occurrences(instance)


def register_signal_handlers():
    from .models import EventPage

    page_published.connect(
        on_event_published, sender=EventPage, dispatch_uid="events_sync_occurrences"
    )
