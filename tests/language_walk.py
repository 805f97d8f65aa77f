"""Walk the English site and find French text that is not marked lang="fr" (RGAA 8.7).

The English URLs are those of /sitemap.xml, plus the English path of every French URL (where
the untranslated fallback, or an alias, shows the French content). Every paragraph-like
element's own text is given to an offline language detector (lingua, English vs French); a
text detected as French with high confidence must sit inside an element whose nearest ``lang``
is ``fr``.
"""

import re
from functools import cache
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

TEXT_ELEMENTS = [
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "dd",
    "dt",
    "td",
    "th",
    "figcaption",
    "blockquote",
    "summary",
    "label",
    "legend",
    "caption",
]
MIN_WORDS = 4
MIN_CONFIDENCE = 0.9


@cache
def detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


def french_confidence(text):
    from lingua import Language

    return detector().compute_language_confidence(text, Language.FRENCH)


def english_urls(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = set()
    for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap):
        path = urlsplit(loc).path
        paths.add(path if path.startswith("/en/") else "/en" + path)
    return sorted(paths)


def element_language(element):
    for node in [element, *element.parents]:
        lang = getattr(node, "attrs", {}).get("lang") if hasattr(node, "attrs") else None
        if lang:
            return lang.split("-")[0]
    return None


def own_text(element):
    """The element's text, without that of nested text elements (checked on their own) and of
    nested elements that declare their own language (judged by that declaration)."""
    parts = []
    for child in element.descendants:
        if not isinstance(child, str):
            continue
        nested = False
        for parent in child.parents:
            if parent is element:
                break
            if parent.name in TEXT_ELEMENTS or parent.attrs.get("lang"):
                nested = True
                break
        if not nested:
            parts.append(child)
    return " ".join(" ".join(parts).split())


def proper_names():
    """Names are not a change of language (RGAA 8.7): the network's, the organisations', the
    communes', the directory entries' (places and actors are called by their name)."""
    from wagtail.models import Page

    from directory.models import Commune
    from members.models import Organisation

    names = {
        "Innover en Baronnies provençales",
        "Innover en Baronnies",
        "Baronnies provençales",
        "Parc naturel régional des Baronnies provençales",
    }
    names |= set(Organisation.objects.values_list("name", flat=True))
    names |= set(Commune.objects.values_list("name", flat=True))
    names |= set(
        Page.objects.filter(url_path__contains="/annuaire/", depth__gte=4).values_list(
            "title", flat=True
        )
    )
    from directory.models import ActorPage, PlacePage

    for model in (ActorPage, PlacePage):
        names |= {address for address in model.objects.values_list("address", flat=True) if address}
    return sorted((name for name in names if name), key=len, reverse=True)


def without_names(text, names):
    for name in names:
        text = text.replace(name, " ")
    text = re.sub(r"\b\d{5}\b", " ", text)  # postcodes of addresses
    return " ".join(text.split())


def unmarked_french(html, names=()):
    """[(text, confidence)] for French-looking texts outside any lang="fr" element."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    found = []
    for element in soup.find_all(TEXT_ELEMENTS):
        text = without_names(own_text(element), names)
        if len(re.findall(r"\w{2,}", text)) < MIN_WORDS:
            continue
        if element_language(element) == "fr":
            continue
        confidence = french_confidence(text)
        if confidence >= MIN_CONFIDENCE:
            found.append((text[:160], round(confidence, 2)))
    return found


def walk(client):
    """{url: [(text, confidence)]} for every English page with unmarked French."""
    problems = {}
    visited = 0
    names = proper_names()
    for path in english_urls(client):
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited += 1
        found = unmarked_french(response.content.decode(), names)
        if found:
            problems[path] = found
    return visited, problems
