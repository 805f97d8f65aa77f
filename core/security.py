"""HTTP security headers: one Content-Security-Policy per kind of URL, and framing rules.

The policies themselves live in settings (``CONTENT_SECURITY_POLICY`` for the public site,
``ADMIN_CONTENT_SECURITY_POLICY`` for the Wagtail admin, ``DOCUMENT_CONTENT_SECURITY_POLICY``
for served documents). See docs/security.md.
"""

from functools import wraps

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware
from django.conf import settings


def _prefix(name, default):
    return getattr(settings, name, default)


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with a relaxed policy for the admin and a sandbox for documents.

    django-csp 4 applies one policy to every response unless a view is decorated; the admin's views
    are Wagtail's, so the choice is made here from the path instead.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(_prefix("DOCUMENTS_URL_PREFIX", "/documents/")):
            # Wagtail's document view sets a bare "default-src 'none'": ours adds the sandbox.
            del response["Content-Security-Policy"]
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        path = request.path_info
        if path.startswith(_prefix("ADMIN_URL_PREFIX", "/admin/")):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        elif path.startswith(_prefix("DOCUMENTS_URL_PREFIX", "/documents/")):
            parts.config = settings.DOCUMENT_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def mark_frameable(response):
    """Let any site show this response in a frame (``frame-ancestors *``, no X-Frame-Options)."""
    replace = dict(getattr(response, "_csp_replace", None) or {})
    replace["frame-ancestors"] = ["*"]
    response._csp_replace = replace
    response.xframe_options_exempt = True
    return response


def allow_framing(view):
    """View decorator: the page may be embedded in other sites (e.g. the directory's map).

    Every other response forbids framing (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``).
    Works on function views; for class-based views use ``method_decorator(allow_framing)`` or
    wrap ``as_view()``; inside a Wagtail page's ``serve()`` call ``mark_frameable(response)``.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        return mark_frameable(view(*args, **kwargs))

    return wrapped


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' backend, skipped when there is no request to throttle.

    Login views always pass the request; code that calls ``authenticate()`` without one (a script,
    a management command, a test) is not a login form and is not throttled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class RejectNullBytesMiddleware:
    """A NUL character in the path is refused with a 400 before any view runs: no page has one,
    and PostgreSQL refuses it in a text parameter, so routing and redirects would turn such a link
    into a server error. (Query-string values are the views' business: they clean them and answer
    in their own format, e.g. JSON errors from the API.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            from django.core.exceptions import BadRequest
            from django.views.defaults import bad_request

            return bad_request(request, BadRequest("NUL character in the request"))
        return self.get_response(request)
