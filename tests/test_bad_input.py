"""Property-based tests: generated values for every public query parameter and path, no 500.

The parameters are listed in tests/public_params.py. Example counts are bounded to keep the suite
fast; the number of inputs tried is printed at the end of the run (tests/conftest.py hook).
"""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.public_params import PATH_PREFIXES, QUERY_PARAMETERS

EXAMPLES_PER_PARAMETER = 50
TRIED = {"inputs": 0}

hypothesis_settings = settings(
    max_examples=EXAMPLES_PER_PARAMETER,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CASES = [(path, name) for path, params in QUERY_PARAMETERS.items() for name in params]


def assert_no_server_error(response, what):
    TRIED["inputs"] += 1
    assert response.status_code < 500, f"{response.status_code} for {what}"


@pytest.mark.django_db
@pytest.mark.parametrize("path,name", CASES, ids=[f"{p} {n}" for p, n in CASES])
def test_no_generated_query_value_causes_a_server_error(path, name):
    client = Client(raise_request_exception=False)

    @hypothesis_settings
    @given(value=QUERY_PARAMETERS[path][name])
    def check(value):
        response = client.get(path, {name: value})
        assert_no_server_error(response, f"{path}?{name}={value!r}")

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("path", list(QUERY_PARAMETERS))
def test_no_combination_of_generated_query_values_causes_a_server_error(path):
    client = Client(raise_request_exception=False)
    params = QUERY_PARAMETERS[path]

    @hypothesis_settings
    @given(values=st.fixed_dictionaries(params))
    def check(values):
        response = client.get(path, values)
        assert_no_server_error(response, f"{path}?{values!r}")

    check()


SEGMENT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#"),
    min_size=1,
    max_size=40,
)


@pytest.mark.django_db
def test_no_generated_path_causes_a_server_error():
    client = Client(raise_request_exception=False)

    @hypothesis_settings
    @given(
        prefix=st.sampled_from(PATH_PREFIXES), segments=st.lists(SEGMENT, min_size=1, max_size=3)
    )
    def check(prefix, segments):
        from urllib.parse import quote

        path = prefix + "/".join(quote(s, safe="") for s in segments) + "/"
        response = client.get(path)
        assert_no_server_error(response, path)
        assert response.status_code in {200, 301, 302, 400, 404}, (path, response.status_code)

    check()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/%00/", "/annuaire/%00/", "/en/a%00b/", "/documents/%00/"])
def test_a_nul_character_in_the_path_gets_a_clear_400(url):
    """Found by the generated paths on PostgreSQL, which refuses NUL in a text parameter."""
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête invalide" in html and "Revenir à l’accueil" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/annuaire/?q=a%00b",
        "/recherche/?q=%00",
        "/actualites/?theme%00=x",
        "/annuaire/carte.json?commune=%00",
    ],
)
def test_a_nul_character_in_a_query_value_is_handled_by_the_page(url):
    assert Client(raise_request_exception=False).get(url).status_code == 200
