from django.utils.translation import gettext_lazy as _

from core.models import SectionIndexPage


class NewsIndexPage(SectionIndexPage):
    """The /actualites/ section."""

    subpage_types = []

    class Meta:
        verbose_name = _("page des actualités")
