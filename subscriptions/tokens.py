"""Signed links in the e-mails (django.core.signing): nobody can forge one for another address.

- confirmation: expires after SUBSCRIPTIONS_CONFIRM_DAYS (7 days by default);
- preferences and unsubscribe: no expiry (an old e-mail must still let its reader leave), but
  tied to the subscriber's random ``key``, so they die with the subscription when it is purged.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CONFIRM_SALT = "subscriptions.confirm"
MANAGE_SALT = "subscriptions.manage"


def confirm_max_age():
    return getattr(settings, "SUBSCRIPTIONS_CONFIRM_DAYS", 7) * 24 * 3600


def make_token(subscriber, salt):
    return signing.dumps(str(subscriber.key), salt=salt, compress=False)


def read_token(token, salt, max_age=None):
    """The subscriber ``key`` in a token, or None if the token is forged, malformed or expired."""
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None


def base_url():
    return getattr(settings, "SUBSCRIPTIONS_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL.rstrip(
        "/"
    )


def absolute(name, subscriber, salt, language=None):
    with translation.override(language or subscriber.language):
        path = reverse(name, args=[make_token(subscriber, salt)])
    return base_url() + path


def confirm_url(subscriber):
    return absolute("subscriptions:confirm", subscriber, CONFIRM_SALT)


def preferences_url(subscriber):
    return absolute("subscriptions:preferences", subscriber, MANAGE_SALT)


def unsubscribe_url(subscriber):
    return absolute("subscriptions:unsubscribe", subscriber, MANAGE_SALT)


def list_headers(subscriber):
    """RFC 2369 / RFC 8058 headers: mail clients show an "unsubscribe" button that POSTs."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
