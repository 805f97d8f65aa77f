"""Public contributions: "Proposer un lieu ou un acteur" (/annuaire/proposer/, the ``propose`` route
of the directory page).

A submission becomes a DRAFT ActorPage or PlacePage under the directory index of the current
language, submitted to the moderation workflow that applies there (if any); moderators are e-mailed.
The contributor's e-mail goes to the private ``Contribution`` table, never on the page.

Spam protection, without third-party services:
- a honeypot field that people never see (bots fill it): the submission is silently dropped;
- a signed timestamp: a form sent less than MIN_SECONDS after it was displayed is refused, and one
  older than MAX_AGE is refused too (a new token is given; what was typed is kept);
- a rate limit per IP address in the Django cache: RATE_LIMIT submissions per RATE_WINDOW seconds.
"""

import logging
import time

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
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

from .models import (
    ActorKind,
    ActorPage,
    Commune,
    Contribution,
    DirectoryIndexPage,
    PlaceKind,
    PlacePage,
)

logger = logging.getLogger(__name__)

MIN_SECONDS = 3
MAX_AGE = 2 * 60 * 60
RATE_LIMIT = 5
RATE_WINDOW = 60 * 60
TOKEN_SALT = "directory.contribution"  # noqa: S105 - a signing namespace, not a secret
MODERATORS_GROUP = "Équipe du Parc"
HONEYPOT = "site_web_pro"


def make_token():
    return signing.dumps(time.time(), salt=TOKEN_SALT)


def token_age(token):
    """Seconds since the token was made; None when it is forged or malformed."""
    try:
        issued = float(signing.loads(token, salt=TOKEN_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return time.time() - issued


class ContributionForm(forms.Form):
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
    # Spam protection: a field hidden from people, and a signed timestamp.
    site_web_pro = forms.CharField(label=gettext_lazy("Ne remplissez pas ce champ"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

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
        self.spam_reason = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT):
            self.spam_reason = "honeypot"
        age = token_age(cleaned.get("token") or "")
        if age is None or age > MAX_AGE:
            raise forms.ValidationError(
                _("Le formulaire a expiré. Vérifiez vos informations, puis envoyez-le de nouveau."),
                code="expired",
            )
        if age < MIN_SECONDS:
            raise forms.ValidationError(
                _("Le formulaire a été envoyé trop vite. Relisez-le, puis envoyez-le de nouveau."),
                code="too_fast",
            )
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


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(request):
    """Count this submission; True when the address has sent too many recently."""
    key = f"directory:contribution:ip:{client_ip(request)}"
    cache.add(key, 0, timeout=RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=RATE_WINDOW)
        count = 1
    return count > RATE_LIMIT


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
    index = DirectoryIndexPage.objects.filter(locale=locale).first()
    if index is None:
        index = DirectoryIndexPage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
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


def notify_moderators(page, contributor_email):
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
                    "Contribution dropped (%s) from %s", form.spam_reason, client_ip(request)
                )
            else:
                page = create_draft(form.cleaned_data, locale)
                notify_moderators(page, form.cleaned_data["contributor_email"])
            return HttpResponseRedirect(request.path + "?merci=1")
        describe_errors(form)
        # Keep everything typed, with a fresh token so that a corrected form can be sent.
        data = request.POST.copy()
        data["token"] = make_token()
        form.data = data
    else:
        form = ContributionForm(initial={"token": make_token()}, locale=locale)
    context = {"form": form, "thanks": request.GET.get("merci") == "1", "honeypot": HONEYPOT}
    return TemplateResponse(request, "directory/propose.html", context)
