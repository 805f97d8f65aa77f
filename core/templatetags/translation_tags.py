"""Honest pages in the other language: what the visitor reads, and in which language.

One mechanism for untranslated pages, whichever way the visitor reached one: an alias of a
French page in the English tree (onboarding leaves members' section pages so), or the French page
itself served at its English path (core/middleware.py). Either way the page's content language
(``core.translation_status.content_language``: its locale's, or its original's for an alias) is
not the interface's, and that alone decides the notice, the ``lang`` marks and the description.

``{% content_language_notice %}`` (base.html) sets ``content_lang``, the language of the page's
content when it is not the interface's, and renders the notice that says so, in the visitor's
language, with a link to the original; or, for a translation older than its original, a notice
that the original is more recent, with a link to it.
"""

from django import template
from django.utils import translation

from core.translation_status import OUTDATED, content_language, locale_codes, status_of

register = template.Library()


@register.inclusion_tag("includes/content_language_notice.html", takes_context=True)
def content_language_notice(context):
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    result = {"request": request, "content_lang": "", "outdated": None, "original": None}
    if page is None or not getattr(page, "pk", None) or not getattr(page, "locale_id", None):
        return result
    from core.translation_status import locale_codes

    codes = locale_codes()
    language = content_language(page, codes)
    if language and language != current:
        # The original: what the alias shows, or the page itself (served at the other path).
        original = page.alias_of if page.alias_of_id else page
        result.update(
            content_lang=language, kind="untranslated", original_url=original.get_url(request)
        )
        _remember(request, language)
        return result
    own = codes.get(page.locale_id)  # cached: no locale query per page
    if own != translation.get_language() or page.depth < 2:
        return result
    from django.conf import settings

    if own == settings.LANGUAGE_CODE:
        return result
    outdated = outdated_notice(page, request)
    if outdated is not None:
        result.update(kind="outdated", outdated=outdated[0], original_url=outdated[1])
    return result


def outdated_notice(page, request):
    """(what the notice shows, the original's URL) when the translation ``page`` is older than
    its original, else None. Its status takes six queries: it is kept (``version_cached``) under
    the content version, which every publication and every synchronisation of a translation
    source renews (``PAGE_CACHE_INVALIDATING_MODELS``), so the notice is never late."""
    from core.page_cache import version_cached

    host = request.get_host() if request is not None else ""

    def build():
        status = status_of(page)
        if status is None or status.state != OUTDATED:
            return ()
        shown = {
            "original_published_at": status.original_published_at,
            "original": {
                "locale": {"language_code": locale_codes().get(status.original.locale_id)}
            },
        }
        return (shown, status.original.get_url(request))

    return version_cached(f"translation-outdated:{page.pk}:{host}", build) or None


def _remember(request, language):
    if request is not None:
        request.content_language = language


@register.simple_tag(takes_context=True)
def content_lang_attr(context):
    """` lang="fr"` on <main> when the content is not in the interface's language."""
    from django.utils.html import format_html

    request = context.get("request")
    lang = getattr(request, "content_language", "")
    return format_html(' lang="{}"', lang) if lang else ""


@register.simple_tag(takes_context=True)
def meta_description(context):
    """The page's description in the visitor's language: its search description, else its lead
    or summary (core.templatetags.share_tags); the network's own description for a page whose
    content is in the other language (an untranslated page), or that has none."""
    from django.utils.translation import gettext

    from core.templatetags.share_tags import share_description

    page = context.get("page")
    generic = gettext(
        "Innover en Baronnies provençales : le réseau des tiers-lieux, du numérique et des "
        "nouvelles façons de travailler dans les Baronnies provençales."
    )
    if page is None or not getattr(page, "pk", None):
        return generic
    if getattr(page, "locale_id", None) and content_language(page) != translation.get_language():
        return generic
    return share_description(page) or generic


@register.simple_tag
def foreign_content(items):
    """{pk: language} for the pages (or directory rows with a ``pk``) among ``items`` whose
    content is not in the interface's language: aliases of pages in another language, and pages
    of another locale (an untranslated page served at its other path). One query."""
    from wagtail.models import Page

    from core.translation_status import locale_codes

    items = [item for item in items or [] if getattr(item, "pk", None)]
    if not items:
        return {}
    current = translation.get_language()
    codes = locale_codes()
    # Pages loaded with their locale and alias columns need no query unless they are aliases.
    known = [
        (item.pk, item.locale_id, None)
        for item in items
        if getattr(item, "locale_id", None)
        and "alias_of_id" in vars(item)
        and item.alias_of_id is None
    ]
    known_pks = {pk for pk, _, _ in known}
    rest = [item.pk for item in items if item.pk not in known_pks]
    rows = list(known)
    if rest:
        rows += Page.objects.filter(pk__in=rest).values_list(
            "pk", "locale_id", "alias_of__locale_id"
        )
    result = {}
    for pk, locale_id, alias_locale_id in rows:
        language = codes.get(alias_locale_id or locale_id)
        if language and language != current:
            result[pk] = language
    return result


@register.simple_tag
def lang_of(foreign, item):
    """` lang="…"` for ``item`` when ``foreign`` (from foreign_content) lists it."""
    from django.utils.html import format_html

    language = (foreign or {}).get(getattr(item, "pk", None))
    return format_html(' lang="{}"', language) if language else ""


@register.simple_tag(takes_context=True)
def interface_lang_attr(context):
    """` lang="en"` on interface text (labels, vocabularies in the visitor's language) inside a
    page whose content is marked as another language."""
    from django.utils.html import format_html

    request = context.get("request")
    if getattr(request, "content_language", ""):
        return format_html(' lang="{}"', translation.get_language())
    return ""
