"""Theme and organisation filters shared by the news and agenda listings.

Query-string values are checked against the slugs that exist before they touch a query;
an unknown value is ignored, and the page says so (status 200, nothing reflected).
The options come from the caller, so this module depends on no app.
"""

from django.utils.translation import gettext as _


class ListingFilters:
    """Read ``?theme=`` and ``?organisation=`` from the request, validated.

    ``themes`` and ``organisations`` are the choices (querysets or lists of objects with
    ``slug`` and ``name``); ``organisation_field`` is the lookup from an item to its
    organisation(s) (``organisation`` for articles, ``organisers`` for events).
    """

    def __init__(self, request, themes, organisations, organisation_field):
        self.organisation_field = organisation_field
        self.errors = []
        self.theme_options = list(themes)
        self.organisation_options = list(organisations)
        self.theme = self._pick(
            request,
            "theme",
            self.theme_options,
            _("Ce thème n'existe pas : tous les thèmes sont affichés."),
        )
        self.organisation = self._pick(
            request,
            "organisation",
            self.organisation_options,
            _(
                "Cette organisation n'existe pas ou n'a rien publié : toutes les organisations sont affichées."
            ),
        )

    def _pick(self, request, name, options, error):
        value = request.GET.get(name, "")
        if not value:
            return None
        for option in options:
            if option.slug == value:
                return option
        self.errors.append(error)
        return None

    @property
    def params(self):
        """The valid filter values, for pagination links."""
        return {
            "theme": self.theme.slug if self.theme else None,
            "organisation": self.organisation.slug if self.organisation else None,
        }

    def apply(self, items):
        if self.theme is not None:
            items = items.filter(themes__slug=self.theme.slug)
        if self.organisation is not None:
            items = items.filter(**{self.organisation_field: self.organisation})
        return items

    def context(self):
        return {
            "theme_options": self.theme_options,
            "organisation_options": self.organisation_options,
            "selected_theme": self.theme,
            "selected_organisation": self.organisation,
            "filter_errors": self.errors,
        }
