from django import forms
from django.utils.translation import gettext_lazy as _

from core.public_forms import PublicFormProtection

from .models import Registration


class RegistrationForm(PublicFormProtection, forms.ModelForm):
    """Name, e-mail and consent, with the spam protection of every public form."""

    honeypot_field = "site_web"
    stamp_field = "debut"

    consent = forms.BooleanField(
        label=_("J'accepte que mon nom et mon courriel servent uniquement à organiser cet événement."),
        error_messages={"required": _("Cochez cette case pour vous inscrire.")},
    )

    class Meta:
        model = Registration
        fields = ["name", "email"]
        labels = {"name": _("Nom et prénom"), "email": _("Courriel")}
        error_messages = {
            "name": {"required": _("Indiquez votre nom.")},
            "email": {"required": _("Indiquez votre courriel."), "invalid": _("Ce courriel n'est pas valide.")},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def full_clean(self):
        super().full_clean()
        # Tie each error message to its field for screen readers (the template gives it this id).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
