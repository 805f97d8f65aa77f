from django.utils.translation import gettext_lazy as _

from core.models import SectionIndexPage


class DossierIndexPage(SectionIndexPage):
    """The /dossiers/ section: one dossier per theme of the network."""

    subpage_types = []

    class Meta:
        verbose_name = _("page des dossiers")
