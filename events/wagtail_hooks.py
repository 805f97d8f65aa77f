"""Registrations to events: listed for staff in the admin (model permissions), never public."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
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


@hooks.register("register_admin_urls")
def register_calendar_urls():
    from django.urls import path

    from .views import CalendarSettingsView

    return [path("calendrier/", CalendarSettingsView.as_view(), name="events_calendar_settings")]


class CalendarMenuItem(MenuItem):
    def is_shown(self, request):
        from .views import organisations_for

        return organisations_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_calendar_menu_item():
    return CalendarMenuItem(
        _("Calendrier importé"),
        reverse("events_calendar_settings"),
        icon_name="calendar-alt",
        order=260,
    )
