"""E-mails to subscribers: confirmation, "already subscribed", and the digest (digest.py).

Every e-mail is sent in the subscriber's language, as plain text and HTML, with a link to the
preferences, an unsubscribe link and the RFC 8058 ``List-Unsubscribe`` headers.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from . import tokens


def build_message(subscriber, subject, template, context, connection=None):
    """A multipart message to one subscriber, rendered in its language."""
    with translation.override(subscriber.language):
        context = {
            "subscriber": subscriber,
            "preferences_url": tokens.preferences_url(subscriber),
            "unsubscribe_url": tokens.unsubscribe_url(subscriber),
            "site_url": tokens.base_url()
            + (
                "/" if subscriber.language == settings.LANGUAGE_CODE else f"/{subscriber.language}/"
            ),
            "language": subscriber.language,
            **context,
        }
        subject = str(subject)
        context["subject"] = subject
        text = render_to_string(f"subscriptions/email/{template}.txt", context)
        html = render_to_string(f"subscriptions/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscriber.email],
        headers=tokens.list_headers(subscriber),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


def send_confirmation(subscriber):
    with translation.override(subscriber.language):
        subject = _("Confirmez votre abonnement à la lettre d'Innover en Baronnies")
    build_message(
        subscriber, subject, "confirm", {"confirm_url": tokens.confirm_url(subscriber)}
    ).send()


def send_already_subscribed(subscriber):
    with translation.override(subscriber.language):
        subject = _("Vous êtes déjà abonné à la lettre d'Innover en Baronnies")
    build_message(subscriber, subject, "already", {}).send()
