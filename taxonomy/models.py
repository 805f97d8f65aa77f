"""The network's shared vocabulary: themes and sectors, translated and managed by staff.

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

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Une couleur au format #RRVVBB."))


class Term(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(
        _("identifiant"),
        max_length=100,
        help_text=_(
            "Utilisé dans les adresses et les filtres ; identique dans toutes les langues."
        ),
    )
    description = models.TextField(_("description courte"), blank=True, max_length=500)
    colour = models.CharField(
        _("couleur"), max_length=7, default="#35612e", validators=[colour_validator]
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("colour"),
        FieldPanel("sort_order"),
    ]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug"),
        SynchronizedField("colour"),
        SynchronizedField("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Theme(Term):
    """One of the network's four working themes (économie, services au public…)."""

    class Meta(Term.Meta):
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_theme_slug_per_locale")
        ]


class Sector(Term):
    """A sector of activity (tourisme, artisanat, agriculture…)."""

    class Meta(Term.Meta):
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="unique_sector_slug_per_locale")
        ]
