"""Every query parameter of the public pages, for the property-based tests.

path -> {parameter: hypothesis strategy}. When your app adds a public page with query parameters
(directory filters, news/agenda filters and pages, a map's bounding box…), add an entry here:
tests/test_bad_input.py sends generated values to each parameter, alone and with the others.
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

QUERY_PARAMETERS = {
    "/recherche/": {"q": SEARCH_WORDS, "page": NUMBER_LIKE},
    "/en/recherche/": {"q": SEARCH_WORDS, "page": NUMBER_LIKE},
    # Listing pages accept no parameter yet, but must not fail on any.
    "/actualites/": {"page": NUMBER_LIKE, "theme": ANY_TEXT},
    "/agenda/": {"page": NUMBER_LIKE},
    "/annuaire/": {"page": NUMBER_LIKE},
    "/dossiers/": {"page": NUMBER_LIKE},
}

# Paths generated under these prefixes must answer 200/301/302/404, never 500.
PATH_PREFIXES = ["/", "/en/", "/annuaire/", "/recherche/", "/documents/"]
