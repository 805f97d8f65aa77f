"""Registrations to events: listed for staff in the admin (model permissions), never public."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Registration


class RegistrationViewSet(ModelViewSet):
    model = Registration
    icon = "group"
    menu_label = _("Inscriptions")
    menu_order = 300
    add_to_admin_menu = True
    form_fields = ["event", "name", "email"]
    list_display = ["name", "email", "event", "created"]
    list_filter = ["event"]
    search_fields = ["name", "email"]
    inspect_view_enabled = True
    list_export = ["event", "name", "email", "created"]


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return RegistrationViewSet("registrations")
