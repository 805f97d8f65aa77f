from urllib.parse import quote

from django.urls import path, reverse
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_second_factor_urls():
    return [
        path("double-authentification/", views.verify, name="users_otp_verify"),
        path("double-authentification/activer/", views.enrol, name="users_otp_enrol"),
        path(
            "double-authentification/codes-de-secours/",
            views.recovery_codes,
            name="users_otp_recovery_codes",
        ),
    ]


@hooks.register("register_account_menu_item")
def second_factor_account_item(request):
    return {
        "url": reverse("users_otp_enrol"),
        "label": _("Double authentification"),
        "help_text": _(
            "Protégez votre compte par un code à usage unique, en plus du mot de passe : "
            "application d'authentification et codes de secours."
        ),
    }


AVATAR_COLOURS = ["#3d5a1e", "#5b4a8b", "#8a4b1f", "#1f5f73", "#7a2e45", "#4b5563"]


def initials(user):
    names = [user.first_name, user.last_name] if user.first_name or user.last_name else []
    letters = "".join(name.strip()[:1] for name in names if name.strip())
    return (letters or user.get_username()[:2]).upper()


@hooks.register("get_avatar_url")
def initials_avatar(user, size):
    """An SVG of the user's initials, inline, unless they uploaded an avatar (no Gravatar).

    Wagtail also asks for the avatar of no one (history entries of system actions): its own local
    default image is kept for those."""
    if user is None or not getattr(user, "pk", None):
        return None
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    colour = AVATAR_COLOURS[user.pk % len(AVATAR_COLOURS)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">'
        f'<rect width="40" height="40" fill="{colour}"/>'
        '<text x="20" y="25.5" font-family="sans-serif" font-size="16" font-weight="bold" '
        f'fill="#fff" text-anchor="middle">{escape(initials(user))}</text></svg>'
    )
    return "data:image/svg+xml," + quote(svg)
