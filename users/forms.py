"""Forms of the second-factor steps (users/views.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """One code: the 6 digits of the authenticator application, or a recovery code."""

    otp_token = forms.CharField(
        label=_("Code de vérification"),
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def __init__(self, *args, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if help_text:
            self.fields["otp_token"].help_text = help_text

    def clean_otp_token(self):
        # People copy codes with spaces ("123 456"); recovery codes are lower case.
        return "".join(self.cleaned_data["otp_token"].split()).lower()
