"""Template tags for the site's frame: navigation, language switcher, breadcrumbs."""

import logging

from django import template
from django.conf import settings
from django.db.models import Prefetch
from django.urls import translate_url
from django.utils import translation
from wagtail.images.models import SourceImageIOError
from wagtail.models import Locale, Page

from core.models import Menu, MenuItem

logger = logging.getLogger(__name__)
register = template.Library()


FRAME_CACHE_TIMEOUT = 60 * 60 * 6


def frame_data(request):
    """Menus, contact details and partner logos of the site frame, as plain data.

    Built once per site and language and kept under the site version (core/page_cache.py
    ``site_cached``), which every save of a snippet, setting or image renews, and every change of
    a page a menu links to (core/signal_handlers.py): a page's frame then costs no query at all,
    even right after a publication, and is never stale.
    """
    from core import page_cache
    from core.sites import site_for_request

    language = translation.get_language()
    memo = getattr(request, "_site_frame", None)
    if memo is not None and memo[0] == language:
        return memo[1]
    site = site_for_request(request)
    data = page_cache.site_cached(
        f"site-frame:{getattr(site, 'pk', None)}:{language}",
        lambda: _build_frame_data(request, language),
        FRAME_CACHE_TIMEOUT,
    )
    request._site_frame = (language, data)
    return data


def _build_frame_data(request, language):
    from core.models import Partner, SiteSettings

    items = Prefetch(
        "items", queryset=MenuItem.objects.select_related("page").order_by("sort_order")
    )
    menus = {}
    for menu in Menu.objects.filter(locale__language_code=language).prefetch_related(items):
        menus[menu.place] = {
            "footer_text": menu.footer_text,
            "items": [
                {"url": item.page.get_url(request), "text": item.text, "path": item.page.path}
                for item in menu.items.all()
                if item.page.live
            ],
        }
    site_settings = SiteSettings.for_request(request)
    partners = []
    for partner in (
        Partner.objects.filter(settings=site_settings)
        .select_related("logo")
        .prefetch_related("logo__renditions")
        .order_by("sort_order")
    ):
        try:
            rendition = partner.logo.get_rendition("max-160x80|format-webp")
        except SourceImageIOError:
            # A logo whose file is missing from storage: the partner is listed by name, as
            # Wagtail's own {% image %} tag would do, rather than breaking every page.
            logger.warning("Partner logo file missing: image %s", partner.logo_id)
            partners.append({"name": partner.name, "url": partner.url, "src": ""})
            continue
        partners.append(
            {
                "name": partner.name,
                "url": partner.url,
                "src": rendition.url,
                "width": rendition.width,
                "height": rendition.height,
            }
        )
    contact = {
        "organisation_name": site_settings.organisation_name,
        "address": site_settings.address,
        "email": site_settings.email,
        "phone": site_settings.phone,
        "social_links": site_settings.social_links,
    }
    return {"menus": menus, "partners": partners, "contact": contact}


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    page = context.get("page")
    menu = frame_data(context["request"])["menus"].get(Menu.HEADER)
    return {"menu": menu, "current_path": getattr(page, "path", "")}


@register.inclusion_tag("includes/footer_menu.html", takes_context=True)
def footer_menu(context):
    frame = frame_data(context["request"])
    return {
        "menu": frame["menus"].get(Menu.FOOTER),
        "contact": frame["contact"],
        "partners": frame["partners"],
    }


def home_page_for(language_code):
    """The root page of the site in the given language, or None."""
    return (
        Page.objects.filter(depth=2, locale__language_code=language_code, live=True)
        .only("id", "path", "url_path", "locale_id")
        .first()
    )


def fallback_url(page, language_code):
    """The page's own path under the other language's prefix.

    core.middleware.UntranslatedPageFallbackMiddleware serves the untranslated page there,
    in that language's interface, with a notice.
    """
    from core.sites import site_root_paths
    from core.translation_status import locale_codes

    language = locale_codes().get(page.locale_id) or page.locale.language_code
    relative = page.url_path
    for root in site_root_paths():
        if root.language_code == language and page.url_path.startswith(root.root_path):
            relative = page.url_path[len(root.root_path) - 1 :]
            break
    if language_code == settings.LANGUAGE_CODE:
        return relative
    return f"/{language_code}{relative}"


def alternate_urls(request, page=None):
    """Map each language code to the URL of this content in that language.

    A page links to its live translation; without one, to its own path in the other
    language (flagged as a fallback: the page is shown there with a notice). Django views
    (search…) link to the same view.
    """
    current = translation.get_language()
    if page is not None and getattr(page, "pk", None):
        # The same for every visitor of this page on this site: kept for the content version.
        site = getattr(request, "_wagtail_site", None)
        from core import page_cache

        key = ("alternates", page.pk, getattr(site, "pk", None), request.get_host(), current)
        return page_cache.version_memo(key, lambda: _alternate_urls(request, page, current))
    return _alternate_urls(request, page, current)


def _alternate_urls(request, page, current):
    alternates = {}
    translations = {}
    if page is not None and getattr(page, "pk", None):
        # Real translations only: an alias shows the original's content (no hreflang for it).
        real = page.get_translations(inclusive=True).live().filter(alias_of__isnull=True)
        for other in real.select_related("locale"):
            translations[other.locale.language_code] = other
    for code, name in settings.LANGUAGES:
        if page is not None and getattr(page, "pk", None):
            if code in translations:
                alternates[code] = {
                    "url": translations[code].get_url(request),
                    "name": name,
                    "exact": True,
                }
            else:
                alternates[code] = {"url": fallback_url(page, code), "name": name, "exact": False}
        else:
            alternates[code] = {
                "url": translate_url(request.get_full_path(), code),
                "name": name,
                "exact": True,
            }
        alternates[code]["current"] = code == current
    return alternates


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context["request"]
    alternates = context.get("alternates") or alternate_urls(request, context.get("page"))
    return {"alternates": alternates}


@register.simple_tag(takes_context=True)
def get_alternates(context):
    """Compute the language alternates once per page; head and switcher share them."""
    request = context["request"]
    return alternate_urls(request, context.get("page"))


@register.simple_tag(takes_context=True)
def frame_key(context):
    """What the site frame (header, breadcrumbs) of this response depends on, for ``{% fragment %}``:
    the page and the path for a page (its alternates, menu item, ancestors), else the whole path
    with its query string (a view's language links keep it)."""
    request = context["request"]
    page = context.get("page")
    if page is not None and getattr(page, "pk", None):
        return f"page:{page.pk}:{request.path}"
    return f"view:{request.get_full_path()}"


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": []}
    known = getattr(page, "_route_ancestors", None)  # read by the routing (core/routing.py)
    ancestors = (
        [p for p in known if p.depth >= 2]
        if known is not None
        else page.get_ancestors().filter(depth__gte=2)
    )
    return {
        "ancestors": list(ancestors),
        "page": page,
        "current": [page],
        "request": context.get("request"),
    }


@register.simple_tag
def active_locale():
    return Locale.get_active()


@register.simple_tag(takes_context=True)
def localized_pageurl(context, page):
    """``{% pageurl page.localized %}`` (the URL of the page's live translation in the active
    language, else of the page), kept for the content version: without it, every view of a page
    in the other language than the page's queries the translation."""
    from wagtail.templatetags.wagtailcore_tags import pageurl

    from core import page_cache

    request = context.get("request")
    host = request.get_host() if request is not None else ""
    key = ("localized-url", page.pk, translation.get_language(), host)
    return page_cache.version_memo(key, lambda: pageurl(context, page.localized))
