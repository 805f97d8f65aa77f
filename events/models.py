from django.utils.translation import gettext_lazy as _

from core.models import SectionIndexPage


class EventIndexPage(SectionIndexPage):
    """The /agenda/ section."""

    subpage_types = []

    class Meta:
        verbose_name = _("page de l'agenda")
