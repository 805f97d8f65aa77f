from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Organisations membres")

    def ready(self):
        from wagtail.signals import page_published

        from .translation_views import convert_alias_on_publish

        page_published.connect(convert_alias_on_publish, dispatch_uid="members_convert_alias")
