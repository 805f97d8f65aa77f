from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import ActorKind, Commune, PlaceKind, Service


class CommuneViewSet(SnippetViewSet):
    """Staff confirm here which communes are in the park (``in_park``)."""

    model = Commune
    icon = "site"
    menu_label = _("Communes")
    list_display = ["name", "insee", "postal_code", "department", "epci", "in_park"]
    list_filter = ["department", "in_park"]
    list_per_page = 50
    # Plain database search on these columns (communes are loaded in bulk, not search-indexed).
    search_backend_name = None
    search_fields = ["name", "insee", "postal_code", "epci"]
    ordering = ["name"]


class VocabularyViewSet(SnippetViewSet):
    icon = "tag"
    list_display = ["name", "slug", "sort_order", "locale"]
    list_filter = ["locale"]
    search_backend_name = None
    search_fields = ["name", "slug"]


class ActorKindViewSet(VocabularyViewSet):
    model = ActorKind


class PlaceKindViewSet(VocabularyViewSet):
    model = PlaceKind


class ServiceViewSet(VocabularyViewSet):
    model = Service
    list_display = ["name", "slug", "mediation_numerique", "sort_order", "locale"]


class DirectoryGroup(SnippetViewSetGroup):
    menu_label = _("Annuaire")
    menu_icon = "site"
    items = (ActorKindViewSet, PlaceKindViewSet, ServiceViewSet, CommuneViewSet)


register_snippet(DirectoryGroup)
