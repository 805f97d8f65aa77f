"""The registration form of an event page: validation, capacity, spam protection, rate limit.

POST goes to the event page itself (CSRF-protected by Django's middleware). On success the
visitor is redirected (post/redirect/get) with a confirmation message; on error the form is
shown again with what was typed and the errors next to the fields.

Capacity is checked race-free: the rows of the event (every translation shares its places) are
locked for the transaction (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the transaction is
``IMMEDIATE``, settings, so registrations are written one at a time).
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from core.public_forms import rate_limited as _rate_limited

from .forms import RegistrationForm

# The event page calls this module from its ``serve``: the models are reached through the event
# (``type(event)``, ``event.registrations``) rather than imported, so that no circle forms.

RATE_LIMIT = 10  # registration attempts per IP address…
RATE_WINDOW = 60 * 60  # …per hour


def rate_limited(request):
    """Count this attempt for the client's address; True past the limit."""
    return _rate_limited(request, "event-registration", RATE_LIMIT, RATE_WINDOW)


def handle_registration(event, request, occurrences=None, selected=None):
    """Return (form, response or None, status) for the event page.

    For a series, ``occurrences`` are the bookable ones: the visitor picks one, and the capacity
    counts per occurrence.
    """
    if request.method != "POST":
        return RegistrationForm(occurrences=occurrences, selected=selected), None, 200
    form = RegistrationForm(request.POST, occurrences=occurrences, selected=selected)
    if rate_limited(request):
        form.add_error(
            None, _("Trop de tentatives depuis votre connexion. Merci de réessayer dans une heure.")
        )
        form.regenerate_stamp()
        return form, None, 429
    if not form.is_valid():
        form.regenerate_stamp()
        return form, None, 200
    email = form.cleaned_data["email"].strip().lower()
    with transaction.atomic():
        # Lock the event's rows so that two last-minute registrations cannot both take the last place.
        list(
            type(event)
            .objects.select_for_update()
            .filter(translation_key=event.translation_key)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        occurrence = form.cleaned_data.get("occurrence")
        existing = event.registrations.model.objects.filter(
            event__translation_key=event.translation_key, email__iexact=email
        )
        if occurrence is not None:
            existing = existing.filter(occurrence=occurrence.recurrence_id)
        if existing.exists():
            form.add_error(
                "email",
                _("Ce courriel est déjà inscrit à cette séance.")
                if occurrence
                else _("Ce courriel est déjà inscrit à cet événement."),
            )
            form.regenerate_stamp()
            return form, None, 200
        if event.capacity is not None and event.registrations_count(occurrence) >= event.capacity:
            form.add_error(
                None,
                _(
                    "Désolé, cet événement est complet : votre inscription n'a pas pu être enregistrée. "
                    "Vous pouvez contacter les organisateurs."
                ),
            )
            form.regenerate_stamp()
            return form, None, 200
        event.registrations.model.objects.create(
            event=event,
            occurrence=occurrence.recurrence_id if occurrence else None,
            name=form.cleaned_data["name"].strip(),
            email=email,
        )
    messages.success(request, _("Merci, votre inscription est enregistrée."))
    url = f"{event.url}?date={occurrence.date_param}" if occurrence else event.url
    return form, HttpResponseRedirect(url), 200
