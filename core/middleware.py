"""Untranslated pages: /en/<path> shows the French page (and vice versa) rather than a 404.

When a page exists in one language only, the language switcher links to the same path in the
other language. Wagtail finds nothing there; this middleware then routes the path through the
other languages' trees and serves the page it finds, in the visitor's interface language. Its
content language is not the interface's: as for an alias, base.html then marks the content with
its own ``lang`` and shows a notice (core/templatetags/translation_tags.py). The canonical link
stays the original page's URL.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import translation
from wagtail import hooks
from wagtail.models import Locale

from core.sites import site_for_request


def _path_components(request, language):
    path = request.path_info
    prefix = f"/{language}/"
    if language != settings.LANGUAGE_CODE and path.startswith(prefix):
        path = path[len(prefix) - 1 :]
    return [part for part in path.split("/") if part]


class UntranslatedPageFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if request.path_info.startswith(("/admin/", "/documents/", "/static/", "/media/")):
            return response
        fallback = self.serve_other_language(request)
        return fallback if fallback is not None else response

    def serve_other_language(self, request):
        site = site_for_request(request)
        if site is None:
            return None
        language = translation.get_language()
        components = _path_components(request, language)
        if not components:
            return None
        from core.page_cache import version_memo
        from core.routing import own_copy

        # What the path finds depends only on the site, the language, the path and the published
        # content: kept for the content version, as routing is (core/routing.py).
        key = ("fallback-route", site.pk, language, tuple(components))
        found = version_memo(key, lambda: _find_in_other_languages(request, site, components))
        if found is None:
            return None
        page, args, kwargs = found
        page = own_copy(page)
        for hook in hooks.get_hooks("before_serve_page"):
            result = hook(page, request, args, kwargs)
            if isinstance(result, HttpResponse):
                return result
        response = page.serve(request, *args, **kwargs)
        if hasattr(response, "render"):
            response = response.render()
        return response


def _find_in_other_languages(request, site, components):
    """(page, args, kwargs) found at ``components`` in another language's tree, when the active
    language has no translation of it to show; else None."""
    from core.routing import SlowPath, walk
    from core.translation_status import cached_locale, locale_codes

    language = translation.get_language()
    for code in sorted(set(locale_codes().values()) - {language}):
        locale = cached_locale(code)
        home = site.root_page.get_translation_or_none(locale)
        if home is None:
            continue
        try:
            try:
                page, args, kwargs = walk(home, request, components)  # core/routing.py
            except SlowPath:
                page, args, kwargs = home.specific.route(request, components)
        except Http404:
            continue
        translated = page.get_translation_or_none(Locale.get_active())
        if translated is not None and (translated.live or translated.first_published_at):
            # A live translation: its own URL serves it. One that was published and then
            # unpublished stays gone (the editors withdrew it): no fallback either.
            return None
        # (a translation never published yet, waiting for moderation, is not shown: the
        # original is)
        return page, args, kwargs
    return None
