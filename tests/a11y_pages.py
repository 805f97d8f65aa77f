"""The public pages that the accessibility, HTML-validity, XSS and header checks visit.

ONE entry per public page type, each with a French and an English URL from the demo content.
When you add a page type (or a public form), append its URLs here (a form also to FORMS_WITH_ERRORS,
so that it is checked with its error messages shown): every check picks them up
(tests/test_accessibility_browser.py, tests/test_html_validity.py, tests/test_security_headers.py,
tests/test_xss.py). Keep URLs that the demo content (load_demo) creates.
"""

PAGE_TYPES = {
    "home": ["/", "/en/"],
    "standard page": ["/le-reseau/", "/en/le-reseau/"],
    "accessibility statement": ["/accessibilite/", "/en/accessibilite/"],
    "directory index": ["/annuaire/", "/en/annuaire/"],
    "news index": ["/actualites/", "/en/actualites/"],
    "agenda": ["/agenda/", "/en/agenda/"],
    "dossier index": ["/dossiers/", "/en/dossiers/"],
    "search results": ["/recherche/?q=tiers-lieux", "/en/recherche/?q=network"],
    "search without results": ["/recherche/?q=zzzqqq", "/en/recherche/?q=zzzqqq"],
    "search, empty": ["/recherche/", "/en/recherche/"],
    "article (news)": [
        "/actualites/parc/naissance-du-reseau/",
        "/en/actualites/parc/naissance-du-reseau/",
    ],
    "event with registration form (agenda)": [
        "/agenda/parc/premiere-rencontre-publique-aubres/",
        "/en/agenda/parc/premiere-rencontre-publique-aubres/",
    ],
    "recurring event with per-session registration (agenda)": [
        "/agenda/parc/reunion-mensuelle-du-reseau/",
        "/en/agenda/parc/reunion-mensuelle-du-reseau/",
    ],
    "agenda, filtered (with its calendar feed)": [
        "/agenda/?mode=sur-place&theme=pratiques-collaboratives",
        "/en/agenda/?mode=sur-place",
    ],
    "directory actor entry": ["/annuaire/asoft/", "/en/annuaire/asoft/"],
    "directory place entry": [
        "/annuaire/asoft/espace-numerique-buis/",
        "/en/annuaire/asoft/espace-numerique-buis/",
    ],
    "dossier page": ["/dossiers/developpement-economique/", "/en/dossiers/economic-development/"],
    "directory, filtered": [
        "/annuaire/?type=place&department=26",
        "/en/annuaire/?type=place&department=26",
    ],
    "directory, searched": ["/annuaire/?q=numerique", "/en/annuaire/?q=digital"],
    "directory contribution form": ["/annuaire/proposer/", "/en/annuaire/proposer/"],
    "contact form": ["/nous-contacter/", "/en/nous-contacter/"],
    "newsletter subscription form": ["/abonnement/", "/en/abonnement/"],
    "newsletter subscription, thank you": ["/abonnement/?merci=1", "/en/abonnement/?merci=1"],
}

# Pages reached only by a signed link from an e-mail: their token names a subscriber, so their URLs
# are made inside each test (signed_url), for a subscriber of that language. Page type -> link kind.
SIGNED_PAGES = {
    "subscription confirmation (its button)": "confirm",
    "subscription preferences form": "preferences",
    "unsubscribe (its button)": "unsubscribe",
}
SIGNED_FORMS_WITH_ERRORS = {"subscription preferences form, with errors": "preferences"}
SIGNED_LANGUAGES = ("fr", "en")

# Public forms shown again with their error messages: each URL is submitted EMPTY (a POST with no
# field), and the page that comes back is checked like the others (axe submits the form in the
# browser; vnu checks the HTML of the POST's answer).
FORMS_WITH_ERRORS = {
    "contribution form, with errors": ["/annuaire/proposer/", "/en/annuaire/proposer/"],
    "contact form, with errors": ["/nous-contacter/", "/en/nous-contacter/"],
    "recurring event registration, with errors": [
        "/agenda/parc/reunion-mensuelle-du-reseau/",
        "/en/agenda/parc/reunion-mensuelle-du-reseau/",
    ],
    "newsletter subscription form, with errors": ["/abonnement/", "/en/abonnement/"],
}

# Pages that answer with an error status on purpose: URL -> expected status.
ERROR_PAGES = {
    "/une-page-qui-n-existe-pas/": 404,
    "/en/a-page-that-does-not-exist/": 404,
}


def all_pages():
    """(page type, url, expected status) for every listed page."""
    for page_type, urls in PAGE_TYPES.items():
        for url in urls:
            yield page_type, url, 200
    for url, status in ERROR_PAGES.items():
        yield "error page", url, status


def form_error_pages():
    """(page type, url, expected status) for every form to submit empty."""
    for page_type, urls in FORMS_WITH_ERRORS.items():
        for url in urls:
            yield page_type, url, 200


def ids(cases):
    return [f"{page_type} {url}" for page_type, url, _status in cases]


def signed_cases(forms=False):
    """(page type, link kind, language) for every page reached by a signed link."""
    for page_type, kind in (SIGNED_FORMS_WITH_ERRORS if forms else SIGNED_PAGES).items():
        for language in SIGNED_LANGUAGES:
            yield page_type, kind, language


def signed_ids(cases):
    return [f"{page_type} {language}" for page_type, _kind, language in cases]


def signed_url(kind, language):
    """The path of a ``kind`` link ("confirm", "preferences", "unsubscribe") for a new subscriber
    (pending for a confirmation, active otherwise). Needs the database."""
    from urllib.parse import urlsplit
    from uuid import uuid4

    from django.utils import timezone

    from subscriptions import tokens
    from subscriptions.models import Subscriber

    subscriber = Subscriber.objects.create(
        email=f"a11y-{kind}-{language}-{uuid4().hex[:8]}@example.org",
        language=language,
        status=Subscriber.Status.PENDING if kind == "confirm" else Subscriber.Status.ACTIVE,
        last_digest_at=timezone.now(),
    )
    return urlsplit(getattr(tokens, f"{kind}_url")(subscriber)).path
