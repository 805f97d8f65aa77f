"""The client's address, the same everywhere: rate limits, login lockout (django-axes), logs.

Without a proxy (``PROXY_COUNT = 0``, the default) it is ``REMOTE_ADDR``.

Behind N trusted reverse proxies (``PROXY_COUNT = N``), each proxy appends the address it received
the request from to ``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``). The last N entries
were therefore written by our proxies, and the N-th from the right is the address the outermost
proxy saw: the client. Anything to the left of it was sent by the client itself and is ignored, so a
forged ``X-Forwarded-For`` never changes the result. Over a Unix socket (gunicorn behind nginx)
``REMOTE_ADDR`` is empty, which is why the header, not the socket, gives the address there.

When the header has fewer entries than ``PROXY_COUNT`` (a request that did not come through every
proxy), or the entry is not an IP address, ``REMOTE_ADDR`` is used, and failing that: no address.
"""

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def _ip(value):
    """The normalised IP address in ``value``, or None (ports and IPv6 brackets are dropped)."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:1234
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The client's IP address as a string, or None when it cannot be known.

    Also ``AXES_CLIENT_IP_CALLABLE``: django-axes stores it in a GenericIPAddressField, hence None
    rather than a placeholder.
    """
    count = int(getattr(settings, "PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part.strip() for part in forwarded if part.strip()]
        if len(forwarded) >= count:
            address = _ip(forwarded[-count])
            if address:
                return address
    return _ip(request.META.get("REMOTE_ADDR", ""))


def client_key(request):
    """The client's address for counting (rate limits, logs): never empty."""
    return client_ip(request) or UNKNOWN
