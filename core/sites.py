"""Wagtail's site lookups, kept in this process for the current site version.

``Site.find_for_request`` costs a query per request and ``Site.get_site_root_paths`` a round trip
to the shared cache per call (Wagtail only keeps it on the request when a URL is built with the
request; ``page.url`` in a template is built without, three times on an event page). The second
is replaced at start-up (``install``, from CoreConfig.ready) by the same list kept for the
site version. Both change only when a site, a locale or a site's home page (or its translation)
changes, and each of those renews the site version (core/page_cache.py ``model_invalidates``,
core/signal_handlers.py): ``site_memo`` keeps them, and an ordinary publication leaves them.
"""

from django.http.request import split_domain_port
from wagtail.models import Site

from core.page_cache import site_memo


def site_for_request(request):
    """The Site answering ``request`` (as ``Site.find_for_request``), or None."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    # CommonMiddleware has validated the host already (ALLOWED_HOSTS) before any view runs.
    hostname, port = split_domain_port(request.get_host())[0], request.get_port()
    site = site_memo(("site", hostname, port), lambda: Site.find_for_request(request))
    request._wagtail_site = site
    return site


_wagtail_site_root_paths = Site.get_site_root_paths


def site_root_paths():
    """Wagtail's ``Site.get_site_root_paths()`` (its shared cache, else the database), kept in this
    process for the site version."""
    return site_memo("site-root-paths", _wagtail_site_root_paths)


def install():
    """Make ``Site.get_site_root_paths`` (every URL Wagtail builds) read ``site_root_paths``."""
    Site.get_site_root_paths = staticmethod(site_root_paths)
