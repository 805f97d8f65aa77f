import re

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.models import Locale, Page

from core.pagination import paginate

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
# Characters that mean nothing to a word search but are operators to the database engines
# (SQLite FTS5 fails on "<" or ":"): they are searched as spaces.
NOT_SEARCHABLE = re.compile(r"[^\w\s'’-]+")


@never_cache
def search(request):
    """One search over the public pages of the current language."""
    query = request.GET.get("q", "").strip()
    context = {"search_query": "", "message": ""}
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH]
        context["message"] = _(
            "Votre recherche était trop longue : seuls ses %(n)s premiers caractères ont été utilisés."
        ) % {"n": MAX_QUERY_LENGTH}
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        terms = " ".join(NOT_SEARCHABLE.sub(" ", query).split())
        results = pages.search(terms, operator="and") if terms else pages.none()
        context.update(paginate(request, results, PER_PAGE, {"q": query}))
    context["search_query"] = query
    return TemplateResponse(request, "search/search.html", context)
