"""Wagtail's API v3 left unbuilt, since this site does not mount it.

In Wagtail 8 the ``ready()`` of ``wagtail.images``, ``wagtail.documents``, ``wagtail.snippets``,
``wagtail.contrib.redirects`` and ``wagtail.locales`` each import their API v3 router and register
it on Wagtail's ``NinjaAPI``, which builds pydantic schemas for every page, image, document and
snippet model and imports the routers of pages, sites and users: about 14 MB in every gunicorn
process (bench/RESULTS.md), although those routers are served only where ``wagtail.api.v3`` is
installed and its URLs mounted (Wagtail's own ``wagtail/users/wagtail_hooks.py`` makes the same
check). The open data API at /api/v1/ is the site's own (directory/api.py).

``leave_out_wagtail_api_v3()`` puts stand-ins for exactly the names those ``ready()`` methods
import into ``sys.modules`` before they run (``CoreConfig.ready()``: ``core`` is listed before
Wagtail's apps), so the rest of each ``ready()`` (permission policies, signal handlers, form
widgets, snippet registration) runs unchanged. tests/test_wagtail_api.py checks in a new process
that the API's modules stay unloaded and that the rest of those ``ready()`` methods took effect: a
Wagtail upgrade that imports something else there makes it fail (or fail to start), never serve
something half-built.
"""

import sys
import types

from django.apps import apps


class _UnmountedAPI:
    """Takes the routers that Wagtail's apps add, and keeps nothing."""

    def add_router(self, prefix, router, **kwargs):
        pass


def _nothing():
    pass


# Module name → the attributes Wagtail's ready() methods import from it.
STAND_INS = {
    "wagtail.api.v3.api": {"api": _UnmountedAPI()},
    "wagtail.images.api.v3.registry": {"register_content_types": _nothing},
    "wagtail.images.api.v3.router": {"router": None},
    "wagtail.documents.api.v3.registry": {"register_content_types": _nothing},
    "wagtail.documents.api.v3.router": {"router": None},
    "wagtail.snippets.api.v3": {"register_content_types": _nothing},
    "wagtail.snippets.api.v3.router": {"router": None},
    "wagtail.contrib.redirects.api.v3": {"router": None},
    "wagtail.locales.api.v3": {"router": None},
}


def leave_out_wagtail_api_v3():
    """Stand-ins for Wagtail's API v3 modules, unless ``wagtail.api.v3`` is installed (then its
    URLs may be mounted, and the real routers are needed)."""
    if apps.is_installed("wagtail.api.v3"):
        return
    for name, attributes in STAND_INS.items():
        if name in sys.modules:
            continue  # already imported for real by something else: keep it
        module = types.ModuleType(name, "Stand-in: Wagtail's API v3 is not mounted here.")
        module.__dict__.update(attributes)
        sys.modules[name] = module
