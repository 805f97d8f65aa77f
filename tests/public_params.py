"""Every query parameter of the public pages, for the property-based tests.

path -> {parameter: hypothesis strategy}. When your app adds a public page with query parameters
(directory filters, news/agenda filters and pages, a map's bounding box…), add an entry here:
tests/test_bad_input.py sends generated values to each parameter, alone and with the others.
A strategy may generate a list: the parameter is then repeated (``?theme=a&theme=b``).
"""

from hypothesis import strategies as st

ANY_TEXT = st.text(max_size=300)
NUMBER_LIKE = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", "0", "-1", "1e9", "NaN", "inf", "1.5", "0x10", "١٢", "last", "9" * 400]),
    st.text(max_size=30),
)
SEARCH_WORDS = st.one_of(
    ANY_TEXT,
    st.sampled_from(['"', "'", "*", "NOT", "OR", "AND", "NEAR(a b)", "a:b", "^x", "(", ")", "-x"]),
    st.lists(st.sampled_from(["réseau", "NOT", "OR", "*", '"', "-", "'", "tiers-lieux"])).map(
        " ".join
    ),
)


def known_or_any(*known):
    """A value the demo content knows (so the filter really runs), or anything."""
    return st.one_of(st.sampled_from(known), ANY_TEXT)


def repeated(strategy):
    """One value, or the parameter repeated (several themes, several services)."""
    return st.one_of(strategy, st.lists(strategy, max_size=12))


DEGREES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["44.35", "5.13", "-91", "181", "1e308", "44,35", "", "nan"]),
    NUMBER_LIKE,
)
INSEE = known_or_any("26063", "26220", "05070", "04209", "00000", "2A004", "99999")
# The directory's parameters (docstring of directory/filters.py): the page, its map embed and
# the exports read them all.
DIRECTORY = {
    "q": SEARCH_WORDS,
    "type": known_or_any("actor", "place", "acteur", "lieu"),
    "kind": known_or_any("coworking", "fab-lab", "association", "mediation-numerique"),
    "theme": repeated(known_or_any("culture-numerique", "pratiques-collaboratives")),
    "service": repeated(known_or_any("bureaux", "impression-3d", "reparation")),
    "commune": INSEE,
    "department": known_or_any("26", "05", "04", "84", "2A", "00"),
    "sort": known_or_any("relevance", "name", "updated", "distance"),
    "near": INSEE,
    "lat": DEGREES,
    "lon": DEGREES,
}
DIRECTORY_PAGE = {**DIRECTORY, "page": NUMBER_LIKE}
# News and agenda listings: ?theme= and ?organisation= (news/filters.py), the agenda's ?periode=.
LISTING = {
    "page": NUMBER_LIKE,
    "theme": known_or_any("culture-numerique", "services-au-public"),
    "organisation": known_or_any("asoft", "la-cigale-de-nyons", "parc"),
}
API_LANG = known_or_any("fr", "en", "de")

QUERY_PARAMETERS = {
    "/recherche/": {"q": SEARCH_WORDS, "page": NUMBER_LIKE, "type": ANY_TEXT},
    "/en/recherche/": {"q": SEARCH_WORDS, "page": NUMBER_LIKE, "type": ANY_TEXT},
    "/recherche/suggestions/": {"q": SEARCH_WORDS},
    "/actualites/": LISTING,
    "/en/actualites/": LISTING,
    "/agenda/": {**LISTING, "periode": known_or_any("a-venir", "passes", "past")},
    "/dossiers/": {"page": NUMBER_LIKE},
    "/annuaire/": DIRECTORY_PAGE,
    "/en/annuaire/": DIRECTORY_PAGE,
    "/annuaire/carte/": DIRECTORY,
    "/annuaire/export.geojson": DIRECTORY,
    "/annuaire/export.csv": DIRECTORY,
    "/annuaire/export-mediation-numerique.csv": DIRECTORY,
    "/en/annuaire/export.geojson": DIRECTORY,
    "/annuaire/proposer/": {"merci": ANY_TEXT},
    # The JSON API (directory/api.py): bad values get a 400, never a 500.
    "/api/v1/entries": {
        "lang": API_LANG,
        **{name: DIRECTORY[name] for name in DIRECTORY if name not in ("lat", "lon")},
        "page": NUMBER_LIKE,
        "page_size": NUMBER_LIKE,
    },
    "/api/v1/entries/slug/asoft": {"lang": API_LANG},
    "/api/v1/communes": {"department": known_or_any("26", "05", "2A", "123", "x")},
    "/api/v1/vocabularies": {"lang": API_LANG},
}

# Paths generated under these prefixes must answer 200/301/302/404, never 500.
PATH_PREFIXES = ["/", "/en/", "/annuaire/", "/recherche/", "/documents/"]
