from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Organisations membres")

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from .explorer import SectionPagePermissionPolicy
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        # Member editors' explorer opens on their section (members/explorer.py).
        register_permission_policy(Page, SectionPagePermissionPolicy(Page))
