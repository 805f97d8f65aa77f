"""The beacon: POST /stats/hit/ with ``page`` (a page id) and ``kind`` (view, website, phone, email).

Sent by stats/js/beacon.js with ``navigator.sendBeacon``: a separate, uncached, same-origin
request, so that views are counted while the page cache serves the page itself. It reads no
cookie, sets none, stores no IP address: only a counter per page, month and kind goes up.
Browsers that send ``DNT: 1`` or ``Sec-GPC: 1`` are not counted (the script does not even send
the request then)."""

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .counting import increment, tracked_models
from .models import PageStat


def _empty(status=204):
    response = HttpResponse(status=status)
    add_never_cache_headers(response)
    return response


def _cross_site(request):
    site = request.headers.get("Sec-Fetch-Site")
    if site and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    if origin and origin not in ("null",):
        return origin.rstrip("/") != f"{request.scheme}://{request.get_host()}"
    return False


@csrf_exempt  # no cookie, no session, nothing but a counter: a forged request can only add one view
@require_POST
def hit(request):
    from wagtail.models import Page

    if request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1":
        return _empty()
    if _cross_site(request):
        return HttpResponseForbidden(
            "Requête d'un autre site refusée.", content_type="text/plain; charset=utf-8"
        )
    kind = request.POST.get("kind", "")
    page_id = request.POST.get("page", "")
    if kind not in PageStat.Kind.values or not page_id.isdigit() or len(page_id) > 12:
        return HttpResponseBadRequest(
            "Paramètres attendus : page (numéro) et kind (view, website, phone, email).",
            content_type="text/plain; charset=utf-8",
        )
    page = (
        Page.objects.live()
        .public()
        .filter(pk=int(page_id))
        .select_related("content_type")
        .only("pk", "content_type")
        .first()
    )
    if (
        page is None
        or f"{page.content_type.app_label}.{page.content_type.model}" not in tracked_models()
    ):
        return HttpResponseBadRequest(
            "Cette page n'est pas comptée.", content_type="text/plain; charset=utf-8"
        )
    increment(page.pk, kind)
    return _empty()
