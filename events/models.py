"""Agenda: /agenda/ lists upcoming events first; each organisation writes in its folder.

Tree: EventIndexPage (/agenda/) → OrganisationEventsPage (/agenda/asoft/) → EventPage.
Times are stored in UTC and shown in Europe/Paris. Calendars (iCalendar, RFC 5545): the whole
agenda at /agenda/ical/, one event at <event URL>ical/. The past stays in /agenda/?periode=passes.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.listing_filters import ListingFilters
from core.models import BasePage, SectionIndexPage
from core.pagination import paginate
from members.models import Organisation
from taxonomy.models import Theme

EVENTS_PER_PAGE = 12
UPCOMING, PAST = "a-venir", "passes"


def events_queryset():
    """Live, public events with what a listing shows, in a fixed number of queries."""
    return (
        EventPage.objects.live()
        .public()
        .defer_streamfields()
        .select_related("commune", "place", "place__commune", "locale")
        .prefetch_related("themes", "organisers")
    )


def upcoming(events, now=None):
    return events.filter(end__gte=now or timezone.now()).order_by("start", "pk")


def past(events, now=None):
    return events.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")


class EventIndexPage(RoutablePageMixin, SectionIndexPage):
    subpage_types = ["events.OrganisationEventsPage", "events.EventPage"]

    class Meta:
        verbose_name = _("page de l'agenda")

    def events(self):
        return events_queryset().descendant_of(self).filter(locale_id=self.locale_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        period = request.GET.get("periode", UPCOMING)
        if period not in (UPCOMING, PAST):
            context["period_error"] = _("Cette période n'existe pas : les événements à venir sont affichés.")
            period = UPCOMING
        events = self.events()
        filters = ListingFilters(
            request,
            themes=Theme.objects.filter(locale_id=self.locale_id).only("name", "slug"),
            organisations=Organisation.objects.publishing_in(events, "organisers"),
            organisation_field="organisers",
        )
        events = filters.apply(events)
        events = past(events) if period == PAST else upcoming(events)
        context.update(filters.context())
        context.update(paginate(request, events, EVENTS_PER_PAGE, {**filters.params, "periode": period if period == PAST else None}))
        context["period"] = period
        context["periode"] = period if period == PAST else ""
        context["calendar_url"] = self.calendar_url()
        return context

    def calendar_url(self):
        return self.url + self.reverse_subpage("calendar")

    @path("ical/", name="calendar")
    def calendar(self, request):
        from .ical import calendar_response

        recent = timezone.now() - timedelta(days=90)
        events = self.events().filter(end__gte=recent).order_by("start")[:500]
        return calendar_response(request, events, name=self.title, filename="agenda.ics")


class OrganisationEventsPage(BasePage):
    """One member organisation's events folder; lists its events."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("agenda d'une organisation")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = events_queryset().child_of(self)
        context["upcoming_events"] = list(upcoming(events)[:50])
        context["past_events"] = list(past(events)[:10])
        context["organisation"] = Organisation.objects.for_folder(self, "events_page")
        # The agenda's calendar, from this folder's own URL (its parent is the agenda): no query.
        url = self.get_url(request) or ""
        agenda_url = url[: -len(self.slug) - 1] if url.endswith(f"/{self.slug}/") else ""
        context["calendar_url"] = agenda_url + EventIndexPage.get_resolver().reverse("calendar") if agenda_url else None
        return context


class EventPage(RoutablePageMixin, BasePage):
    lead = models.TextField(_("chapô"), max_length=500)
    start = models.DateTimeField(_("début"), help_text=_("Heure de Paris."))
    end = models.DateTimeField(_("fin"), help_text=_("Heure de Paris. Pour un événement sur la journée, l'heure est ignorée."))
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

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("La fin doit être après le début.")
        if self.registration_open and self.registration_url:
            errors["registration_url"] = _(
                "Choisissez l'inscription sur le site ou un lien d'inscription, pas les deux."
            )
        if self.capacity is not None and not self.registration_open:
            errors["capacity"] = _("Le nombre de places ne sert que pour l'inscription sur le site.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The folder's organisation is always among the organisers.
        update_fields = kwargs.get("update_fields")
        if self.path and update_fields is None:
            parent = self.get_parent()
            if parent is not None and parent.specific_class is OrganisationEventsPage:
                organisation = Organisation.objects.for_folder(parent, "events_page")
                if organisation is not None:
                    try:
                        current = list(self.organisers.all())
                    except ValueError:  # a new page whose organisers were never set
                        current = []
                    if organisation not in current:
                        self.organisers = [*current, organisation]
        return super().save(*args, **kwargs)

    # --- what the templates and feeds show ------------------------------------------

    @cached_property
    def theme_list(self):
        """The event's themes, read once (prefetched in listings)."""
        return list(self.themes.all())

    @cached_property
    def organiser_list(self):
        return list(self.organisers.all())

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def local_end(self):
        return timezone.localtime(self.end)

    @property
    def same_day(self):
        return self.local_start.date() == self.local_end.date()

    @property
    def is_past(self):
        return self.end < timezone.now()

    @property
    def location_name(self):
        """A one-line place for listings and calendars."""
        parts = []
        if self.place_id:
            parts.append(self.place.title)
        if self.venue:
            parts.append(self.venue)
        commune = self.commune or (self.place.commune if self.place_id else None)
        if commune is not None:
            parts.append(commune.name)
        return ", ".join(parts)

    # --- registration -------------------------------------------------------------------

    def registrations_count(self):
        return Registration.objects.filter(event__translation_key=self.translation_key).count()

    @property
    def places_left(self):
        if self.capacity is None:
            return None
        if not hasattr(self, "_places_left"):
            self._places_left = max(self.capacity - self.registrations_count(), 0)
        return self._places_left

    @property
    def accepts_registrations(self):
        return self.registration_open and not self.is_past

    # --- routes -------------------------------------------------------------------------

    @path("", name="event")
    def event(self, request):
        from .registration import handle_registration

        context = {}
        status = 200
        if self.accepts_registrations:
            context["registration_form"], response, status = handle_registration(self, request)
            if response is not None:
                return response
        response = self.render(request, context_overrides=context)
        response.status_code = status
        return response

    def calendar_url(self):
        return self.url + self.reverse_subpage("calendar")

    @path("ical/", name="calendar")
    def calendar(self, request):
        from .ical import calendar_response

        return calendar_response(request, [self], name=self.title, filename=f"{self.slug}.ics")

    def get_context(self, request, *args, **kwargs):
        from .jsonld import event_json_ld

        context = super().get_context(request, *args, **kwargs)
        context["organisers"] = list(self.organisers.select_related("actor_page"))
        context["json_ld"] = event_json_ld(self, request, context["organisers"])
        context["calendar_url"] = self.calendar_url()
        return context


class Registration(models.Model):
    """Someone signed up for an event through the site's form. Staff see these in the admin only."""

    event = models.ForeignKey(EventPage, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("courriel"))
    created = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="unique_registration_per_event")]

    def __str__(self):
        return f"{self.name} · {self.event.title}"
