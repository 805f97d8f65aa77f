"""Agenda: /agenda/ lists upcoming events first; each organisation writes in its folder.

Tree: EventIndexPage (/agenda/) → OrganisationEventsPage (/agenda/asoft/) → EventPage.
Times are stored in UTC and shown in Europe/Paris. Calendars (iCalendar, RFC 5545): the whole
agenda at /agenda/ical/, one event at <event URL>ical/. The past stays in /agenda/?periode=passes.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.models import BasePage, SectionIndexPage
from core.pagination import paginate
from members.models import Organisation

from .filters import AgendaFilters
from .recurrence import PARIS, RecurrenceMixin, validate_exception

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


def webcal(request, url):
    """The webcal:// address of a feed (calendar programs subscribe to it instead of downloading)."""
    return "webcal://" + request.get_host() + url if url else ""


def occurrences_of(events):
    """Occurrences (not cancelled) of these events, with what a card shows, in fixed queries."""
    return (
        EventOccurrence.objects.filter(event__in=events.values("pk"), cancelled=False)
        .select_related(
            "event", "event__commune", "event__place", "event__place__commune", "event__locale"
        )
        .defer("event__body")
        .prefetch_related("event__themes", "event__organisers")
    )


def with_next_start(events, now=None):
    """Events that still have an occurrence to come, annotated ``next_start``, soonest first (one query).

    For the home page and dossiers, which list events rather than occurrences: a series shows its
    next date, not its first.
    """
    from django.db.models import OuterRef, Subquery

    now = now or timezone.now()
    following = EventOccurrence.objects.filter(
        event=OuterRef("pk"), cancelled=False, end__gte=now
    ).order_by("start")
    return (
        events.annotate(next_start=Subquery(following.values("start")[:1]))
        .filter(next_start__isnull=False)
        .order_by("next_start", "pk")
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
        # What comes next changes with the time too: renewed every minute.
        context.update(
            self.shared_listing(request, "agenda", lambda: self.listing_context(request), minutes=1)
        )
        return context

    def listing_context(self, request):
        context = {}
        period = request.GET.get("periode", UPCOMING)
        if period not in (UPCOMING, PAST):
            context["period_error"] = _(
                "Cette période n'existe pas : les événements à venir sont affichés."
            )
            period = UPCOMING
        events = self.events()
        filters = AgendaFilters(request, self.locale_id, events)
        events = filters.apply(events)
        events = (
            past(occurrences_of(events)) if period == PAST else upcoming(occurrences_of(events))
        )
        context.update(filters.context())
        context.update(
            paginate(
                request,
                events,
                EVENTS_PER_PAGE,
                {**filters.params, "periode": period if period == PAST else None},
            )
        )
        context["page_obj"].object_list = list(context["page_obj"].object_list)  # read once
        context["period"] = period
        context["periode"] = period if period == PAST else ""
        context["calendar_url"] = self.calendar_url(filters)
        context["webcal_url"] = webcal(request, context["calendar_url"])
        context["calendar_title"] = (
            _("Agenda du réseau : %(filters)s (iCalendar)") % {"filters": filters.label()}
            if filters.active
            else None
        )
        return context

    def calendar_url(self, filters=None):
        url = self.url + self.reverse_subpage("calendar")
        query = filters.query_string() if filters is not None else ""
        return f"{url}?{query}" if query else url

    @path("ical/", name="calendar")
    def calendar(self, request):
        from .ical import calendar_response

        events = self.events()
        filters = AgendaFilters(request, self.locale_id, events)
        if filters.errors:
            return HttpResponseBadRequest(
                " ".join([gettext("Ce calendrier n'existe pas."), *filters.errors]),
                content_type="text/plain; charset=utf-8",
            )
        recent = timezone.now() - timedelta(days=90)
        events = (
            filters.apply(events)
            .filter(last_end__gte=recent)
            .prefetch_related("exceptions")
            .order_by("start")[:500]
        )
        name = f"{self.title} : {filters.label()}" if filters.active else self.title
        return calendar_response(request, events, name=name, filename="agenda.ics")


class OrganisationEventsPage(BasePage):
    """One member organisation's events folder; lists its events."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("agenda d'une organisation")

    def route(self, request, path_components):
        """An event of this folder in one query (its children are all events), with its commune:
        Wagtail's own routing reads the child, then again as its specific type."""
        if path_components:
            event = (
                EventPage.objects.child_of(self)
                .filter(slug=path_components[0])
                .select_related("commune")
                .first()
            )
            if event is not None:
                event._cached_parent_obj = self
                ancestors = getattr(self, "_route_ancestors", None)
                if ancestors is not None:  # for its breadcrumbs and view restrictions
                    event._route_ancestors = [*ancestors, self]
                return event.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # What comes next changes with the time too: renewed every minute.
        context.update(
            self.shared_context(
                request, "organisation-agenda", lambda: self.listing_context(request), minutes=1
            )
        )
        return context

    def listing_context(self, request):
        occurrences = occurrences_of(events_queryset().child_of(self))
        context = {
            "upcoming_events": list(upcoming(occurrences)[:50]),
            "past_events": list(past(occurrences)[:10]),
            "organisation": Organisation.objects.for_folder(self, "events_page"),
        }
        # The agenda's calendar, from this folder's own URL (its parent is the agenda): no query.
        url = self.get_url(request) or ""
        agenda_url = url[: -len(self.slug) - 1] if url.endswith(f"/{self.slug}/") else ""
        context["calendar_url"] = (
            agenda_url + EventIndexPage.get_resolver().reverse("calendar") if agenda_url else None
        )
        return context


class EventPage(RoutablePageMixin, RecurrenceMixin, BasePage):
    lead = models.TextField(_("chapô"), max_length=500)
    start = models.DateTimeField(_("début"), help_text=_("Heure de Paris."))
    end = models.DateTimeField(
        _("fin"),
        help_text=_("Heure de Paris. Pour un événement sur la journée, l'heure est ignorée."),
    )
    all_day = models.BooleanField(_("toute la journée"), default=False)
    commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.ForeignKey(
        "directory.PlacePage",
        verbose_name=_("lieu de l'annuaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    venue = models.CharField(_("adresse ou salle"), max_length=255, blank=True)
    online_url = models.URLField(
        _("adresse en ligne"), blank=True, help_text=_("Pour un événement en ligne.")
    )
    organisers = ParentalManyToManyField(
        "members.Organisation", verbose_name=_("organisé par"), blank=True, related_name="events"
    )
    themes = ParentalManyToManyField(
        "taxonomy.Theme", verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    registration_url = models.URLField(_("lien d'inscription"), blank=True)
    registration_open = models.BooleanField(_("inscription sur le site"), default=False)
    capacity = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    last_end = models.DateTimeField(
        _("fin de la dernière séance"), null=True, blank=True, editable=False
    )
    # Set by the calendar import (events/importer.py): the event's identity in its organisation's
    # calendar (UID), a digest of what was imported, the revision the import wrote (another revision
    # since means the page was edited on the site), and whether the event left the calendar.
    import_uid = models.CharField(
        _("identifiant dans le calendrier importé"),
        max_length=255,
        blank=True,
        db_index=True,
        editable=False,
    )
    import_hash = models.CharField(max_length=64, blank=True, editable=False)
    import_revision_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    import_removed = models.BooleanField(
        _("retiré du calendrier importé"), default=False, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("all_day")],
            heading=_("Dates"),
        ),
        *RecurrenceMixin.recurrence_panels,
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("commune"),
                FieldPanel("venue"),
                FieldPanel("online_url"),
            ],
            heading=_("Lieu"),
        ),
        FieldPanel("organisers"),
        FieldPanel("themes"),
        MultiFieldPanel(
            [
                FieldPanel("registration_url"),
                FieldPanel("registration_open"),
                FieldPanel("capacity"),
            ],
            heading=_("Inscription"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("start"),
    ]
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
            errors["capacity"] = _(
                "Le nombre de places ne sert que pour l'inscription sur le site."
            )
        errors.update(self.clean_recurrence())
        if not errors and self.start and self.end:
            exception_errors = []
            for exception in self.exceptions.all():
                try:
                    validate_exception(self, exception)
                except ValidationError as error:
                    exception_errors.extend(error.messages)
            if exception_errors:
                errors["repeat"] = [
                    _("Séances annulées ou déplacées : %(errors)s")
                    % {"errors": " ".join(dict.fromkeys(exception_errors))}
                ]
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
        if update_fields is None and self.start and self.end:
            rows = self.occurrence_list(self.exceptions.all())
            self.last_end = max(row[2] for row in rows) if rows else self.end
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
        return (self.last_end or self.end) < timezone.now()

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

    # --- occurrences ---------------------------------------------------------------------

    def upcoming_occurrences(self, limit=12):
        """The next occurrences of this page (cancelled ones included, marked), soonest first."""
        return list(self.occurrences.filter(end__gte=timezone.now()).order_by("start")[:limit])

    def occurrence_on(self, value):
        """The occurrence starting on this Paris date ("YYYY-MM-DD"), or None."""
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            return None
        first = datetime.combine(day, time(0), tzinfo=PARIS)
        return (
            self.occurrences.filter(start__gte=first, start__lt=first + timedelta(days=1))
            .order_by("start")
            .first()
        )

    # --- registration -------------------------------------------------------------------

    def registrations_count(self, occurrence=None):
        registrations = Registration.objects.filter(event__translation_key=self.translation_key)
        if self.is_recurring:
            registrations = registrations.filter(
                occurrence=occurrence.recurrence_id if occurrence else None
            )
        return registrations.count()

    def places_left_for(self, occurrence=None):
        if self.capacity is None:
            return None
        return max(self.capacity - self.registrations_count(occurrence), 0)

    @property
    def places_left(self):
        if not hasattr(self, "_places_left"):
            self._places_left = self.places_left_for(getattr(self, "_selected_occurrence", None))
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
        occurrences = self.upcoming_occurrences() if self.is_recurring else []
        selected = None
        if "date" in request.GET and self.is_recurring:
            selected = self.occurrence_on(request.GET["date"])
            if selected is None:
                context["date_error"] = _(
                    "Cette date ne fait pas partie de la série : voici les prochaines séances."
                )
        bookable = [occurrence for occurrence in occurrences if not occurrence.cancelled]
        if self.is_recurring:
            self._selected_occurrence = (
                selected
                if selected is not None and not selected.cancelled
                else (bookable[0] if bookable else None)
            )
        context["next_occurrences"] = occurrences
        context["selected_occurrence"] = selected
        if self.accepts_registrations:
            context["registration_form"], response, status = handle_registration(
                self,
                request,
                bookable if self.is_recurring else None,
                getattr(self, "_selected_occurrence", None),
            )
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
        shared = self.shared_context(
            request,
            "event",
            lambda: {
                "organisers": list(self.organisers.select_related("actor_page")),
                "calendar_url": self.calendar_url(),
            },
        )
        context.update(shared)
        # Places left change with every registration: never kept.
        context["json_ld"] = event_json_ld(self, request, shared["organisers"])
        return context


class EventException(Orderable):
    """One occurrence of a series cancelled (EXDATE) or moved (an override with RECURRENCE-ID)."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="exceptions")
    original_date = models.DateField(_("date de la séance concernée"))
    cancelled = models.BooleanField(
        _("annulée"), default=False, help_text=_("Cochez pour annuler cette séance.")
    )
    new_start = models.DateTimeField(
        _("nouveau début"),
        null=True,
        blank=True,
        help_text=_("Heure de Paris. Pour déplacer la séance."),
    )
    new_end = models.DateTimeField(
        _("nouvelle fin"), null=True, blank=True, help_text=_("Heure de Paris.")
    )

    panels = [
        FieldPanel("original_date"),
        FieldPanel("cancelled"),
        FieldRowPanel([FieldPanel("new_start"), FieldPanel("new_end")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("séance annulée ou déplacée")
        verbose_name_plural = _("séances annulées ou déplacées")

    def clean(self):
        super().clean()
        if not self.cancelled and not self.new_start:
            raise ValidationError(
                {"new_start": _("Indiquez le nouveau début, ou cochez « annulée ».")}
            )
        if self.cancelled and (self.new_start or self.new_end):
            raise ValidationError({"new_start": _("Une séance annulée n'a pas de nouvelle date.")})
        if self.new_start and self.new_end and self.new_end < self.new_start:
            raise ValidationError({"new_end": _("La fin doit être après le début.")})


class EventOccurrence(models.Model):
    """One dated occurrence of a live event, materialised on publish so that listings are one query.

    A one-off event has one row; a series has one row per occurrence up to the horizon
    (``recurrence.HORIZON_DAYS``). ``recurrence_id`` is the start the rule gave (RECURRENCE-ID);
    ``start``/``end`` are where it really is (moved occurrences differ).
    """

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="occurrences")
    recurrence_id = models.DateTimeField()
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField(db_index=True)
    cancelled = models.BooleanField(default=False)
    moved = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recurrence_id"], name="unique_occurrence_per_event"
            )
        ]

    def __str__(self):
        return f"{self.event_id} · {self.start:%Y-%m-%d %H:%M}"

    # What event_dates.html and the cards read, like an EventPage.
    @property
    def title(self):
        return self.event.title

    @property
    def all_day(self):
        return self.event.all_day

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
    def date_param(self):
        return self.start.astimezone(PARIS).date().isoformat()

    @property
    def is_past(self):
        return self.end < timezone.now()


def sync_occurrences(event):
    """Rewrite the occurrence rows of a live event from its rule and exceptions."""
    from django.db import transaction

    rows = event.occurrence_list(list(EventException.objects.filter(event=event)))
    with transaction.atomic():
        EventOccurrence.objects.filter(event=event).delete()
        EventOccurrence.objects.bulk_create(
            EventOccurrence(
                event=event,
                recurrence_id=rid,
                start=start,
                end=end,
                cancelled=cancelled,
                moved=moved,
            )
            for rid, start, end, cancelled, moved in rows
        )
    last_end = max((row[2] for row in rows), default=event.end)
    if event.last_end != last_end:
        EventPage.objects.filter(pk=event.pk).update(last_end=last_end)
        event.last_end = last_end


def drop_occurrences(event):
    EventOccurrence.objects.filter(event=event).delete()


class Registration(models.Model):
    """Someone signed up for an event through the site's form. Staff see these in the admin only."""

    event = models.ForeignKey(
        EventPage,
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    occurrence = models.DateTimeField(
        _("séance"),
        null=True,
        blank=True,
        help_text=_("Pour un événement qui se répète : la séance choisie."),
    )
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("courriel"))
    created = models.DateTimeField(_("inscrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(occurrence__isnull=True),
                name="unique_registration_per_event",
            ),
            models.UniqueConstraint(
                fields=["event", "occurrence", "email"],
                condition=models.Q(occurrence__isnull=False),
                name="unique_registration_per_occurrence",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.event.title}"
