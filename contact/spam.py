"""Spam protection without third-party services: a honeypot, a signed start time, a rate limit.

- The honeypot is a text field hidden from people (CSS and aria-hidden) that bots fill in.
- The start time is signed when the form is shown; a submission sent sooner than
  FORM_MIN_SECONDS after it (or with a forged or stale stamp) is refused.
- Each IP address may send FORM_RATE_LIMIT submissions per FORM_RATE_WINDOW seconds (cache).
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "site_web"
STAMP_FIELD = "debut"
CONSENT_FIELD = "consentement"
PROTECTION_FIELDS = (HONEYPOT_FIELD, STAMP_FIELD)
_signer = signing.Signer(salt="contact.form-start")
MAX_AGE = 24 * 3600


def min_seconds():
    return getattr(settings, "FORM_MIN_SECONDS", 3)


def make_stamp(at=None):
    return _signer.sign(str(int(at if at is not None else time.time())))


def stamp_age(value):
    """Seconds since the signed stamp, or None if it is missing or forged."""
    try:
        started = int(_signer.unsign(value or ""))
    except (signing.BadSignature, ValueError):
        return None
    return time.time() - started


class SpamProtectedForm(forms.Form):
    """Adds the honeypot and the start stamp to a form; rejects what bots send."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Ne remplissez pas ce champ"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[STAMP_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial[STAMP_FIELD] = make_stamp()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("Votre message n'a pas pu être envoyé."), code="honeypot")
        age = stamp_age(self.data.get(STAMP_FIELD))
        if age is None or age > MAX_AGE:
            raise forms.ValidationError(
                _("Le formulaire a expiré : vérifiez vos réponses et envoyez-le de nouveau."), code="stamp"
            )
        if age < min_seconds():
            raise forms.ValidationError(
                _("Votre message a été envoyé trop vite : relisez-le et envoyez-le de nouveau."), code="too_fast"
            )
        return cleaned

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    def submitted_data(self):
        """Cleaned data without the protection fields: what is stored and e-mailed."""
        return {key: value for key, value in self.cleaned_data.items() if key not in PROTECTION_FIELDS}

    def regenerate_stamp(self):
        """A new stamp for a re-shown form, so that its next sending is timed from now."""
        data = self.data.copy()
        data[STAMP_FIELD] = make_stamp()
        self.data = data


def client_ip(request):
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(request):
    """Count this submission for the client's IP; True when it is over the limit."""
    limit = getattr(settings, "FORM_RATE_LIMIT", 5)
    window = getattr(settings, "FORM_RATE_WINDOW", 600)
    key = f"contact:rate:{client_ip(request)}"
    if cache.add(key, 1, window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return False
    return count > limit
