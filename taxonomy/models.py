"""The network's shared vocabularies: themes and sectors, translated and managed by staff, and
the base every translatable vocabulary of the site builds on (the directory's kinds and services too).

Articles, events, directory entries and dossiers all point to these rows; no other
copy of the list lives in the code.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

# Pictograms shipped in assets/img/themes/ (simple line drawings, decorative: the badge shows the name).
PICTOGRAMS = [
    ("economie", _("Courbe de croissance")),
    ("services", _("Maison commune")),
    ("collaboration", _("Deux personnes")),
    ("numerique", _("Écran")),
    ("lieu", _("Repère de lieu")),
    ("feuille", _("Feuille")),
]

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Une couleur au format #RRVVBB."))


class Vocabulary(TranslatableMixin, models.Model):
    """A short list managed and translated by staff: a name, a slug shared by its translations
    (used in addresses and filters), an order. Themes and sectors (``Term``) and the directory's
    kinds and services build on it, with one admin (taxonomy/viewsets.py)."""

    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel(
            "slug",
            help_text=_(
                "Utilisé dans les adresses et les filtres ; identique dans toutes les langues."
            ),
        ),
        FieldPanel("sort_order"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        SynchronizedField("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @staticmethod
    def unique_slug_per_locale(name):
        """The constraint each concrete vocabulary declares: one slug per locale."""
        return models.UniqueConstraint(fields=["slug", "locale"], name=name)


class Term(index.Indexed, Vocabulary):
    """A theme or a sector: a vocabulary with a description, a colour and a pictogram."""

    description = models.TextField(_("description courte"), blank=True, max_length=500)
    colour = models.CharField(
        _("couleur"), max_length=7, default="#35612e", validators=[colour_validator]
    )
    pictogram = models.CharField(
        _("pictogramme"),
        max_length=20,
        choices=PICTOGRAMS,
        blank=True,
        help_text=_("Un petit dessin montré à côté du nom (le nom reste toujours écrit)."),
    )

    panels = [
        *Vocabulary.panels,
        FieldPanel("description"),
        FieldPanel("colour"),
        FieldPanel("pictogram"),
    ]
    translatable_fields = [
        *Vocabulary.translatable_fields,
        TranslatableField("description"),
        SynchronizedField("colour"),
        SynchronizedField("pictogram"),
    ]
    # Kept in the search index for the admin's choosers (the listings search the database).
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale_id"),
    ]

    class Meta(Vocabulary.Meta):
        abstract = True

    @property
    def pictogram_path(self):
        """Static path of the pictogram, or an empty string."""
        return f"img/themes/{self.pictogram}.svg" if self.pictogram else ""


class Theme(Term):
    """One of the network's four working themes (économie, services au public…)."""

    class Meta(Term.Meta):
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        constraints = [Term.unique_slug_per_locale("unique_theme_slug_per_locale")]

    @classmethod
    def options(cls, locale_id):
        """The locale's themes (name and slug) in their order, as the listings' filters offer
        them: kept for the site version, which any change of a theme renews
        (core/page_cache.py), so a publication does not read them again. Never mutate them."""
        from core.page_cache import site_memo

        return site_memo(
            ("theme-options", locale_id),
            lambda: list(cls.objects.filter(locale_id=locale_id).only("name", "slug")),
        )


class Sector(Term):
    """A sector of activity (tourisme, artisanat, agriculture…)."""

    class Meta(Term.Meta):
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")
        constraints = [Term.unique_slug_per_locale("unique_sector_slug_per_locale")]
