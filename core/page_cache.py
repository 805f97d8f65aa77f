"""Full-page cache for anonymous visitors, and its invalidation.

Whole responses of Wagtail pages and of their routes (RoutablePageMixin: feeds, the directory's
markers and exports), and of the public views listed in ``PAGE_CACHE_URL_NAMES``,
are kept in the ``default`` cache (Redis in production, shared by every app server).

A response is served from the cache, or stored in it, only when every condition holds:

- the request is a GET (or HEAD, served from the cache only), and the page cache is enabled;
- the request carries no cookie except the harmless ones in ``PAGE_CACHE_IGNORED_COOKIES``
  (no session: never for logged-in users, nor for anyone with messages or a page password);
- no ``Authorization`` header, not a preview;
- the view is Wagtail's page view (a page or one of its routes) or one of ``PAGE_CACHE_URL_NAMES``
  (none by default: never the admin, never the site search ``/recherche/``);
- the response is a 200, not streamed, sets no cookie, has no ``Cache-Control`` ``private``,
  ``no-cache`` or ``no-store``, and contains no form with a CSRF token.

The key keeps only the query parameters the page reads. A view declares them with
``declare_query(request, names, canonical)`` (``core.pagination.paginate`` does it for every listing;
a Wagtail page may set ``cache_query_params``; other views keep their whole query string unless they
declare): the names, sorted, and the validated values it actually used. The names are remembered
per path (one small entry), so that ``?utm_source=…``, ``fbclid`` or any unknown parameter maps to
the page's one entry; a request whose values the page corrected (``?page=abc``, an unknown theme)
is served but not stored, so random query strings cannot grow the cache.

Invalidation is a versioned namespace: every key holds the current version, and any change an
anonymous visitor could see (publishing, unpublishing, moving or deleting a page, saving a snippet,
a site setting, an image or a document, or a model in ``PAGE_CACHE_INVALIDATING_MODELS``) bumps the
version, so every cached page is dropped at once: the page itself, its index, the home page,
dossiers, feeds, the directory and its exports. The bump happens at once and again when the
transaction commits, so that a page rendered from the old data during the transaction is not kept.
A second version, the site version, keys what every page reads whatever its content (locales,
sites, view restrictions, the site frame): it is renewed with the content version by the changes
that can alter those values, and left as it is by the publication of any other page, so that the
first view after a publication does not rebuild them.
"""

import contextlib
import contextvars
import functools
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, cc_delim_re

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
HEADER = "X-Page-Cache"
UNCACHEABLE_CACHE_CONTROL = {"private", "no-cache", "no-store"}
# Page fields that Wagtail saves for drafts, locks and revisions: nothing public changes.
PAGE_BOOKKEEPING_FIELDS = {
    "comments",
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}


def _setting(name, default):
    return getattr(settings, name, default)


def is_enabled():
    return _setting("PAGE_CACHE_ENABLED", True)


def get_cache():
    return caches[_setting("PAGE_CACHE_ALIAS", "default")]


# --- Versioned namespace --------------------------------------------------------


# Two versions, read together once per request (``content_version_scope``, opened by
# PageCacheMiddleware for every request): everything the request builds is then keyed by the same
# versions, and the values kept in this process cost no round trip to the shared cache.
# - The content version: any change an anonymous visitor could see renews it (every cached page,
#   routing results, page contexts, fragments: ``version_memo``, ``version_cached``).
# - The site version: renewed only by the changes that can alter the values every page reads
#   whatever its content (locales, sites and their root paths, view restrictions, the site frame:
#   menus, settings, partners), ``site_memo`` and ``site_cached``. It is renewed with the content
#   version, never alone; an ordinary publication renews the content version only
#   (core/signal_handlers.py decides which changes reach the site values).
SITE_VERSION_KEY = "pagecache:site-version"
_scope = contextvars.ContextVar("content_version_scope", default=None)
# Values built from the content, valid as long as their version is the same: {"version", "values"}.
_memo = {"version": None, "values": {}}
_site_memo = {"version": None, "values": {}}
MEMO_ENTRIES = 512


def _read_versions():
    """(content version, site version) from the shared cache, in one round trip; a missing one
    is created (a cache emptied or restarted: everything kept for the old one is dropped)."""
    cache = get_cache()
    keys = [VERSION_KEY, SITE_VERSION_KEY]
    found = cache.get_many(keys)
    missing = [key for key in keys if found.get(key) is None]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)  # another process may have added it first
        found.update(cache.get_many(missing))  # nothing when the cache is unreachable
    return tuple(found.get(key) for key in keys)


def _versions():
    scope = _scope.get()
    if scope is not None and "versions" in scope:
        return scope["versions"]
    versions = _read_versions()
    if scope is not None:
        scope["versions"] = versions
    return versions


def current_version():
    """The content version: any change an anonymous visitor could see renews it."""
    return _versions()[0]


def site_version():
    """The site version: renewed by the changes that can alter what every page shows whatever its
    content (see above), and only by them."""
    return _versions()[1]


@contextlib.contextmanager
def content_version_scope():
    """Within the block, the versions are read at most once (and follow this process's own
    changes): a request sees one version from start to end, as if it ran at its start."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def _memo_get(memo, version, key, build):
    if version is None:
        return build()
    if memo["version"] != version:
        memo["version"], memo["values"] = version, {}
    values = memo["values"]
    try:
        return values[key]
    except KeyError:
        pass
    value = build()
    if memo["version"] == version:
        if len(values) >= MEMO_ENTRIES:
            # The oldest entry goes (threads of the development server may race here: harmless).
            with contextlib.suppress(KeyError, StopIteration, RuntimeError):
                values.pop(next(iter(values)))
        values[key] = value
    return value


def version_memo(key, build):
    """``build()``, kept in this process for the current content version.

    For values derived from the content (routing results, page contexts, fragments): a new
    version, from any process, drops them all. The values are shared between requests: never
    mutate them. Without a version (the shared cache is unreachable), nothing is kept.
    """
    return _memo_get(_memo, current_version(), key, build)


def site_memo(key, build):
    """``build()``, kept in this process for the current site version (``version_memo``'s rules):
    for the values every page reads whatever its content (locales, sites, view restrictions, the
    site frame), which a publication of an ordinary page leaves as they are."""
    return _memo_get(_site_memo, site_version(), key, build)


def _shared(name, version, build, timeout):
    key = f"{name}:{version}"
    cache = get_cache()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def version_cached(name, build, timeout=60 * 60):
    """``build()`` for the current content version, kept in this process (``version_memo``) and in
    the shared cache (so that the other processes build it once between them)."""
    return version_memo(name, lambda: _shared(name, current_version(), build, timeout))


def site_cached(name, build, timeout=60 * 60):
    """``build()`` for the current site version, kept in this process (``site_memo``) and in the
    shared cache (so that the other processes build it once between them)."""
    return site_memo(name, lambda: _shared(f"site:{name}", site_version(), build, timeout))


def _renew(site_wide):
    """New versions in the shared cache (the site's first: a reader that sees the new content
    version then sees the new site version too), dropped from this process's memory."""
    cache = get_cache()
    scope = _scope.get()
    known = scope.get("versions") if scope is not None else None
    site = known[1] if known else None
    if site_wide:
        site = uuid.uuid4().hex
        cache.set(SITE_VERSION_KEY, site, None)
        _site_memo["version"], _site_memo["values"] = None, {}
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    _memo["version"], _memo["values"] = None, {}
    if scope is not None:
        # This request follows its own change (the site version unread so far: read when needed).
        if site is None:
            scope.pop("versions", None)
        else:
            scope["versions"] = (version, site)


def clear_page_cache(site_wide=True):
    """Drop every cached page and every value kept for the content version (all app servers
    sharing the cache see it at once); with ``site_wide`` (the default), also every value kept for
    the site version. A publication that cannot change the site values passes ``site_wide=False``."""
    _renew(site_wide)


def _clear_after_commit():
    clear_page_cache(site_wide=False)


def _clear_site_after_commit():
    clear_page_cache(site_wide=True)


def invalidate(site_wide=True):
    """Clear now, and once more when the current transaction commits (if any)."""
    clear_page_cache(site_wide=site_wide)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    callback = _clear_site_after_commit if site_wide else _clear_after_commit
    if not any(entry[1] is callback for entry in connection.run_on_commit):
        transaction.on_commit(callback)


# --- Middleware ------------------------------------------------------------------


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _path_key(request, version):
    return f"pagecache:{version}:params:{_digest(f'{request.scheme}://{request.get_host()}{request.path}')}"


def _normalised_query(pairs):
    """A canonical query string from (name, value) pairs: sorted, empty values dropped."""
    from urllib.parse import urlencode

    return urlencode(sorted((str(k), str(v)) for k, v in pairs if v not in (None, "")))


def _query_for(request, names):
    """The request's query string reduced to ``names`` (all of it when ``names`` is None)."""
    if names is None:
        return _normalised_query((k, v) for k, values in request.GET.lists() for v in values)
    wanted = set(names)
    return _normalised_query(
        (k, v) for k, values in request.GET.lists() if k in wanted for v in values
    )


def _cache_key(request, version, names):
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{_query_for(request, names)}"
    return f"pagecache:{version}:{_digest(raw)}"


def declare_query(request, names, canonical=None):
    """Say which query parameters this response depends on (``names``) and, optionally, the
    validated values it used (``canonical``: a dict of value or list of values). Responses whose
    request carried other values than the canonical ones are not stored."""
    request.page_cache_params = tuple(sorted(set(names)))
    if canonical is not None:
        pairs = []
        for name, value in canonical.items():
            values = value if isinstance(value, (list, tuple)) else [value]
            pairs.extend((name, v) for v in values)
        request.page_cache_query = _normalised_query(pairs)


def _declared(request):
    """(names, canonical query or None) declared for this request; names None: undeclared."""
    return getattr(request, "page_cache_params", None), getattr(request, "page_cache_query", None)


def reads_query(request):
    """Whether the request carries a parameter the response said it depends on (any parameter
    when nothing was declared)."""
    names, _ = _declared(request)
    if names is None:
        return bool(request.GET)
    return any(name in request.GET for name in names)


def _request_is_cacheable(request):
    if request.method not in ("GET", "HEAD") or not is_enabled():
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    ignored = set(_setting("PAGE_CACHE_IGNORED_COOKIES", [settings.CSRF_COOKIE_NAME]))
    return all(name in ignored for name in request.COOKIES)


def _response_is_cacheable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    from wagtail.views import serve as wagtail_serve  # imports Page: not before the models load

    match = getattr(request, "resolver_match", None)
    if match is None or not (
        match.func is wagtail_serve or match.view_name in _setting("PAGE_CACHE_URL_NAMES", [])
    ):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.cookies:
        return False
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
        if d.strip()
    }
    if directives & UNCACHEABLE_CACHE_CONTROL:
        return False
    return b"csrfmiddlewaretoken" not in response.content


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous visitors (see the module docstring).

    Placed after WhiteNoise and before the session middleware, so that a cached page costs two
    cache reads (version, page) and no database query, and so that the response it stores has
    passed through every inner middleware (cookies, Vary, security headers).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with content_version_scope():
            return self._serve(request)

    def _serve(self, request):
        if not _request_is_cacheable(request):
            return self.get_response(request)
        cache = get_cache()
        try:
            version = current_version()
            path_key = _path_key(request, version)
        except Exception:  # a bad Host header is reported by the inner layers
            return self.get_response(request)
        cached = None
        if not request.GET:  # the bare URL: its key does not depend on the names
            cached = cache.get(_cache_key(request, version, ()))
        else:
            # The parameters this path reads, remembered when it was stored; unknown: a miss.
            known = cache.get(path_key)
            if known is not None:
                names = None if known == "*" else tuple(known)
                cached = cache.get(_cache_key(request, version, names))
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(b"" if request.method == "HEAD" else content, status=status)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _response_is_cacheable(request, response):
            names, canonical = _declared(request)
            if canonical is not None and _query_for(request, names) != canonical:
                return response  # values the page corrected: served, never stored
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            timeout = _setting("PAGE_CACHE_TIMEOUT", 3600)
            cache.set(path_key, "*" if names is None else list(names), timeout)
            cache.set(
                _cache_key(request, version, names),
                (response.status_code, headers, response.content),
                timeout,
            )
            response[HEADER] = "miss"
        return response


# --- Invalidation signals -------------------------------------------------------


@functools.cache
def model_invalidates(model):
    """Whether saving or deleting an instance of ``model`` can change a public page."""
    from modelcluster.fields import ParentalKey
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import BaseViewRestriction, Locale, Page, Site
    from wagtail.snippets.models import get_snippet_models

    if issubclass(
        model,
        # A view restriction (page privacy) takes a page away from anonymous visitors at once.
        # Sites and locales change every URL (and what ``version_memo`` keeps of them).
        (
            Page,
            BaseSiteSetting,
            BaseGenericSetting,
            AbstractImage,
            AbstractDocument,
            BaseViewRestriction,
            Site,
            Locale,
        ),
    ):
        return True
    if model in get_snippet_models():
        return True
    if model._meta.label in _setting("PAGE_CACHE_INVALIDATING_MODELS", []):
        return True
    # Inline children of snippets and settings (menu items, partners).
    return any(
        isinstance(field, ParentalKey)
        and not issubclass(field.related_model, Page)
        and model_invalidates(field.related_model)
        for field in model._meta.fields
    )


def no_cache(response, request):
    """A page whose content depends on the query string (a search, a filtered listing): never
    cached by browsers or proxies when it carries a parameter the page reads, nor by the page
    cache (parameters it does not read, such as ``utm_source``, do not count)."""
    if reads_query(request):
        add_never_cache_headers(response)
    return response
