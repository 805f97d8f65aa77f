from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from taxonomy.viewsets import VocabularyViewSet

from .freshness import StaleEntriesView, is_stale
from .models import ActorKind, Commune, Contribution, PlaceKind, Service


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


class ActorKindViewSet(VocabularyViewSet):
    model = ActorKind


class PlaceKindViewSet(VocabularyViewSet):
    model = PlaceKind


class ServiceViewSet(VocabularyViewSet):
    model = Service
    list_display = ["name", "slug", "mediation_numerique", "sort_order", "locale"]


class ContributionViewSet(SnippetViewSet):
    """Who proposed which draft entry (private: staff only, read-only fields)."""

    model = Contribution
    icon = "mail"
    menu_label = _("Propositions du public")
    list_display = ["page", "contributor_name", "contributor_email", "created_at"]
    search_backend_name = None
    search_fields = ["contributor_name", "contributor_email", "message"]
    inspect_view_enabled = True


class DirectoryGroup(SnippetViewSetGroup):
    menu_label = _("Annuaire")
    menu_icon = "site"
    items = (
        ActorKindViewSet,
        PlaceKindViewSet,
        ServiceViewSet,
        CommuneViewSet,
        ContributionViewSet,
    )


register_snippet(DirectoryGroup)


# --- Freshness: stale entries flagged in the explorer and listed in a report ------------------


@hooks.register("register_admin_urls")
def register_stale_entries_urls():
    return [
        path(
            "reports/fiches-a-actualiser/",
            StaleEntriesView.as_view(),
            name="directory_stale_entries",
        ),
        path(
            "reports/fiches-a-actualiser/results/",
            StaleEntriesView.as_view(results_only=True),
            name="directory_stale_entries_results",
        ),
    ]


class StaleEntriesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_reports_menu_item")
def register_stale_entries_menu_item():
    return StaleEntriesMenuItem(
        _("Fiches à actualiser"),
        reverse("directory_stale_entries"),
        name="directory-stale-entries",
        icon_name="time",
        order=1150,
    )


@hooks.register("register_page_listing_buttons")
def stale_entry_listing_button(page, user, next_url=None):
    from .models import ActorPage, PlacePage

    if page.specific_class in (ActorPage, PlacePage) and is_stale(page):
        yield ListingButton(
            _("À actualiser : publiée le %(date)s")
            % {"date": date_format(page.last_published_at, "SHORT_DATE_FORMAT")},
            url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
            icon_name="warning",
            priority=1,
            attrs={"title": _("Fiche non mise à jour depuis plus de 12 mois")},
        )
