"""Template tags for the site's frame: navigation, language switcher, breadcrumbs."""

from django import template
from django.conf import settings
from django.db.models import Prefetch
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

from core.models import Menu, MenuItem

register = template.Library()


def _menu(place, context=None):
    """The menu for ``place`` in the active language; both menus load together once per request."""
    request = context.get("request") if context is not None else None
    language = translation.get_language()
    cache = getattr(request, "_site_menus", None) if request is not None else None
    if cache is None or cache[0] != language:
        items = Prefetch("items", queryset=MenuItem.objects.select_related("page").order_by("sort_order"))
        menus = Menu.objects.filter(locale__language_code=language).prefetch_related(items)
        cache = (language, {menu.place: menu for menu in menus})
        if request is not None:
            request._site_menus = cache
    return cache[1].get(place)


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    page = context.get("page")
    return {"menu": _menu(Menu.HEADER, context), "current_path": getattr(page, "path", "")}


@register.inclusion_tag("includes/footer_menu.html", takes_context=True)
def footer_menu(context):
    return {
        "menu": _menu(Menu.FOOTER, context),
        "settings": context.get("settings"),
        "partners": _partners(context.get("request")),
    }


def _partners(request):
    """Partner logos with their images and renditions: two queries whatever their number."""
    from core.models import Partner, SiteSettings

    if request is None:
        return []
    site_settings = SiteSettings.for_request(request)
    return list(
        Partner.objects.filter(settings=site_settings)
        .select_related("logo")
        .prefetch_related("logo__renditions")
        .order_by("sort_order")
    )


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
    from wagtail.models import Site

    relative = page.url_path
    for root in Site.get_site_root_paths():
        if root.language_code == page.locale.language_code and page.url_path.startswith(root.root_path):
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
    alternates = {}
    translations = {}
    if page is not None and getattr(page, "pk", None):
        for other in page.get_translations(inclusive=True).live().select_related("locale"):
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


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if page is None or page.depth <= 2:
        return {"ancestors": []}
    ancestors = page.get_ancestors().filter(depth__gte=2)
    return {"ancestors": list(ancestors), "page": page}


@register.simple_tag
def active_locale():
    return Locale.get_active()
