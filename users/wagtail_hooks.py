from django.urls import path, reverse
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
