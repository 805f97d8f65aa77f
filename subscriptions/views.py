"""Public views under /abonnement/ (and /en/abonnement/): subscribe, confirm, preferences, unsubscribe."""

import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Locale

from core.client_ip import client_key
from core.public_forms import rate_limited

from . import mail, tokens
from .forms import CONSENT_FIELD, CONSENT_TEXT, PreferencesForm, SubscribeForm
from .models import Subscriber

logger = logging.getLogger(__name__)


def retention_days():
    return {
        "pending": getattr(settings, "SUBSCRIPTIONS_PENDING_DAYS", 30),
        "unsubscribed": getattr(settings, "SUBSCRIPTIONS_UNSUBSCRIBED_DAYS", 30),
    }


def consent_label():
    return CONSENT_TEXT % retention_days()


def mark_errors(form):
    """Point each invalid field to its error message for screen readers."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
            )


def _bad_link(request):
    return TemplateResponse(request, "subscriptions/bad_link.html", {}, status=400)


def _subscriber_for(token, salt, max_age=None):
    key = tokens.read_token(token, salt, max_age=max_age)
    if key is None:
        return None
    return Subscriber.objects.filter(key=key).first() if _is_uuid(key) else None


def _is_uuid(value):
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@transaction.atomic
def register(data, language, consent):
    """Create or refresh the (pending) subscription for this address; say which e-mail to send."""
    subscriber = Subscriber.objects.select_for_update().filter(email=data["email"]).first()
    if subscriber is not None and subscriber.status == Subscriber.Status.ACTIVE:
        return subscriber, "already"
    subscriber = subscriber or Subscriber(email=data["email"])
    subscriber.language = language
    subscriber.news = data["news"]
    subscriber.events = data["events"]
    subscriber.frequency = data["frequency"]
    subscriber.status = Subscriber.Status.PENDING
    subscriber.consent_text = consent
    subscriber.unsubscribed_at = None
    subscriber.save()
    subscriber.themes.set(data["themes"])
    subscriber.organisations.set(data["organisations"])
    subscriber.communes.set(data["communes"])
    return subscriber, "confirm"


@never_cache
def subscribe(request):
    locale = Locale.get_active()
    label = consent_label()
    status = 200
    limited = False
    if request.method == "POST":
        form = SubscribeForm(request.POST, locale=locale, consent_label=label)
        if rate_limited(
            request, "subscription", settings.FORM_RATE_LIMIT, settings.FORM_RATE_WINDOW
        ):
            limited, status = True, 429
        elif form.is_valid():
            subscriber, which = register(form.cleaned_data, locale.language_code, str(label))
            if which == "already":
                mail.send_already_subscribed(subscriber)
            else:
                mail.send_confirmation(subscriber)
            logger.info("Subscription requested (%s) from %s", which, client_key(request))
            # The same answer whether or not the address was already subscribed: no address is revealed.
            return HttpResponseRedirect(request.path + "?merci=1")
        else:
            mark_errors(form)
        form.regenerate_stamp()
    else:
        form = SubscribeForm(locale=locale, consent_label=label)
    context = {
        "form": form,
        "thanks": request.GET.get("merci") == "1" and request.method == "GET",
        "rate_limited": limited,
        "consent_field": CONSENT_FIELD,
    }
    return TemplateResponse(request, "subscriptions/subscribe.html", context, status=status)


@never_cache
def confirm(request, token):
    subscriber = _subscriber_for(token, tokens.CONFIRM_SALT, max_age=tokens.confirm_max_age())
    if subscriber is None:
        return _bad_link(request)
    done = subscriber.status == Subscriber.Status.ACTIVE
    if request.method == "POST" and not done:
        now = timezone.now()
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = now
        subscriber.last_digest_at = now  # the first digest holds what is published from now on
        subscriber.save(update_fields=["status", "confirmed_at", "last_digest_at"])
        done = True
    context = {
        "subscriber": subscriber,
        "done": done,
        "preferences_url": tokens.preferences_url(subscriber),
    }
    return TemplateResponse(request, "subscriptions/confirm.html", context)


@never_cache
def preferences(request, token):
    subscriber = _subscriber_for(token, tokens.MANAGE_SALT)
    if subscriber is None:
        return _bad_link(request)
    locale = Locale.get_active()
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=subscriber, locale=locale)
        if form.is_valid():
            form.save()
            saved = True
        else:
            mark_errors(form)
    else:
        form = PreferencesForm(instance=subscriber, locale=locale)
    context = {
        "subscriber": subscriber,
        "form": form,
        "saved": saved,
        "unsubscribe_url": reverse("subscriptions:unsubscribe", args=[token]),
    }
    return TemplateResponse(request, "subscriptions/preferences.html", context)


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookie nor token
@never_cache
def unsubscribe(request, token):
    subscriber = _subscriber_for(token, tokens.MANAGE_SALT)
    if subscriber is None:
        return _bad_link(request)
    done = subscriber.status in (Subscriber.Status.UNSUBSCRIBED,)
    if request.method == "POST" and not done:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        logger.info("Unsubscribed subscriber %s", subscriber.pk)
        done = True
    return TemplateResponse(
        request, "subscriptions/unsubscribe.html", {"subscriber": subscriber, "done": done}
    )
