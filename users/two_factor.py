"""Second factor for the admin (django-otp): who needs one, and the middleware that asks for it.

The password is checked by Wagtail's own login view (through django-axes). Then, for any admin
URL, a user who has a confirmed device but has not entered a token in this session is sent to
the verification step; a superuser or a member of "Équipe du Parc" who has no device yet is sent
to the enrolment step, when ``OTP_REQUIRED_FOR_STAFF`` is on (production). Member editors may
enrol from their account; once they have, they are asked for a token like everyone else.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django_otp import user_has_device

from members.roles import PARK_GROUP

VERIFY_URL_NAME = "users_otp_verify"
ENROL_URL_NAME = "users_otp_enrol"
# Admin views that a user half-way through the login can reach.
OPEN_URL_NAMES = [
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_javascript_catalog",
    VERIFY_URL_NAME,
    ENROL_URL_NAME,
]


def second_factor_required(user):
    """Whether this user must have a second factor before using the admin."""
    if not getattr(settings, "OTP_REQUIRED_FOR_STAFF", True):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=PARK_GROUP).exists()


def needs_verification(user):
    return user.is_authenticated and not user.is_verified() and user_has_device(user)


def _open_paths():
    paths = []
    for name in OPEN_URL_NAMES:
        try:
            paths.append(reverse(name))
        except Exception:  # noqa: S112 - an optional view (e.g. password reset) is not routed
            continue
    return paths


class SecondFactorMiddleware:
    """Send admin users who still owe a second factor to verification or enrolment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect_to = self.pending_step(request)
        if redirect_to:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(redirect_to)}?{query}")
        return self.get_response(request)

    def pending_step(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            admin_prefix = reverse("wagtailadmin_home")
        except NoReverseMatch:  # a URLconf without the admin (some tests): nothing to protect
            return None
        path = request.path_info
        if not path.startswith(admin_prefix):
            return None
        if any(path.startswith(open_path) for open_path in _open_paths() if open_path != "/"):
            return None
        if user.is_verified():
            return None
        if user_has_device(user):
            return VERIFY_URL_NAME
        if second_factor_required(user):
            return ENROL_URL_NAME
        return None
