from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Site")

    def ready(self):
        # First, before Wagtail's apps' ready() (they are listed after core): core/wagtail_api.py.
        from .wagtail_api import leave_out_wagtail_api_v3

        leave_out_wagtail_api_v3()

        from . import db
        from .signal_handlers import register_signal_handlers

        db.register_lookups()
        register_signal_handlers()
        # Two lookups of Wagtail read from this process's copy for the site version
        # (core/page_cache.py site_memo): the locales and the sites' root paths.
        from . import sites
        from .translation_status import install_cached_locale_lookup

        install_cached_locale_lookup()
        sites.install()
