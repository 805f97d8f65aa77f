"""The public directory: actors (organisations) and places (tiers-lieux), located in communes.

Tree: DirectoryIndexPage (/annuaire/, in directory/pages.py) holds ActorPages and PlacePages. A member organisation's
ActorPage is its own entry; the places it runs may sit under it (/annuaire/asoft/un-lieu/), so
that the organisation's editors can keep them current.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from core.models import BasePage, PublicPageManager
from taxonomy.models import Vocabulary

from .entries import entry_context


class Commune(index.Indexed, models.Model):
    """A commune of the territory (INSEE COG), loaded from data/communes-baronnies.csv."""

    class InPark(models.TextChoices):
        YES_2015 = "yes_2015", _("dans le Parc (liste 2015)")
        PARTIAL_2015 = "partial_2015", _("en partie dans le Parc (liste 2015)")
        VILLE_PORTE = "ville_porte", _("ville-porte")
        UNVERIFIED_CCBDP = (
            "unverified_ccbdp",
            _("à vérifier (CC des Baronnies en Drôme Provençale)"),
        )
        UNVERIFIED = "unverified", _("à vérifier")
        YES = "yes", _("dans le Parc (confirmé)")
        NO = "no", _("hors du Parc (confirmé)")

    insee = models.CharField(_("code INSEE"), max_length=5, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    postal_code = models.CharField(
        _("code postal"), max_length=20, help_text=_("Plusieurs codes séparés par |.")
    )
    department = models.CharField(_("département"), max_length=3, db_index=True)
    epci = models.CharField(_("intercommunalité"), max_length=150, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    in_park = models.CharField(
        _("dans le Parc"),
        max_length=20,
        choices=InPark.choices,
        default=InPark.UNVERIFIED,
        help_text=_(
            "L'appartenance au Parc n'est pas sûre pour la plupart des communes : à confirmer."
        ),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("department"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("insee", read_only=True), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("postal_code"), FieldPanel("department")]),
        FieldPanel("epci"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldPanel("in_park"),
    ]

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.department})"


class ActorKind(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("type d'acteur")
        verbose_name_plural = _("types d'acteur")
        constraints = [Vocabulary.unique_slug_per_locale("unique_actorkind_slug")]


class PlaceKind(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("type de lieu")
        verbose_name_plural = _("types de lieu")
        constraints = [Vocabulary.unique_slug_per_locale("unique_placekind_slug")]


class Service(Vocabulary):
    mediation_numerique = models.CharField(
        _("service du schéma de médiation numérique"),
        max_length=200,
        blank=True,
        help_text=_(
            "Valeur correspondante du schéma national des lieux de médiation numérique, s'il y en a une."
        ),
    )

    panels = [*Vocabulary.panels, FieldPanel("mediation_numerique")]
    translatable_fields = [
        *Vocabulary.translatable_fields,
        SynchronizedField("mediation_numerique"),
    ]

    class Meta(Vocabulary.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [Vocabulary.unique_slug_per_locale("unique_service_slug")]


class DirectoryEntry(BasePage):
    """What actors and places share: where they are, how to reach them, what they work on.

    A concrete page model (one table, ``directory_directoryentry``) that ActorPage and PlacePage
    extend: listings, facets, exports, the API and the importer read every entry from one
    queryset of this model. It is never created on its own (``is_creatable``)."""

    summary = models.CharField(
        _("résumé"), max_length=300, help_text=_("Une ou deux phrases, montrées dans la liste.")
    )
    description = RichTextField(
        _("description"), blank=True, features=["h3", "bold", "italic", "ol", "ul", "link"]
    )
    logo = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("logo ou photo principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Sans coordonnées précises, l'entrée est placée au centre de sa commune."),
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    themes = ParentalManyToManyField(
        "taxonomy.Theme", verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    sectors = ParentalManyToManyField(
        "taxonomy.Sector", verbose_name=_("secteurs"), blank=True, related_name="+"
    )

    location_panels = [
        FieldPanel("commune"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    ]
    contact_panels = [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("address"),
        index.RelatedFields("commune", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("commune"),
    ]
    parent_page_types = ["directory.DirectoryIndexPage"]
    subpage_types = []
    is_creatable = False

    objects = PublicPageManager()  # .public() without a query (actors and places inherit it)

    class Meta:
        verbose_name = _("entrée de l'annuaire")
        verbose_name_plural = _("entrées de l'annuaire")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Kept for the content version; whether a place is open now changes with the minute.
        context.update(
            self.shared_context(request, "entry", lambda: entry_context(self, request), minutes=1)
        )
        return context

    @property
    def point(self):
        """(latitude, longitude): the entry's own, else its commune's centre, else None."""
        if self.latitude is not None and self.longitude is not None:
            return (self.latitude, self.longitude)
        if self.commune_id and self.commune.latitude is not None:
            return (self.commune.latitude, self.commune.longitude)
        return None


ENTRY_TYPES_SELECTED = ("actorpage", "placepage")


def specific_entries(queryset):
    """The ActorPage or PlacePage of every DirectoryEntry of ``queryset``, in its order, in one
    query: both child tables are joined (``select_related``), and Django fills each child with the
    base's fields, its selected relations and its prefetched ones."""
    entries = []
    for entry in queryset.select_related(*ENTRY_TYPES_SELECTED):
        for name in ENTRY_TYPES_SELECTED:
            child = getattr(entry, name, None)  # None when this entry is of the other type
            if child is not None:
                entries.append(child)
                break
    return entries


def entry_parent_link(related_name):
    """An entry type's link to DirectoryEntry. It keeps the column name the table had when entries
    had no base table (page ids, migration 0005): every foreign key to actors and places (and
    their revisions) stays as it was."""
    return models.OneToOneField(
        DirectoryEntry,
        on_delete=models.CASCADE,
        parent_link=True,
        primary_key=True,
        db_column="page_ptr_id",
        related_name=related_name,
    )


class ActorPage(DirectoryEntry):
    """An organisation or collective of the territory."""

    directoryentry_ptr = entry_parent_link("actorpage")

    kind = models.ForeignKey(
        ActorKind,
        verbose_name=_("type d'acteur"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_member = models.BooleanField(_("membre du réseau"), default=False)
    served_with = ("commune", "kind")  # read with the page when it is served (core/routing.py)
    search_fields = [
        *DirectoryEntry.search_fields,
        index.RelatedFields("kind", [index.SearchField("name")]),
    ]
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("kind"),
        FieldPanel("is_member"),
        FieldPanel("description"),
        FieldPanel("logo"),
        MultiFieldPanel(DirectoryEntry.location_panels, heading=_("Localisation")),
        MultiFieldPanel(
            [
                *DirectoryEntry.contact_panels,
                FieldPanel("mastodon_url"),
                FieldPanel("facebook_url"),
                FieldPanel("linkedin_url"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("themes"), FieldPanel("sectors")], heading=_("Thèmes et secteurs")
        ),
    ]
    subpage_types = ["directory.PlacePage"]

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")


class PlacePage(DirectoryEntry):
    """A tiers-lieu or shared place: coworking, fab lab, public digital space…"""

    directoryentry_ptr = entry_parent_link("placepage")

    class Wheelchair(models.TextChoices):
        UNKNOWN = "", _("non renseigné")
        YES = "yes", _("accessible")
        LIMITED = "limited", _("accès partiel")
        NO = "no", _("non accessible")

    kind = models.ForeignKey(
        PlaceKind,
        verbose_name=_("type de lieu"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    services = ParentalManyToManyField(
        Service, verbose_name=_("services"), blank=True, related_name="+"
    )
    operators = ParentalManyToManyField(
        ActorPage, verbose_name=_("structures qui l'animent"), blank=True, related_name="places"
    )
    opening_hours = models.CharField(
        _("horaires d'ouverture"),
        max_length=255,
        blank=True,
        help_text=_(
            "Syntaxe OpenStreetMap, par exemple : Mo-Fr 09:00-12:30,14:00-18:00; Sa 09:00-12:00"
        ),
    )
    prices = models.TextField(_("tarifs"), blank=True)
    wheelchair = models.CharField(
        _("accès en fauteuil roulant"),
        max_length=10,
        choices=Wheelchair.choices,
        blank=True,
        default="",
    )
    capacity = models.PositiveIntegerField(_("capacité (personnes)"), null=True, blank=True)
    served_with = ("commune", "kind")  # read with the page when it is served (core/routing.py)
    search_fields = [
        *DirectoryEntry.search_fields,
        index.RelatedFields("kind", [index.SearchField("name")]),
        index.RelatedFields("services", [index.SearchField("name")]),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("logo"),
        InlinePanel("photos", label=_("Photo")),
        FieldPanel("operators"),
        FieldPanel("services"),
        MultiFieldPanel(
            [
                FieldPanel("opening_hours"),
                FieldPanel("prices"),
                FieldPanel("wheelchair"),
                FieldPanel("capacity"),
            ],
            heading=_("Accueil"),
        ),
        MultiFieldPanel(DirectoryEntry.location_panels, heading=_("Localisation")),
        MultiFieldPanel(DirectoryEntry.contact_panels, heading=_("Contact")),
        MultiFieldPanel(
            [FieldPanel("themes"), FieldPanel("sectors")], heading=_("Thèmes et secteurs")
        ),
    ]
    parent_page_types = ["directory.DirectoryIndexPage", "directory.ActorPage"]

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def clean(self):
        super().clean()
        from .commons.hours import clean_value, error_message

        message = error_message(self.opening_hours)
        if message:
            raise ValidationError({"opening_hours": message})
        self.opening_hours = clean_value(self.opening_hours)


class PlacePhoto(Orderable):
    place = ParentalKey(PlacePage, related_name="photos", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "images.CustomImage", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("image")]


class Contribution(models.Model):
    """Who proposed a draft entry through the public form. Private: never shown, served or exported."""

    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("entrée proposée"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    contributor_name = models.CharField(_("nom de la personne"), max_length=150, blank=True)
    contributor_email = models.EmailField(_("courriel de la personne"))
    message = models.TextField(_("message à l'équipe"), blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)

    panels = [
        FieldPanel("page", read_only=True),
        FieldPanel("contributor_name", read_only=True),
        FieldPanel("contributor_email", read_only=True),
        FieldPanel("message", read_only=True),
    ]

    class Meta:
        verbose_name = _("proposition du public")
        verbose_name_plural = _("propositions du public")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.page.title} ({self.created_at:%Y-%m-%d})"
