"""The subscription form (public, protected like the other public forms) and the preferences form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.public_forms import PublicFormProtection

from .models import Subscriber

CONSENT_FIELD = "consentement"

CONSENT_TEXT = _(
    "J'accepte de recevoir par courriel la lettre d'Innover en Baronnies provençales. Mon adresse "
    "ne sert qu'à cet envoi, n'est jamais cédée, et je peux me désabonner à tout moment par le lien "
    "présent dans chaque courriel. Une adresse non confirmée est effacée après %(pending)s jours, "
    "une adresse désabonnée après %(unsubscribed)s jours."
)


class ChoicesMixin(forms.Form):
    """What a subscriber receives: shared by the subscription and the preferences forms."""

    news = forms.BooleanField(label=_("les actualités du réseau"), required=False, initial=True)
    events = forms.BooleanField(
        label=_("l'agenda (les nouveaux événements)"), required=False, initial=True
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        help_text=_("Aucune case cochée : tous les thèmes."),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Ce thème n'existe pas."),
            "invalid_pk_value": _("Ce thème n'existe pas."),
        },
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        help_text=_("Aucune case cochée : toutes les organisations."),
        queryset=None,
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cette organisation n'existe pas.")},
    )
    communes = forms.ModelMultipleChoiceField(
        label=_("Communes"),
        help_text=_(
            "Aucune commune choisie : tout le territoire. Pour en choisir plusieurs, maintenez la touche Ctrl "
            "(ou Cmd) enfoncée. Une actualité compte pour la commune de l'organisation qui la publie."
        ),
        queryset=None,
        required=False,
        to_field_name="insee",
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"invalid_choice": _("Cette commune ne fait pas partie de la liste.")},
    )
    frequency = forms.ChoiceField(
        label=_("Fréquence"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez une fréquence."),
            "invalid_choice": _("Choisissez une fréquence."),
        },
    )

    def setup_choices(self, locale):
        from directory.models import Commune
        from members.models import Organisation
        from taxonomy.models import Theme

        self.fields["themes"].queryset = Theme.objects.filter(locale=locale)
        self.fields["organisations"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["communes"].queryset = Commune.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("news") and not cleaned.get("events"):
            self.add_error("news", _("Choisissez les actualités, l'agenda, ou les deux."))
        return cleaned


class SubscribeForm(PublicFormProtection, ChoicesMixin):
    """Protected like every public form (core/public_forms.py): honeypot, signed start time."""

    email = forms.EmailField(
        label=_("Votre courriel"),
        max_length=254,
        error_messages={
            "required": _("Indiquez votre courriel."),
            "invalid": _("Saisissez une adresse de courriel valide, par exemple nom@exemple.fr."),
        },
    )
    field_order = ["email", "news", "events", "themes", "organisations", "communes", "frequency"]

    def __init__(self, *args, locale=None, consent_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_choices(locale)
        self.fields[CONSENT_FIELD] = forms.BooleanField(
            label=consent_label,
            required=True,
            error_messages={"required": _("Cochez cette case pour recevoir la lettre.")},
        )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PreferencesForm(ChoicesMixin, forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ["news", "events", "themes", "organisations", "communes", "frequency", "language"]
        widgets = {"language": forms.RadioSelect}
        labels = {"language": _("Langue de la lettre")}

    def __init__(self, *args, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_choices(locale)
        if self.instance.pk and not self.is_bound:
            # Themes are stored in any language: show the ones of the current page's language.
            keys = self.instance.theme_keys
            self.initial["themes"] = [
                t.pk for t in self.fields["themes"].queryset if t.translation_key in keys
            ]
