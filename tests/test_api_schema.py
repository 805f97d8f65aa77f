"""schemathesis against the directory's JSON API (/api/v1/openapi.json, directory/api.py).

The OpenAPI document is the app's own: the one its /api/v1/openapi.json view serves (built by the
same call, checked equal below; read at import because schemathesis' lazy fixture loader does not
work with pytest 9). schemathesis sends generated requests to every operation through Django's
WSGI handler, in the test's transaction (the demo content is there).
Each response must not be a server error and must conform to the OpenAPI document: status code,
content type, headers and body schema; requests that break the schema must be refused (4xx). Examples are bounded (MAX_EXAMPLES per operation); the
closing lines of pytest say how many were sent.
"""

import json
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from directory.api import api as directory_api
from tests.report import REPORT

MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    # Requests that break the schema (generated in negative mode) must get a 4xx.
    negative_data_rejection,
]
# Not positive_data_acceptance: a well-formed slug or code that matches nothing (kind=x) gets a
# documented 400 with a message, on purpose (directory/api.py), where that check expects a 2xx.
SENT = Counter()


@pytest.fixture
def wsgi_app(db):
    """Django's WSGI handler, kept off the connection-closing signals (as Django's test client
    does) so that requests run inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def openapi_document():
    """What GET /api/v1/openapi.json answers (django-ninja's view makes this same call)."""
    return json.loads(json.dumps(directory_api.get_openapi_schema()))


schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = WSGIHandler()


@pytest.fixture
def api_schema(wsgi_app):
    return schema


@pytest.mark.django_db
def test_the_schema_under_test_is_the_one_the_api_serves(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == openapi_document()
    assert {"/api/v1/entries", "/api/v1/communes"} <= set(response.json()["paths"])


@pytest.fixture(scope="module", autouse=True)
def _report_examples():
    yield
    for operation, count in sorted(SENT.items()):
        REPORT.append(f"schemathesis {operation}: {count} generated requests checked")
    if SENT:
        REPORT.append(f"schemathesis: {sum(SENT.values())} generated requests to the API")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_every_generated_request_without_error_and_as_documented(case, wsgi_app):
    case.call_and_validate(checks=CHECKS)
    SENT[case.operation.label] += 1


# Generated values rarely hit real entries: these do, in both languages, with every filter.
REAL_QUERIES = [
    ("/entries", {}, {}),
    ("/entries", {}, {"lang": "en", "page_size": 100}),
    ("/entries", {}, {"type": "place", "department": "26", "sort": "distance", "near": "26220"}),
    ("/entries", {}, {"q": "numerique", "theme": ["culture-numerique"], "sort": "relevance"}),
    ("/entries", {}, {"service": ["bureaux"], "kind": "coworking", "page": 2, "page_size": 1}),
    ("/entries/slug/{slug}", {"slug": "asoft"}, {"lang": "fr"}),
    ("/entries/slug/{slug}", {"slug": "espace-numerique-buis"}, {"lang": "en"}),
    ("/communes", {}, {"department": "05"}),
    ("/vocabularies", {}, {"lang": "en"}),
]


@pytest.mark.parametrize("path,path_parameters,query", REAL_QUERIES)
def test_real_entries_and_filters_conform_to_the_schema(api_schema, path, path_parameters, query):
    operation = api_schema["/api/v1" + path]["GET"]
    case = operation.Case(path_parameters=path_parameters, query=query)
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == 200, response.text
    if path == "/entries" and not query.get("q") and not query.get("service"):
        assert response.json()["results"], f"no entry for {query}"


@pytest.mark.django_db
def test_every_entry_of_the_demo_conforms_to_the_schema_by_id(api_schema):
    from directory.api import _public_entries

    operation = api_schema["/api/v1/entries/{entry_id}"]["GET"]
    ids = list(_public_entries().values_list("pk", flat=True))
    assert len(ids) > 5
    for entry_id in ids:
        response = operation.Case(path_parameters={"entry_id": entry_id}).call_and_validate(
            checks=CHECKS
        )
        assert response.status_code == 200
