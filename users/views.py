"""The second-factor steps of the admin login: verification, enrolment, recovery codes.

Wrong codes at verification count as failed logins for django-axes (same login name and client
address as the password step), so guessing codes ends in the same lockout as guessing passwords.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import TokenForm
from .two_factor import second_factor_required

RECOVERY_CODES_SESSION_KEY = "users_otp_recovery_codes"
TOTP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _with_next(url_name, next_url):
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _credentials(user):
    return {"username": user.get_username()}


def verify(request):
    """Ask a user who has a device for a code (or a recovery code)."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified() or not user_has_device(user):
        return redirect(next_url)
    credentials = _credentials(user)
    if AxesProxyHandler.is_locked(request, credentials):
        logout(request)
        return get_lockout_response(request, None, credentials)

    form = TokenForm(
        request.POST or None,
        help_text=_(
            "Le code à 6 chiffres affiché par votre application d'authentification, "
            "ou l'un de vos codes de secours."
        ),
    )
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("otp_token", _("Ce code n'est pas valide ou a expiré. Réessayez."))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            # AxesMiddleware turns this response into the lockout page; the password step
            # must be passed again once the lock is over.
            logout(request)
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(
        request, "users/otp_verify.html", {"form": form, "next": next_url}, status=status
    )


def _pending_device(user):
    """The device being enrolled: kept until confirmed, so that a reload shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def qr_code_svg(uri):
    """The QR code of an otpauth:// URI as inline SVG, made here (no third-party service)."""
    # Imported here: Wagtail loads every wagtail_hooks module (so this one) in every process,
    # and only the enrolment page draws a QR code (issue 16, worker memory).
    import segno

    return segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", omitsize=True
    )


@transaction.atomic
def confirm_device(user, device, recovery_count=None):
    """Confirm ``device``, replacing any earlier one, and return new recovery codes."""
    recovery_count = recovery_count or settings.OTP_RECOVERY_CODES
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.name = TOTP_DEVICE_NAME
    device.save(update_fields=["confirmed", "name"])
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(recovery_count)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def enrol(request):
    """Set up an authenticator application: QR code, key, then one code to confirm."""
    user = request.user
    next_url = _next_url(request)
    if not user.is_verified() and user_has_device(user):
        # Replacing a device needs the current one first.
        return redirect(_with_next("users_otp_verify", request.get_full_path()))
    device = _pending_device(user)
    form = TokenForm(
        request.POST or None,
        help_text=_("Le code à 6 chiffres que votre application affiche maintenant."),
    )
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            codes = confirm_device(user, device)
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(_with_next("users_otp_recovery_codes", next_url))
        form.add_error(
            "otp_token",
            _("Ce code ne correspond pas. Vérifiez l'heure de votre téléphone et réessayez."),
        )
    uri = device.config_url
    context = {
        "form": form,
        "next": next_url,
        "qr_code": qr_code_svg(uri),
        "secret": _grouped(uri_secret(uri)),
        "required": second_factor_required(user),
        "replacing": any(True for _ in devices_for_user(user, confirmed=True)),
    }
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "users/otp_enrol.html", context, status=status)


def uri_secret(uri):
    return parse_qs(urlsplit(uri).query)["secret"][0]


def _grouped(secret, size=4):
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def recovery_codes(request):
    """Show the recovery codes once, right after enrolment."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    next_url = _next_url(request)
    if not codes:
        return redirect(next_url)
    response = TemplateResponse(
        request, "users/otp_recovery_codes.html", {"codes": codes, "next": next_url}
    )
    response["Cache-Control"] = "no-store"
    return response
