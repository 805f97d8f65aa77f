"""An article or an event belongs to the organisation whose folder holds it (set on save)."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from events.models import EventPage
from news.models import ArticlePage

from .models import Organisation


def folder_organisation(page, folder_field):
    """The organisation whose news or events folder (in any language) is the page's parent."""
    if not page.path or page.depth is None or page.depth < 2:
        return None
    parent = page.get_parent()
    if parent is None:
        return None
    return Organisation.objects.filter(
        **{f"{folder_field}__translation_key": parent.translation_key}
    ).first()


@receiver(pre_save, sender=ArticlePage)
def set_article_organisation(sender, instance, raw=False, **kwargs):
    if raw:
        return
    organisation = folder_organisation(instance, "news_page")
    if organisation is not None:
        instance.organisation = organisation


@receiver(post_save, sender=EventPage)
def add_event_organiser(sender, instance, raw=False, **kwargs):
    if raw:
        return
    organisation = folder_organisation(instance, "events_page")
    if organisation is not None and organisation not in instance.organisers.all():
        instance.organisers.add(organisation)
        instance.organisers.commit()
