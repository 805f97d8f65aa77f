"""The members app's signal handlers, connected by ``register_signal_handlers()`` from
``MembersConfig.ready()``.

- A member's translation of an alias, once a moderator publishes it, stops being an alias
  (``convert_alias_on_publish``; the translation views are in members/translation_views.py).

This module imports models only: the translation views bring Django REST framework and
wagtail-localize's editor, which a public worker never needs (issue 16, worker memory).
"""

from wagtail.models import Page, PageLogEntry
from wagtail.signals import page_published
from wagtail_localize.models import Translation


def register_signal_handlers():
    page_published.connect(convert_alias_on_publish, dispatch_uid="members_convert_alias")


def convert_alias_on_publish(sender, instance, revision=None, **kwargs):
    """An alias whose own revision (its translation) is published stops being an alias."""
    if not instance.alias_of_id or revision is None or revision.object_id != str(instance.pk):
        return
    if not Translation.objects.filter(
        source__object_id=instance.translation_key,
        target_locale_id=instance.locale_id,
        enabled=True,
    ).exists():
        return
    Page.objects.filter(pk=instance.pk).update(alias_of=None)
    instance.alias_of_id = None
    PageLogEntry.objects.log_action(
        instance=instance,
        revision=revision,
        action="wagtail.convert_alias",
        user=revision.user,
        data={"page": {"id": instance.pk, "title": instance.get_admin_display_title()}},
    )
