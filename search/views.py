"""Site-wide search at /recherche/: every page type of the current language, filters by type,
staff promotions first, queries logged; and a small JSON endpoint for suggestions."""

import hashlib
import re

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.models import Locale, Page

from core.fulltext import best_ranked, on_postgres_backend
from core.models import all_pages
from core.pagination import paginate
from core.sites import site_for_request

from .hits import record_hit
from .models import ZeroResultQuery
from .types import TYPES, type_key_for

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 500  # counts and pages are taken from at most this many best results
PER_PAGE = 10
SUGGESTIONS = 8


def clean_query(request):
    """The query string, stripped of control characters and cut to MAX_QUERY_LENGTH."""
    raw = request.GET.get("q", "")
    query = "".join(ch for ch in raw if ch.isprintable()).strip()
    return query[:MAX_QUERY_LENGTH], len(query) > MAX_QUERY_LENGTH


def search_terms(query):
    """Only the words of the query: operators and punctuation never reach the search engine."""
    return " ".join(re.findall(r"\w+", query))


def searchable_pages():
    return all_pages().live().public().filter(locale=Locale.get_active())


MATCHES_CACHE_SECONDS = 60 * 60


def best_matches(terms, locale):
    """The best MAX_RESULTS live public pages for ``terms`` in ``locale``, as (id, content type
    id) pairs in relevance order.

    Ranking every match is the costly part of a search (about 14,000 matching pages for a common
    word at the benchmark's volume), so the ranked ids are kept in the shared cache under the
    content version (core/page_cache.py): any publication, unpublication, move or privacy change
    starts a new version, so a result list is never older than the content it ranks.
    """
    from core.page_cache import version_cached

    digest = hashlib.sha256(terms.encode()).hexdigest()

    def rank():
        pages = searchable_pages()
        if on_postgres_backend():
            # The backend's rows and order, ranked on its index entries (core/fulltext.py).
            return best_ranked(pages, terms, MAX_RESULTS, through_pages=is_minor_language(locale))
        return [
            (page.pk, page.content_type_id)
            for page in pages.search(terms, operator="and")[:MAX_RESULTS]
        ]

    return version_cached(f"site-search:{locale.pk}:{digest}", rank, MATCHES_CACHE_SECONDS)


def is_minor_language(locale):
    """Whether ``locale`` holds under a quarter of the live pages (the English translations): its
    searches are then matched from its pages' side (core/fulltext.py ``best_ranked``).

    Both sides give the same rows in the same order: this only chooses the faster one, so it is
    counted once per site version (``site_cached``), not after every publication, where the
    count (a scan of the page table, 4-5 ms at the bench volume) fell on the first search."""
    from django.db.models import Count, Q

    from core.page_cache import site_cached

    def count():
        counts = Page.objects.filter(live=True).aggregate(
            everywhere=Count("pk"), here=Count("pk", filter=Q(locale=locale))
        )
        return counts["here"] * 4 < counts["everywhere"]

    return site_cached(f"search-minor-language:{locale.pk}", count)


def promotions_for(query):
    """The promoted results of ``query`` (staff's "promoted search results"), kept in this
    process for the content version, which saving a promotion renews. Most queries have none:
    the queries that have some are known for the version, so those cost no query."""
    from wagtail.contrib.search_promotions.models import SearchPromotion

    from core.page_cache import version_memo

    promoted = version_memo(
        "search-promoted-queries",
        lambda: set(SearchPromotion.objects.values_list("query_id", flat=True)),
    )
    if query.pk not in promoted:
        return []
    return version_memo(
        ("search-promotions", query.pk),
        lambda: list(query.editors_picks.select_related("page").order_by("sort_order")),
    )


def typed_matches(terms, locale):
    """``best_matches`` as (id, content type id, type key), kept in this process for the content
    version."""
    from core.page_cache import version_memo

    def build():
        return [
            (pk, content_type_id, type_key_for(content_type_id))
            for pk, content_type_id in best_matches(terms, locale)
        ]

    return version_memo(("site-search-types", locale.pk, terms), build)


def specific_pages(matches):
    """The specific pages of ``matches`` ((id, content type id) pairs), in that order: one query
    per page type, kept in this process for the content version (shared between requests: read
    only)."""
    from django.contrib.contenttypes.models import ContentType

    from core.page_cache import version_memo

    def build():
        by_type = {}
        for pk, content_type_id in matches:
            by_type.setdefault(content_type_id, []).append(pk)
        specific = {}
        for content_type_id, ids in by_type.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
            specific.update((page.pk, page) for page in model.objects.filter(pk__in=ids))
        return [specific[pk] for pk, _type in matches if pk in specific]

    return version_memo(("site-search-pages", tuple(matches)), build)


@never_cache
def search(request):
    """One search over the public pages of the current language."""
    site_for_request(request)  # the Site of each result's URL, from this process's copy
    query, too_long = clean_query(request)
    context = {"search_query": query, "message": "", "types": [], "selected_type": ""}
    if too_long:
        context["message"] = _(
            "Votre recherche était trop longue : seuls ses %(n)s premiers caractères ont été utilisés."
        ) % {"n": MAX_QUERY_LENGTH}
    selected = request.GET.get("type", "")
    if selected not in TYPES:
        selected = ""
    context["selected_type"] = selected
    terms = search_terms(query)
    if not query:
        return TemplateResponse(request, "search/search.html", context)

    logged = record_hit(query)
    promotions = promotions_for(logged)
    promoted_ids = {promo.page_id for promo in promotions if promo.page_id}
    active_locale = Locale.get_active()
    promotions = [
        promo
        for promo in promotions
        if promo.page_id is None or (promo.page.live and promo.page.locale_id == active_locale.pk)
    ]

    # The best MAX_RESULTS matches, as (id, content type id): counts by type come from them.
    matches = typed_matches(terms, active_locale) if terms else []
    counts = dict.fromkeys(TYPES, 0)
    for _pk, _content_type_id, type_key in matches:
        counts[type_key] += 1
    if not matches and not promotions:
        ZeroResultQuery.record(query, get_language())

    listed = [
        (pk, content_type_id)
        for pk, content_type_id, type_key in matches
        if pk not in promoted_ids and (not selected or type_key == selected)
    ]
    context.update(paginate(request, listed, PER_PAGE, {"q": query, "type": selected}))
    page_obj = context["page_obj"]
    # Specific pages for the shown page of results only: one query per page type shown.
    page_obj.object_list = specific_pages(list(page_obj.object_list))
    context.update(
        promotions=promotions if page_obj.number == 1 and not selected else [],
        total=len(matches),
        capped=len(matches) >= MAX_RESULTS,
        types=[
            {"key": key, "label": label, "count": counts[key], "selected": key == selected}
            for key, (label, _models) in TYPES.items()
        ],
    )
    return TemplateResponse(request, "search/search.html", context)


@never_cache
def suggestions(request):
    """Titles that start like the query, for the search box (same origin, JSON list)."""
    query, _too_long = clean_query(request)
    terms = search_terms(query)
    if len(terms) < 2:
        return JsonResponse([], safe=False)
    titles = []
    for page in searchable_pages().autocomplete(terms)[: SUGGESTIONS * 2]:
        if page.title not in titles:
            titles.append(page.title)
        if len(titles) == SUGGESTIONS:
            break
    return JsonResponse(titles, safe=False)
