from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from wagtail.models import Locale, Page

from core.pagination import paginate

MAX_QUERY_LENGTH = 200
PER_PAGE = 10


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
        results = pages.search(query, operator="and")
        context.update(paginate(request, results, PER_PAGE, {"q": query}))
    context["search_query"] = query
    return TemplateResponse(request, "search/search.html", context)
