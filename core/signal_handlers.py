"""Core's signal handlers, connected by ``register_signal_handlers()`` from ``CoreConfig.ready()``.

- Page cache invalidation (core/page_cache.py): any change an anonymous visitor could see drops
  every cached page.
- Renditions of a new image are made by a background task once the upload is committed.
- The cached locale codes (core/translation_status.py) are dropped when a locale changes.
- SQLite connections get an UNACCENT function (core/db.py).
"""

from django.conf import settings
from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save
from wagtail import signals as wagtail_signals
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from .db import register_sqlite_functions
from .page_cache import PAGE_BOOKKEEPING_FIELDS, invalidate, model_invalidates
from .translation_status import forget_locale_codes

PAGE_EVENTS = (
    "page_published",
    "page_unpublished",
    "post_page_move",
    "page_slug_changed",
    "published",
    "unpublished",
)


def page_cache_on_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not model_invalidates(sender):
        return
    if isinstance(instance, Page):
        if update_fields is not None and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
            return
        if not (instance.live or instance.live_revision_id):
            # A draft is not public, but a new translation of a site's home page changes the
            # site's root paths (Wagtail clears its own copy then; ``version_memo`` keeps one).
            if instance.is_site_root():
                invalidate()
            return
    invalidate()


def page_cache_on_delete(sender, instance, **kwargs):
    if model_invalidates(sender):
        invalidate()


def page_cache_on_page_event(sender, **kwargs):
    invalidate()


def enqueue_renditions(sender, instance, created, raw=False, **kwargs):
    if raw or not created or not getattr(settings, "IMAGES_PREPARE_RENDITIONS", True):
        return
    from .tasks import generate_renditions_task

    transaction.on_commit(lambda: generate_renditions_task.enqueue(instance.pk))


def locale_changed(sender, **kwargs):
    forget_locale_codes()


def register_signal_handlers():
    post_save.connect(page_cache_on_save, dispatch_uid="page_cache_save")
    post_delete.connect(page_cache_on_delete, dispatch_uid="page_cache_delete")
    for name in PAGE_EVENTS:
        getattr(wagtail_signals, name).connect(
            page_cache_on_page_event, dispatch_uid=f"page_cache_{name}"
        )
    post_save.connect(
        enqueue_renditions, sender=get_image_model(), dispatch_uid="core_renditions_after_upload"
    )
    post_save.connect(locale_changed, sender=Locale, dispatch_uid="core_locale_codes_save")
    post_delete.connect(locale_changed, sender=Locale, dispatch_uid="core_locale_codes_delete")
    connection_created.connect(register_sqlite_functions, dispatch_uid="core_db_sqlite_functions")
