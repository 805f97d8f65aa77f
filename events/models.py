"""Agenda: /agenda/ lists upcoming events first; each organisation writes in its folder.

Tree: EventIndexPage (/agenda/) → OrganisationEventsPage (/agenda/asoft/) → EventPage.
Times are stored in UTC and shown in Europe/Paris.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.models import BasePage, SectionIndexPage


class EventIndexPage(SectionIndexPage):
    subpage_types = ["events.OrganisationEventsPage", "events.EventPage"]

    class Meta:
        verbose_name = _("page de l'agenda")


class OrganisationEventsPage(BasePage):
    """One member organisation's events folder; lists its events."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("agenda d'une organisation")


class EventPage(BasePage):
    lead = models.TextField(_("chapô"), max_length=500)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("toute la journée"), default=False)
    commune = models.ForeignKey(
        "directory.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.ForeignKey(
        "directory.PlacePage", verbose_name=_("lieu de l'annuaire"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    venue = models.CharField(_("adresse ou salle"), max_length=255, blank=True)
    online_url = models.URLField(_("adresse en ligne"), blank=True, help_text=_("Pour un événement en ligne."))
    organisers = ParentalManyToManyField(
        "members.Organisation", verbose_name=_("organisé par"), blank=True, related_name="events"
    )
    themes = ParentalManyToManyField("taxonomy.Theme", verbose_name=_("thèmes"), blank=True, related_name="+")
    registration_url = models.URLField(_("lien d'inscription"), blank=True)
    registration_open = models.BooleanField(_("inscription sur le site"), default=False)
    capacity = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")], heading=_("Dates")
        ),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("commune"), FieldPanel("venue"), FieldPanel("online_url")],
            heading=_("Lieu"),
        ),
        FieldPanel("organisers"),
        FieldPanel("themes"),
        MultiFieldPanel(
            [FieldPanel("registration_url"), FieldPanel("registration_open"), FieldPanel("capacity")],
            heading=_("Inscription"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body"), index.FilterField("start")]
    parent_page_types = ["events.OrganisationEventsPage", "events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
