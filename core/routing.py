"""Page routing in two queries instead of two per URL segment.

Wagtail walks the tree segment by segment: for ``/actualites/asoft/un-article/`` it loads the
home page's translation, then each child by slug and then its specific row: two queries per
segment, plus the site and the active locale. Here every page on the path is read in one query,
by its ``url_path`` (the path of each prefix of the URL under the language's root page, plus the
tree root, whose view restrictions also apply), then the last page's specific row: two queries
whatever the depth. The walk itself follows Wagtail's rules exactly:

- each segment is a child of the previous page, found by slug (here: by ``url_path``, which
  Wagtail keeps equal to the parent's ``url_path`` plus the slug);
- a live routable page (``RoutablePageMixin``) whose own routes match the rest of the path takes
  it before its children do (it is then loaded and routes the rest itself);
- the page reached must be live (checked by Wagtail's own ``route`` on the specific page).

Pages read on the way are kept on the page served (``_route_ancestors``): its breadcrumbs and its
view restrictions read them instead of querying the ancestors again.
"""

import copy

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.url_routing import RouteResult

NOT_FOUND = object()  # a routing result: no page at that path (kept in this process only)


class SlowPath(Exception):  # noqa: N818 - a signal, not an error: use Wagtail's own routing
    """The fast path cannot decide: let Wagtail route the request its own way."""


def _own_route(cls):
    """Whether ``cls`` routes a path in some other way than walking its children."""
    from core.models import BasePage

    route = getattr(cls, "route", None)
    return route is not None and route not in (BasePage.route, Page.route, RoutablePageMixin.route)


def _claims(cls, page, remaining):
    """Whether a routable page takes the rest of the path by one of its own routes."""
    if not (issubclass(cls, RoutablePageMixin) and page.live):
        return False
    try:
        cls.get_resolver().resolve("/" + "/".join(remaining) + "/")
    except Http404:
        return False
    except Exception:  # noqa: BLE001 - Resolver404 subclasses Http404; anything else: Wagtail decides
        raise SlowPath from None
    return True


def _fetch(url_paths):
    return list(Page.objects.filter(url_path__in=[*url_paths, "/"]).order_by("path"))


def _prefixes(start_url_path, components):
    return {start_url_path + "/".join(components[: i + 1]) + "/": i for i in range(len(components))}


def _index(rows, start, components):
    """The rows at each prefix of ``components`` under ``start``, keyed by the number of
    segments minus one; the tree root under the key None."""
    wanted = _prefixes(start.url_path, components)
    pages = {}
    for page in rows:
        if page.depth == 1:
            pages[None] = page
        elif (
            page.url_path in wanted
            and page.path.startswith(start.path)
            and page.depth > start.depth
        ):
            if wanted[page.url_path] in pages:
                raise SlowPath  # two pages with one url_path (an inconsistent tree): no guessing
            pages[wanted[page.url_path]] = page
    return pages


def _keep_ancestors(page, chain):
    """Remember the ancestors read on the way when they are all there (tree root to parent)."""
    if [p.depth for p in chain] == list(range(1, page.depth)):
        page._route_ancestors = chain


def walk(start, request, components, ancestors=None, rows=None):
    """Route ``components`` from ``start`` (a page, generic or specific) as Wagtail would."""
    if rows is None:
        rows = _fetch(_prefixes(start.url_path, components))
    pages = _index(rows, start, components)
    if ancestors is not None:
        chain = list(ancestors)
    else:
        chain = [pages[None]] if None in pages and start.depth == 2 else []
    node = start
    for index in range(len(components)):
        child = pages.get(index)
        # A child with that slug must sit right below the previous page.
        if child is None or child.depth != node.depth + 1 or not child.path.startswith(node.path):
            raise Http404
        child._cached_parent_obj = node
        chain.append(node)
        remaining = components[index + 1 :]
        cls = child.specific_class
        if cls is None:
            raise SlowPath
        if remaining and (_own_route(cls) or _claims(cls, child, remaining)):
            specific = _specific(child)
            _keep_ancestors(specific, chain)
            return specific.route(request, remaining)
        node = child
    specific = _specific(node)
    _keep_ancestors(specific, chain)
    return specific.route(request, [])


def _specific(page):
    """``page.specific``, with the related rows its type shows on every view read in the same
    query (``BasePage.served_with``)."""
    cls = page.specific_class
    if type(page) is cls:
        return page
    related = getattr(cls, "served_with", ())
    if not related:
        return page.specific
    specific = cls._default_manager.select_related(*related).get(pk=page.pk)
    for name, value in page.__dict__.items():  # as Wagtail's get_specific: what routing set
        specific.__dict__.setdefault(name, value)
    return specific


def route_request(request, path):
    """Wagtail's ``Page.route_for_request``: kept in this process for the content version (no
    query), else in two queries (every page on the path, the specific page); raises SlowPath when
    Wagtail should decide.

    What routing finds depends only on the site, the language, the path and the published
    content, which every change of renews the version. Each request gets its own copy of the page
    (``copy.copy``: its own attributes, such as an event's selected session), sharing the
    read-only parts (ancestors, related rows)."""
    from django.utils import translation

    from core.page_cache import version_memo
    from core.sites import site_for_request

    site = site_for_request(request)
    if site is None:
        return None

    def build():
        try:
            return _route_request(request, site, path)
        except Http404:
            return NOT_FOUND  # kept too: a path in the other language's tree is served often

    key = ("route", site.pk, translation.get_language(), path)
    found = version_memo(key, build)
    if found is NOT_FOUND:
        raise Http404
    if found is None:
        return None
    page, args, kwargs = found
    return RouteResult(own_copy(page), args, kwargs)


def own_copy(page):
    """A request's own copy of a page kept for the content version (its own attributes, such as
    an event's selected session), sharing the read-only parts (ancestors, related rows)."""
    own = copy.copy(page)
    # Related rows loaded later (an image, a parent) are content too: loaded once for everyone.
    own._state.fields_cache = page._state.fields_cache
    return own


def _route_request(request, site, path):
    from django.utils import translation
    from wagtail.coreutils import get_supported_content_language_variant

    from core.sites import site_root_paths
    from core.translation_status import locale_codes

    root = site.root_page
    try:
        language = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        raise SlowPath from None
    locale_ids = [pk for pk, code in locale_codes().items() if code == language]
    if len(locale_ids) != 1:
        raise SlowPath
    components = [part for part in path.split("/") if part]
    root_path = root.url_path
    if root.locale_id != locale_ids[0]:
        # The home page's translation in the active language (Page.localized): its url_path.
        paths = [
            rp.root_path
            for rp in site_root_paths()
            if rp.site_id == site.pk and rp.language_code == language
        ]
        if len(paths) != 1:
            raise SlowPath
        root_path = paths[0]
    rows = _fetch([root_path, *_prefixes(root_path, components)])
    if root_path != root.url_path:
        found = [page for page in rows if page.url_path == root_path]
        if (
            len(found) != 1
            or found[0].translation_key != root.translation_key
            or found[0].locale_id != locale_ids[0]
            or found[0].depth != root.depth
            or not found[0].live  # Page.localized keeps the default home then
        ):
            raise SlowPath
        root = found[0]
    return walk(root, request, components, rows=rows)


def _view_restrictions():
    """The site's view restrictions (a handful of rows, read in one query), kept in the shared
    cache under the site version, which any change of a view restriction and any page move (which
    changes tree paths) renews (core/page_cache.py, core/signal_handlers.py); a publication leaves
    them. Group lists are read live when checked."""
    from django.db.models import F
    from wagtail.models import PageViewRestriction

    from core.page_cache import site_cached

    def build():
        by_page, paths = {}, set()
        for restriction in PageViewRestriction.objects.annotate(
            section_path=F("page__path")
        ).order_by("pk"):
            by_page.setdefault(restriction.page_id, []).append(restriction)
            paths.add(restriction.section_path)
        return {"by_page": by_page, "paths": sorted(paths)}

    return site_cached("view-restrictions-and-paths", build)


def view_restrictions_by_page():
    """{page id: [its PageViewRestriction, ...]} for the whole site."""
    return _view_restrictions()["by_page"]


def private_section_paths():
    """Tree paths of the pages that carry a view restriction (the private sections)."""
    return _view_restrictions()["paths"]


class FastRoutingMiddleware:
    """Routes requests for Wagtail pages with ``route_request`` before Wagtail's view runs, and
    leaves the result where Wagtail looks for it (``request._wagtail_route_for_request``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        if view_func is not serve or hasattr(request, "_wagtail_route_for_request"):
            return None
        path = view_args[0] if view_args else view_kwargs.get("path")
        if path is None:
            return None
        try:
            request._wagtail_route_for_request = route_request(request, path)
        except Http404:
            request._wagtail_route_for_request = None
        except SlowPath:
            pass
        return None
