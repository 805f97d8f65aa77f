"""An XSS corpus and a checker that says whether rendered HTML can run anything.

Reuse it for every public form and every field that ends up on a page:

    from tests.xss import PAYLOADS, assert_nothing_executable, check_get_form, check_post_form

    check_get_form(client, "/annuaire/", "commune")            # a GET filter or search field
    check_post_form(client, "/contact/", {"name": "x", "email": "a@b.fr", "message": "y"}, "message")
"""

from bs4 import BeautifulSoup

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="  JaVaScRiPt:alert(1)">clic</a>',
    '<a href="java&#09;script:alert(1)">clic</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<body onload="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "{{ 7*7 }}{% debug %}",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '" onfocus="alert(1)" autofocus="',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "\u2028<script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
]

URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "poster",
    "background",
)
ALLOWED_SCRIPT_PREFIXES = ("/static/",)


def _is_script_url(value):
    cleaned = "".join(ch for ch in value if ch > " " and ch not in "\t\r\n").lower()
    return cleaned.startswith(("javascript:", "vbscript:", "data:text/html"))


def executable_parts(html, allowed_script_prefixes=ALLOWED_SCRIPT_PREFIXES):
    """Everything in ``html`` a browser could run: a list of short descriptions (empty if none)."""
    soup = BeautifulSoup(html, "html5lib")
    found = []
    for script in soup.find_all("script"):
        src = script.get("src") or ""
        if script.get("type") in {"application/json", "application/ld+json"} and not src:
            continue
        if not (src and src.startswith(allowed_script_prefixes)):
            found.append(f"script: {str(script)[:80]}")
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                found.append(f"event handler {name} on <{tag.name}>")
            elif name.lower() in URL_ATTRIBUTES and any(_is_script_url(v) for v in values):
                found.append(f"script URL in {name} on <{tag.name}>")
            elif name.lower() == "srcdoc":
                found.append(f"srcdoc on <{tag.name}>")
        if tag.name in {"object", "embed", "base"}:
            found.append(f"<{tag.name}> element")
        if tag.name == "meta" and (tag.get("http-equiv") or "").lower() == "refresh":
            found.append("meta refresh")
    return found


def assert_nothing_executable(html, where=""):
    found = executable_parts(html)
    assert not found, f"executable content {where}: {found}"


def check_get_form(client, url, field, extra=None):
    """Send every payload in ``field`` of a GET form; the page answers and runs nothing."""
    for payload in PAYLOADS:
        response = client.get(url, {**(extra or {}), field: payload})
        assert response.status_code in {200, 400, 404}, (url, field, payload, response.status_code)
        assert_nothing_executable(response.content.decode(), f"on {url} with {field}={payload!r}")


def check_post_form(client, url, valid_data, field):
    """POST every payload in ``field`` of a form (other fields valid); the answer runs nothing."""
    for payload in PAYLOADS:
        response = client.post(url, {**valid_data, field: payload}, follow=True)
        assert response.status_code in {200, 400, 404, 429}, (url, field, payload)
        assert_nothing_executable(response.content.decode(), f"on {url} with {field}={payload!r}")
