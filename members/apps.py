from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Organisations membres")

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published

        from .explorer import SectionPagePermissionPolicy
        from .translation_views import convert_alias_on_publish

        page_published.connect(convert_alias_on_publish, dispatch_uid="members_convert_alias")
        # Member editors' explorer opens on their section (members/explorer.py).
        register_permission_policy(Page, SectionPagePermissionPolicy(Page))
