"""The filters of /agenda/: theme and organisation (shared with the news), commune, online or in person.

Every value is checked against the values that exist before it touches a query. On the page an
unknown value is ignored and the page says so; the iCalendar feed of a filter answers 400 instead
(a calendar program cannot show a notice).
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.listing_filters import ListingFilters

ONLINE, IN_PERSON = "en-ligne", "sur-place"
MODES = {ONLINE: gettext_lazy("En ligne"), IN_PERSON: gettext_lazy("Sur place")}


class AgendaFilters(ListingFilters):
    def __init__(self, request, locale_id, items):
        from members.models import Organisation
        from taxonomy.models import Theme

        # The commune model is the one the events point at (no import of another section's models).
        Commune = items.model._meta.get_field("commune").related_model
        super().__init__(
            request,
            themes=Theme.options(locale_id),
            organisations=Organisation.objects.publishing_in(items, "organisers"),
            organisation_field="organisers",
        )
        self.commune_options = list(
            Commune.objects.filter(
                Q(pk__in=items.values("commune")) | Q(pk__in=items.values("place__commune"))
            )
            .only("insee", "name")
            .order_by("name")
        )
        self.commune = None
        value = request.GET.get("commune", "")
        if value:
            self.commune = next((c for c in self.commune_options if c.insee == value), None)
            if self.commune is None:
                self.errors.append(
                    _("Cette commune n'a pas d'événement : toutes les communes sont affichées.")
                )
        self.mode = request.GET.get("mode", "") or None
        if self.mode is not None and self.mode not in MODES:
            self.errors.append(
                _("Ce mode n'existe pas : les événements en ligne et sur place sont affichés.")
            )
            self.mode = None

    @property
    def params(self):
        return {
            **super().params,
            "commune": self.commune.insee if self.commune else None,
            "mode": self.mode,
        }

    @property
    def active(self):
        return any(self.params.values())

    def query_string(self):
        return urlencode({name: value for name, value in self.params.items() if value})

    def apply(self, items):
        items = super().apply(items)
        if self.commune is not None:
            items = items.filter(Q(commune=self.commune) | Q(place__commune=self.commune))
        if self.mode == ONLINE:
            items = items.exclude(online_url="")
        elif self.mode == IN_PERSON:
            items = items.filter(Q(place__isnull=False) | Q(commune__isnull=False) | ~Q(venue=""))
        return items

    def label(self):
        """What the filtered calendar holds, in words (its name in calendar programs)."""
        parts = []
        if self.theme is not None:
            parts.append(self.theme.name)
        if self.organisation is not None:
            parts.append(self.organisation.name)
        if self.commune is not None:
            parts.append(self.commune.name)
        if self.mode is not None:
            parts.append(str(MODES[self.mode]))
        return ", ".join(parts)

    def context(self):
        return {
            **super().context(),
            "commune_options": self.commune_options,
            "selected_commune": self.commune,
            "mode_options": list(MODES.items()),
            "selected_mode": self.mode,
        }
