"""``/healthz`` for the load balancer: the database and the cache answer, or 503.

Answered by the first middleware, before anything else runs: no language prefix, no session, no
cookie, no page cache, no host check (a load balancer probes by address), no HTTPS redirect. The
body is a bare "ok" or "unavailable": which part failed is logged, never shown.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse

logger = logging.getLogger(__name__)
PATH = "/healthz"


def check_database():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def check_cache():
    """A value written to the default cache reads back (Redis errors are swallowed by
    django-redis' IGNORE_EXCEPTIONS, so a lost value is how an outage shows)."""
    key, value = "healthz:probe", uuid.uuid4().hex
    cache.set(key, value, 30)
    return cache.get(key) == value


CHECKS = {"database": check_database, "cache": check_cache}


def health_response():
    failed = []
    for name, check in CHECKS.items():
        try:
            ok = check()
        except Exception:  # any failure is an unhealthy answer, never a 500
            logger.exception("Health check failed: %s", name)
            ok = False
        if not ok:
            failed.append(name)
    if failed:
        logger.error("Health check: unavailable (%s)", ", ".join(failed))
    response = HttpResponse(
        "unavailable\n" if failed else "ok\n",
        status=503 if failed else 200,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return health_response()
