"""Public contributions: "Proposer un lieu ou un acteur" (/annuaire/proposer/, the ``propose`` route
of the directory page).

A submission becomes a DRAFT ActorPage or PlacePage under the directory index of the current
language, submitted to the moderation workflow that applies there (if any); moderators are e-mailed.
The contributor's e-mail goes to the private ``Contribution`` table, never on the page.

Spam protection (core/public_forms.py, shared by every public form): a honeypot that people never
see (a submission that fills it is silently dropped), a signed start time (too fast or older than
two hours: refused, with what was typed kept), and a rate limit per client address:
RATE_LIMIT submissions per RATE_WINDOW seconds.
"""

import logging

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from wagtail.models import Locale

from core.client_ip import client_key
from core.public_forms import PublicFormProtection
from core.public_forms import rate_limited as _rate_limited

from .commons.duplicates import duplicate_warning, flag_duplicates
from .commons.hours import clean_value as clean_hours
from .commons.hours import validate_opening_hours
from .models import (
    ActorKind,
    ActorPage,
    Commune,
    Contribution,
    PlaceKind,
    PlacePage,
)

logger = logging.getLogger(__name__)

MAX_AGE = 2 * 60 * 60
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60
MODERATORS_GROUP = "Équipe du Parc"
HONEYPOT = "site_web_pro"


class ContributionForm(PublicFormProtection, forms.Form):
    honeypot_field = HONEYPOT
    stamp_field = "token"
    stamp_max_age = MAX_AGE
    honeypot_drops_silently = True

    entry_type = forms.ChoiceField(
        label=gettext_lazy("Vous proposez"),
        choices=[
            ("acteur", gettext_lazy("un acteur (structure, collectif)")),
            ("lieu", gettext_lazy("un lieu (tiers-lieu, espace partagé)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Indiquez s'il s'agit d'un acteur ou d'un lieu.")},
    )
    title = forms.CharField(
        label=gettext_lazy("Nom"),
        max_length=200,
        error_messages={"required": gettext_lazy("Indiquez le nom de l'acteur ou du lieu.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        error_messages={"required": gettext_lazy("Choisissez le type qui convient le mieux.")},
    )
    summary = forms.CharField(
        label=gettext_lazy("En une ou deux phrases"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Décrivez l'activité en une ou deux phrases.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description détaillée"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Commune"),
        queryset=Commune.objects.order_by("name"),
        to_field_name="insee",
        empty_label=gettext_lazy("Choisissez une commune"),
        error_messages={
            "required": gettext_lazy("Choisissez la commune."),
            "invalid_choice": gettext_lazy("Cette commune ne fait pas partie de la liste."),
        },
    )
    address = forms.CharField(label=gettext_lazy("Adresse"), max_length=255, required=False)
    phone = forms.CharField(label=gettext_lazy("Téléphone public"), max_length=40, required=False)
    email = forms.EmailField(
        label=gettext_lazy("Courriel public"),
        required=False,
        error_messages={
            "invalid": gettext_lazy(
                "Saisissez une adresse de courriel valide, par exemple nom@exemple.fr."
            )
        },
    )
    website = forms.URLField(
        label=gettext_lazy("Site web"),
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": gettext_lazy(
                "Saisissez une adresse web valide, par exemple https://exemple.fr."
            )
        },
    )
    opening_hours = forms.CharField(
        label=gettext_lazy("Horaires d'ouverture (pour un lieu)"),
        max_length=255,
        required=False,
        validators=[validate_opening_hours],
        help_text=gettext_lazy(
            "Syntaxe OpenStreetMap, par exemple : Mo-Fr 09:00-12:30,14:00-18:00; Sa 09:00-12:00; PH off"
        ),
    )
    contributor_name = forms.CharField(
        label=gettext_lazy("Votre nom"), max_length=150, required=False
    )
    contributor_email = forms.EmailField(
        label=gettext_lazy("Votre courriel"),
        help_text=gettext_lazy("Pour vous répondre seulement : il ne sera ni publié ni partagé."),
        error_messages={
            "required": gettext_lazy(
                "Indiquez votre courriel pour que l'équipe puisse vous répondre."
            ),
            "invalid": gettext_lazy(
                "Saisissez une adresse de courriel valide, par exemple nom@exemple.fr."
            ),
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Message à l'équipe du Parc"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        locale = locale or Locale.get_active()
        self.fields["kind"].choices = [
            ("", _("Choisissez un type")),
            (
                _("Acteurs"),
                [(f"acteur:{k.slug}", k.name) for k in ActorKind.objects.filter(locale=locale)],
            ),
            (
                _("Lieux"),
                [(f"lieu:{k.slug}", k.name) for k in PlaceKind.objects.filter(locale=locale)],
            ),
        ]
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "Choisissez un type dans la liste."
        )

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind") or ""
        entry_type = cleaned.get("entry_type")
        if kind and entry_type and not kind.startswith(f"{entry_type}:"):
            self.add_error(
                "kind",
                _(
                    "Ce type ne correspond pas : choisissez un type d'acteur pour un acteur, de lieu pour un lieu."
                ),
            )
        return cleaned


def rate_limited(request):
    """Count this submission; True when the address has sent too many recently."""
    return _rate_limited(request, "directory-contribution", RATE_LIMIT, RATE_WINDOW)


def _unique_slug(parent, title):
    base = slugify(title)[:70] or "proposition"
    slug, n = base, 2
    existing = set(parent.get_children().values_list("slug", flat=True))
    while slug in existing:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_draft(data, locale):
    """The draft entry for a valid form, submitted to moderation where a workflow applies."""
    # The section page (directory/pages.py) imports this module for its ``propose`` route: its
    # model is read from the registry, not imported back.
    DirectoryIndexPage = apps.get_model("directory", "DirectoryIndexPage")  # noqa: N806
    index = DirectoryIndexPage.objects.filter(locale=locale).first()
    if index is None:
        index = DirectoryIndexPage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
    # Simultaneous proposals add children to the same page: lock it and read its child count
    # afresh, so that two drafts never get the same tree path (PostgreSQL; SQLite's IMMEDIATE
    # transactions already write one at a time).
    index = DirectoryIndexPage.objects.select_for_update().get(pk=index.pk)
    model = PlacePage if data["entry_type"] == "lieu" else ActorPage
    kind_model = PlaceKind if model is PlacePage else ActorKind
    kind = None
    if data.get("kind"):
        kind = kind_model.objects.filter(
            slug=data["kind"].split(":", 1)[1], locale=index.locale
        ).first()
    description = linebreaks(escape(data["description"])) if data.get("description") else ""
    page = model(
        title=data["title"],
        slug=_unique_slug(index, data["title"]),
        summary=data["summary"],
        description=description,
        kind=kind,
        commune=data["commune"],
        address=data.get("address", ""),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        website=data.get("website", ""),
        live=False,
        locale=index.locale,
    )
    if model is PlacePage:
        page.opening_hours = clean_hours(data.get("opening_hours", ""))
    index.add_child(instance=page)
    page.save_revision(log_action=True)
    Contribution.objects.create(
        page=page,
        contributor_name=data.get("contributor_name", ""),
        contributor_email=data["contributor_email"],
        message=data.get("message", ""),
    )
    workflow = page.get_workflow()
    # A workflow without active tasks would finish at once, and finishing publishes: never start it.
    if workflow is not None and workflow.tasks.filter(active=True).exists():
        workflow.start(page, user=None)
    return page


def moderators():
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
    )


def notify_moderators(page, contributor_email, duplicates=()):
    edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )
    subject = _("Nouvelle proposition pour l'annuaire : %(title)s") % {"title": page.title}
    body = _(
        "Une personne propose une nouvelle entrée dans l'annuaire : « %(title)s » (%(type)s).\n\n"
        "Elle reste en brouillon et n'est pas publiée tant qu'un modérateur ne l'a pas validée.\n"
        "Relire et valider : %(url)s\n\n"
        "Contact de la personne (à ne pas publier) : %(contact)s\n"
    ) % {
        "title": page.title,
        "type": page.specific_class._meta.verbose_name,
        "url": edit_url,
        "contact": contributor_email,
    }
    body += duplicate_warning(duplicates)
    recipients = list(moderators().values_list("email", flat=True))
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)


def describe_errors(form):
    """Point each invalid field to its error list (and help text) for screen readers, errors first.

    The ids are Django's own (``<id>_error``, ``<id>_helptext``), the ones that
    directory/includes/form_field.html gives the error list and the help text."""
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            ids = [f"id_{name}_error"]
            if form.fields[name].help_text:
                ids.append(f"id_{name}_helptext")
            widget.attrs["aria-describedby"] = " ".join(ids)
            widget.attrs["aria-invalid"] = "true"


@never_cache
def propose(request, page):
    locale = Locale.get_active()
    if request.method == "POST":
        form = ContributionForm(request.POST, locale=locale)
        if rate_limited(request):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Vous avez déjà envoyé plusieurs propositions : réessayez dans une heure. Vos informations sont conservées ci-dessous."
                ),
            )
        elif form.is_valid():
            if form.spam_reason:
                logger.info(
                    "Contribution dropped (%s) from %s", form.spam_reason, client_key(request)
                )
            else:
                page = create_draft(form.cleaned_data, locale)
                notify_moderators(
                    page, form.cleaned_data["contributor_email"], duplicates=flag_duplicates(page)
                )
            return HttpResponseRedirect(request.path + "?merci=1")
        describe_errors(form)
        # Keep everything typed, with a fresh stamp so that a corrected form can be sent.
        form.regenerate_stamp()
    else:
        form = ContributionForm(locale=locale)
    context = {"form": form, "thanks": request.GET.get("merci") == "1"}
    return TemplateResponse(request, "directory/propose.html", context)
