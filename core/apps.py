from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from . import db, page_cache

        db.connect()

        page_cache.connect_signals()
        from django.db.models.signals import post_save
        from wagtail.images import get_image_model

        post_save.connect(
            _enqueue_renditions, sender=get_image_model(), dispatch_uid="core_renditions_after_upload"
        )


def _enqueue_renditions(sender, instance, created, raw=False, **kwargs):
    """Renditions of a new image are made by a background task once the upload is committed."""
    from django.conf import settings
    from django.db import transaction

    if raw or not created or not getattr(settings, "IMAGES_PREPARE_RENDITIONS", True):
        return
    from .tasks import generate_renditions_task

    transaction.on_commit(lambda: generate_renditions_task.enqueue(instance.pk))
