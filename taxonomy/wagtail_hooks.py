from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from .models import Sector, Theme
from .viewsets import VocabularyViewSet


class ThemeViewSet(VocabularyViewSet):
    model = Theme


class SectorViewSet(VocabularyViewSet):
    model = Sector


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Thèmes et secteurs")
    menu_icon = "tag"
    items = (ThemeViewSet, SectorViewSet)


register_snippet(TaxonomyGroup)
