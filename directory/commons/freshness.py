"""Freshness without an account: the reminder to an entry's public contact holds two signed,
expiring, single-purpose links.

- "Tout est à jour" (/annuaire/fiche/a-jour/<token>/): a page with one button; pressing it records
  the verification date (``EntryVerification``), shown as "Informations vérifiées le …" and used as
  ``date_maj`` in the exports. (A button rather than the bare link, so that mail scanners that
  open links do not use it up.)
- "Quelque chose a changé" (/annuaire/fiche/modifier/<token>/): the entry's fields, prefilled; what
  is sent becomes a draft revision of the entry itself, submitted to moderation.

A token is ``django.core.signing`` with one salt per purpose (a confirmation token cannot open the
change form) and a nonce recorded in ``FreshnessLink`` (a link works once). Forged, expired or
reused: a 4xx page, and nothing changes.
"""

import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import Signal
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from .hours import clean_value as clean_hours
from .hours import validate_opening_hours
from .models import EntryVerification, FreshnessLink

# Sent for the directory (directory/signal_handlers.py), which this app does not import:
# ``entry_confirmed`` (page) when a contact confirms that an entry is current (the exports show
# the date), ``change_proposed`` (page, contact) when a contact's changes await moderation.
entry_confirmed = Signal()
change_proposed = Signal()

LINK_MAX_AGE = 60 * 60 * 24 * 30  # 30 days
SALT = "directory.freshness.{purpose}"


def make_token(page, purpose):
    link = FreshnessLink.objects.create(
        page_id=page.pk, purpose=purpose, nonce=secrets.token_hex(16)
    )
    return signing.dumps({"p": page.pk, "n": link.nonce}, salt=SALT.format(purpose=purpose))


def link_urls(page):
    """{"confirm": absolute URL, "change": absolute URL} for a reminder about ``page``."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    with translation.override(page.locale.language_code):
        return {
            purpose: base
            + reverse(f"directory_commons:{purpose}", args=[make_token(page, purpose)])
            for purpose in (FreshnessLink.Purpose.CONFIRM, FreshnessLink.Purpose.CHANGE)
        }


class LinkRefused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def read_token(token, purpose, lock=False):
    """The unused ``FreshnessLink`` of a valid token, or LinkRefused (400 forged, 410 expired or
    used, 404 when the entry is gone)."""
    try:
        data = signing.loads(token, salt=SALT.format(purpose=purpose), max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkRefused(
            410, _("Ce lien a expiré. Écrivez à l'équipe du Parc pour en recevoir un nouveau.")
        ) from error
    except signing.BadSignature as error:
        raise LinkRefused(
            400, _("Ce lien n'est pas valide : vérifiez qu'il a été copié en entier.")
        ) from error
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("n"), str)
        or not isinstance(data.get("p"), int)
    ):
        raise LinkRefused(
            400, _("Ce lien n'est pas valide : vérifiez qu'il a été copié en entier.")
        )
    links = FreshnessLink.objects.filter(nonce=data["n"], page_id=data["p"], purpose=purpose)
    if lock:
        links = links.select_for_update()
    link = links.select_related("page").first()
    if link is None:
        raise LinkRefused(
            400, _("Ce lien n'est pas valide : vérifiez qu'il a été copié en entier.")
        )
    if link.used_at is not None:
        raise LinkRefused(
            410,
            _("Ce lien a déjà servi le %(date)s : il ne fonctionne qu'une fois.")
            % {"date": timezone.localtime(link.used_at).strftime("%d/%m/%Y")},
        )
    if not link.page.live:
        raise LinkRefused(404, _("Cette fiche n'est plus publiée dans l'annuaire."))
    return link


def refused(request, error):
    return TemplateResponse(
        request,
        "directory/commons/link_refused.html",
        {"message": error.message},
        status=error.status,
    )


@never_cache
def confirm(request, token):
    try:
        link = read_token(token, FreshnessLink.Purpose.CONFIRM)
    except LinkRefused as error:
        return refused(request, error)
    page = link.page.specific
    if request.method == "POST":
        with transaction.atomic():
            try:
                link = read_token(token, FreshnessLink.Purpose.CONFIRM, lock=True)
            except LinkRefused as error:
                return refused(request, error)
            now = timezone.now()
            link.used_at = now
            link.save(update_fields=["used_at"])
            EntryVerification.objects.update_or_create(
                page_id=link.page_id, defaults={"verified_at": now}
            )
            from core.page_cache import invalidate

            invalidate()
            entry_confirmed.send(sender=type(page), page=page)
        return TemplateResponse(
            request, "directory/commons/confirmed.html", {"entry": page, "verified_at": now}
        )
    return TemplateResponse(request, "directory/commons/confirm.html", {"entry": page})


class EntryChangeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Nom"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("En une ou deux phrases"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=gettext_lazy("Description détaillée"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    address = forms.CharField(label=gettext_lazy("Adresse"), max_length=255, required=False)
    phone = forms.CharField(label=gettext_lazy("Téléphone public"), max_length=40, required=False)
    email = forms.EmailField(label=gettext_lazy("Courriel public"), required=False)
    website = forms.URLField(label=gettext_lazy("Site web"), required=False, assume_scheme="https")
    opening_hours = forms.CharField(
        label=gettext_lazy("Horaires d'ouverture"),
        max_length=255,
        required=False,
        validators=[validate_opening_hours],
        help_text=gettext_lazy(
            "Syntaxe OpenStreetMap, par exemple : Mo-Fr 09:00-12:30,14:00-18:00; Sa 09:00-12:00; PH off"
        ),
    )
    message = forms.CharField(
        label=gettext_lazy("Message à l'équipe du Parc"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not hasattr(entry, "opening_hours"):
            del self.fields["opening_hours"]


def initial_for(entry):
    initial = {
        name: getattr(entry, name, "")
        for name in ("title", "summary", "address", "phone", "email", "website", "opening_hours")
    }
    initial["description"] = strip_tags(entry.description.replace("</p>", "</p>\n\n")).strip()
    return initial


def propose_change(entry, data, link):
    """A draft revision of the entry with the sent values, submitted to moderation."""
    entry.title = data["title"]
    entry.summary = data["summary"]
    entry.description = linebreaks(escape(data["description"])) if data.get("description") else ""
    for name in ("address", "phone", "email", "website"):
        setattr(entry, name, data.get(name, ""))
    if "opening_hours" in data:
        entry.opening_hours = clean_hours(data["opening_hours"])
    revision = entry.save_revision(log_action=True)
    workflow = entry.get_workflow()
    if (
        workflow is not None
        and workflow.tasks.filter(active=True).exists()
        and not entry.workflow_in_progress
    ):
        workflow.start(entry, user=None)
    change_proposed.send(
        sender=type(entry), page=entry, contact=entry.email or _("(contact de la fiche)")
    )
    return revision


@never_cache
def change(request, token):
    try:
        link = read_token(token, FreshnessLink.Purpose.CHANGE)
    except LinkRefused as error:
        return refused(request, error)
    entry = link.page.specific
    if request.method == "POST":
        form = EntryChangeForm(request.POST, entry=entry)
        if form.is_valid():
            with transaction.atomic():
                try:
                    link = read_token(token, FreshnessLink.Purpose.CHANGE, lock=True)
                except LinkRefused as error:
                    return refused(request, error)
                link.used_at = timezone.now()
                link.save(update_fields=["used_at"])
                propose_change(entry, form.cleaned_data, link)
            return TemplateResponse(request, "directory/commons/change_sent.html", {"entry": entry})
    else:
        form = EntryChangeForm(initial=initial_for(entry), entry=entry)
    return TemplateResponse(
        request, "directory/commons/change.html", {"entry": entry, "form": form}
    )


def verified_dates(page_ids):
    """{page id: verification datetime} (one query)."""
    return dict(
        EntryVerification.objects.filter(page_id__in=list(page_ids)).values_list(
            "page_id", "verified_at"
        )
    )


def attach_verified_at(entries):
    dates = verified_dates([entry.pk for entry in entries])
    for entry in entries:
        entry.verified_at = dates.get(entry.pk)


def updated_at(entry):
    """What ``date_maj`` says: the later of the last publication and the last verification."""
    dates = [
        d
        for d in (
            entry.last_published_at or entry.latest_revision_created_at,
            getattr(entry, "verified_at", None),
        )
        if d
    ]
    return max(dates) if dates else None


def send_reminders(entries, stdout=None):
    """E-mail each entry's public contact the two links; returns how many were sent."""
    sent = 0
    for entry in entries:
        if not entry.email:
            continue
        urls = link_urls(entry)
        with translation.override(entry.locale.language_code):
            send_mail(
                _("Votre fiche dans l'annuaire est-elle à jour ? (%(name)s)")
                % {"name": entry.title},
                _(
                    "Bonjour,\n\nLa fiche « %(name)s » de l'annuaire du réseau Innover en Baronnies provençales "
                    "n'a pas été mise à jour depuis longtemps.\n\n"
                    "Tout est à jour ? Un clic suffit, sans compte :\n%(confirm)s\n\n"
                    "Quelque chose a changé ? Corrigez la fiche ici, l'équipe du Parc relira avant publication :\n%(change)s\n\n"
                    "Ces liens fonctionnent une seule fois, pendant 30 jours.\n\nL'équipe du Parc"
                )
                % {"name": entry.title, "confirm": urls["confirm"], "change": urls["change"]},
                None,
                [entry.email],
            )
        sent += 1
    return sent
