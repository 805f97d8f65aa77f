from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Sector, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Thèmes et secteurs")
    menu_icon = "tag"
    items = (ThemeViewSet, SectorViewSet)


register_snippet(TaxonomyGroup)
