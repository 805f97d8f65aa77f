from django import forms
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _

from core.public_forms import PublicFormProtection


class RegistrationForm(PublicFormProtection, forms.Form):
    """Name, e-mail and consent, with the spam protection of every public form.
    ``events/registration.py`` saves the Registration. A plain form (not a ModelForm) so that this
    module does not import the models, which import the page's registration handling (no
    forms → models → registration → forms circle)."""

    honeypot_field = "site_web"
    stamp_field = "debut"

    name = forms.CharField(
        label=_("Nom et prénom"),
        max_length=150,  # Registration.name
        error_messages={"required": _("Indiquez votre nom.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Courriel"),
        max_length=254,  # Registration.email
        error_messages={
            "required": _("Indiquez votre courriel."),
            "invalid": _("Ce courriel n'est pas valide."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que mon nom et mon courriel servent uniquement à organiser cet événement."
        ),
        error_messages={"required": _("Cochez cette case pour vous inscrire.")},
    )

    def __init__(self, *args, occurrences=None, selected=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.occurrences = {
            occurrence.recurrence_id.isoformat(): occurrence for occurrence in occurrences or ()
        }
        if occurrences is not None:
            self.fields = {
                "occurrence": forms.ChoiceField(
                    label=_("Séance"),
                    choices=[(key, occurrence_label(o)) for key, o in self.occurrences.items()],
                    initial=selected.recurrence_id.isoformat() if selected is not None else None,
                    error_messages={
                        "required": _("Choisissez une séance."),
                        "invalid_choice": _("Cette séance n'est pas ouverte aux inscriptions."),
                    },
                ),
                **self.fields,
            }

    def clean_occurrence(self):
        return self.occurrences[self.cleaned_data["occurrence"]]

    def full_clean(self):
        super().full_clean()
        # Tie each error message to its field for screen readers (the template gives it this id).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


def occurrence_label(occurrence):
    start = timezone.localtime(occurrence.start)
    if occurrence.all_day:
        return dateformat.format(start, "l j F Y")
    return f"{dateformat.format(start, 'l j F Y')}, {dateformat.time_format(start, 'H:i')}"
