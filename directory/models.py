from django.utils.translation import gettext_lazy as _

from core.models import SectionIndexPage


class DirectoryIndexPage(SectionIndexPage):
    """The /annuaire/ section."""

    subpage_types = []

    class Meta:
        verbose_name = _("page d'annuaire")
