"""Core's signal handlers, connected by ``register_signal_handlers()`` from ``CoreConfig.ready()``.

- Page cache invalidation (core/page_cache.py): any change an anonymous visitor could see drops
  every cached page (the content version); the values every page reads whatever its content
  (the site version: locales, sites, view restrictions, the site frame) are dropped too, except
  when a page that none of them reads is published, unpublished or saved.
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
# Events that change pages' URLs or tree paths (the sites' root paths, the menus' links, the
# private sections' paths): always the site values too.
SITE_WIDE_PAGE_EVENTS = ("post_page_move", "page_slug_changed")


def page_touches_site_values(page):
    """Whether a change of ``page`` can alter a value kept for the site version: the tree's root
    or a site's home page (their translations and URLs are the sites' root paths), a page a menu
    links to or one of its ancestors (the frame shows its title, whether it is live, its URL)."""
    from .models import MenuItem

    if not page.depth or page.depth <= 2:
        return True
    return MenuItem.objects.filter(page__path__startswith=page.path).exists()


def page_cache_on_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not model_invalidates(sender):
        return
    if isinstance(instance, Page):
        if update_fields is not None and set(update_fields) <= PAGE_BOOKKEEPING_FIELDS:
            return
        if not (instance.live or instance.live_revision_id):
            # A draft is not public, but a new translation of a site's home page changes the
            # site's root paths (Wagtail clears its own copy then; ``site_memo`` keeps one).
            if instance.is_site_root():
                invalidate()
            return
        invalidate(site_wide=page_touches_site_values(instance))
        return
    invalidate()


def page_cache_on_delete(sender, instance, **kwargs):
    if not model_invalidates(sender):
        return
    if isinstance(instance, Page):
        # Menu items and view restrictions of a deleted page go with it (their own signal).
        invalidate(site_wide=page_touches_site_values(instance))
        return
    invalidate()


def page_cache_on_page_event(sender, instance=None, signal=None, **kwargs):
    if isinstance(instance, Page) and signal not in SITE_WIDE_SIGNALS:
        invalidate(site_wide=page_touches_site_values(instance))
        return
    invalidate()


def enqueue_renditions(sender, instance, created, raw=False, **kwargs):
    if raw or not created or not getattr(settings, "IMAGES_PREPARE_RENDITIONS", True):
        return
    from .tasks import generate_renditions_task

    transaction.on_commit(lambda: generate_renditions_task.enqueue(instance.pk))


def locale_changed(sender, **kwargs):
    forget_locale_codes()


SITE_WIDE_SIGNALS = {getattr(wagtail_signals, name) for name in SITE_WIDE_PAGE_EVENTS}


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
