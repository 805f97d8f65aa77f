"""Spam protection for every public form, without third-party services.

One module for the contact forms (contact app), public contributions to the directory and event
registrations:

- a **honeypot**: a text field hidden from people (off-screen, ``aria-hidden``, out of the tab
  order) that bots fill in;
- a **signed start time**: stamped when the form is shown; a submission sent sooner than
  ``FORM_MIN_SECONDS`` after it, later than the form's ``stamp_max_age``, or with a forged or
  missing stamp is refused (what was typed is shown again, with a fresh stamp);
- a **rate limit** per client address (``core.client_ip``) in the shared cache.

Use ``PublicFormProtection`` as the first base of a ``Form`` or ``ModelForm``, render
``templates/includes/public_form_protection.html`` inside the ``<form>``, and call
``rate_limited(request, scope, limit, window)`` before processing a POST.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .client_ip import client_key

HONEYPOT_FIELD = "site_web"
STAMP_FIELD = "debut"
DEFAULT_MAX_AGE = 24 * 3600
_signer = signing.Signer(salt="core.public-form-start")


def min_seconds():
    return getattr(settings, "FORM_MIN_SECONDS", 3)


def make_stamp(at=None):
    """A signed start time (now, or the Unix time ``at``)."""
    return _signer.sign(str(int(at if at is not None else time.time())))


def stamp_age(value):
    """Seconds since the signed stamp, or None if it is missing or forged."""
    try:
        started = int(_signer.unsign(value or ""))
    except (signing.BadSignature, ValueError):
        return None
    return time.time() - started


class PublicFormProtection:
    """Form mixin: adds the honeypot and the start stamp, and rejects what bots send.

    Class attributes say how a form uses it:
    - ``honeypot_field``, ``stamp_field``: the field names (kept per form so that pages already
      open in a browser keep working);
    - ``stamp_max_age``: seconds after which the form has expired;
    - ``honeypot_drops_silently``: False (default) refuses a filled honeypot with an error; True
      lets the form validate with ``spam_reason = "honeypot"``, and the view drops it quietly so
      that a bot learns nothing.
    """

    honeypot_field = HONEYPOT_FIELD
    stamp_field = STAMP_FIELD
    stamp_max_age = DEFAULT_MAX_AGE
    honeypot_drops_silently = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spam_reason = ""
        self.fields[self.honeypot_field] = forms.CharField(
            label=_("Ne remplissez pas ce champ"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields[self.stamp_field] = forms.CharField(required=False, widget=forms.HiddenInput)
        if not self.is_bound:
            self.initial[self.stamp_field] = make_stamp()

    def clean(self):
        cleaned = super().clean()
        if self.data.get(self.honeypot_field):
            if not self.honeypot_drops_silently:
                raise forms.ValidationError(
                    _("Votre message n'a pas pu être envoyé."), code="honeypot"
                )
            self.spam_reason = "honeypot"
        age = stamp_age(self.data.get(self.stamp_field))
        if age is None or age > self.stamp_max_age:
            raise forms.ValidationError(
                _("Le formulaire a expiré. Vérifiez vos informations, puis envoyez-le de nouveau."),
                code="expired",
            )
        if age < min_seconds():
            raise forms.ValidationError(
                _("Le formulaire a été envoyé trop vite. Relisez-le, puis envoyez-le de nouveau."),
                code="too_fast",
            )
        return cleaned

    @property
    def protection_fields(self):
        return (self.honeypot_field, self.stamp_field)

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != self.honeypot_field]

    def hidden_fields(self):
        return [field for field in super().hidden_fields() if field.name != self.stamp_field]

    @property
    def honeypot(self):
        return self[self.honeypot_field]

    @property
    def stamp(self):
        return self[self.stamp_field]

    def submitted_data(self):
        """Cleaned data without the protection fields: what is stored and e-mailed."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.protection_fields}

    def regenerate_stamp(self):
        """A new stamp for a re-shown form, so that its next sending is timed from now."""
        if not self.is_bound:
            return
        data = self.data.copy()
        data[self.stamp_field] = make_stamp()
        self.data = data


def rate_limited(request, scope, limit, window):
    """Count this submission for the client's address; True once it is over ``limit``.

    ``scope`` names the counter (one per form kind); ``window`` is in seconds, from the first
    submission counted. The counter lives in the default cache, which every process shares.
    """
    key = f"public-form:{scope}:{client_key(request)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit
