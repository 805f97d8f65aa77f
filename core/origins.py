"""Origins for the Content-Security-Policy, from URLs in the settings (no Django import)."""

from urllib.parse import urlsplit


def tile_origin(template):
    """The scheme, host and port of a tile URL template, as a CSP source; "" when unset.

    ``https://data.geopf.fr/wmts?…&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}`` gives
    ``https://data.geopf.fr``; ``http://127.0.0.1:8090/tiles/{z}/{x}/{y}.png`` gives
    ``http://127.0.0.1:8090``. A Leaflet subdomain placeholder (``https://{s}.tile.example.org/…``)
    becomes the CSP wildcard ``https://*.tile.example.org``. Anything else is refused with
    ValueError rather than widening the policy.
    """
    template = (template or "").strip()
    if not template:
        return ""
    parts = urlsplit(template)
    host = parts.netloc
    if host.startswith("{s}."):
        host = "*." + host[4:]
    if (
        parts.scheme not in ("http", "https")
        or not host
        or "@" in host
        or "{" in host
        or "}" in host
    ):
        raise ValueError(
            f"MAP_TILE_URL must be an http(s) URL template such as "
            f"https://tiles.example.org/{{z}}/{{x}}/{{y}}.png; got {template!r}."
        )
    return f"{parts.scheme}://{host.lower()}"
