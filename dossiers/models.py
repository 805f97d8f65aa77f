from django.utils.translation import gettext_lazy as _

from core.models import SectionIndexPage


class DossierIndexPage(SectionIndexPage):
    """The /dossiers/ section."""

    subpage_types = []

    class Meta:
        verbose_name = _("page des dossiers")
