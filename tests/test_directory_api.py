"""The read-only JSON API at /api/v1/: live entries only, filters, 4xx on bad input, OpenAPI."""

import pytest

pytestmark = pytest.mark.django_db


def slugs(response):
    return {item["slug"] for item in response.json()["results"]}


def test_openapi_document_is_served_at_the_promised_path(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert {
        "/api/v1/entries",
        "/api/v1/entries/{entry_id}",
        "/api/v1/communes",
        "/api/v1/vocabularies",
    } <= set(doc["paths"])
    assert "EntryOut" in doc["components"]["schemas"]


def test_list_serves_live_public_entries_only(client, entries):
    response = client.get("/api/v1/entries", {"page_size": 100, "q": "test"})
    assert response.status_code == 200
    found = slugs(response)
    assert {"test-asoft", "test-la-fabrique", "test-espace", "test-serres"} <= found
    assert "test-brouillon" not in found
    assert "test-privee" not in found


def test_list_never_exposes_drafts_even_without_query(client, entries):
    data = client.get("/api/v1/entries", {"page_size": 100}).json()
    assert data["count"] >= 4
    seen = set()
    for page in range(1, data["num_pages"] + 1):
        seen |= slugs(client.get("/api/v1/entries", {"page_size": 100, "page": page}))
    assert "test-brouillon" not in seen and "test-privee" not in seen


def test_entry_fields_and_place_point_falls_back_to_commune(client, entries):
    buis = entries["communes"]["buis"]
    data = client.get(f"/api/v1/entries/{entries['espace'].pk}").json()
    assert data["type"] == "place"
    assert data["commune"]["insee"] == "26063"
    assert data["point"] == {
        "latitude": buis.latitude,
        "longitude": buis.longitude,
        "precise": False,
    }
    assert data["parent"] == str(entries["asoft"].translation_key)
    assert data["services"][0]["slug"] == "internet-haut-debit"


def test_filters_are_the_directory_page_filters(client, entries):
    get = lambda **p: slugs(client.get("/api/v1/entries", {"page_size": 100, **p}))  # noqa: E731
    assert get(type="place", q="test") == {"test-la-fabrique", "test-espace"}
    assert "test-la-fabrique" in get(kind="recyclerie-ressourcerie")
    assert "test-asoft" not in get(kind="recyclerie-ressourcerie")
    assert get(theme="culture-numerique", q="test") == {"test-asoft"}
    # several themes or services: entries that have them all
    assert get(theme=["culture-numerique", "services-au-public"], q="test") == {"test-asoft"}
    assert get(service="internet-haut-debit", q="test") == {"test-espace"}
    assert get(service=["aide-numerique", "bureaux"], q="test") == {"test-la-fabrique"}
    assert get(service=["aide-numerique", "internet-haut-debit"], q="test") == set()
    assert get(commune="26063", q="test") == {"test-asoft", "test-espace"}
    assert get(department="05", q="test") == {"test-serres"}


def test_list_matches_the_directory_page_order(client, entries):
    from directory.filters import DirectoryQuery
    from directory.opendata import get_locale

    expected = [
        row.pk
        for row in DirectoryQuery.from_params(
            {"theme": "services-au-public"}, get_locale("fr")
        ).rows
    ]
    data = client.get("/api/v1/entries", {"theme": "services-au-public", "page_size": 100}).json()
    assert [item["id"] for item in data["results"]] == expected[:100]
    assert data["count"] == len(expected)


def test_text_search_finds_entry(client, entries):
    assert "test-la-fabrique" in slugs(client.get("/api/v1/entries", {"q": "recyclerie"}))


def test_draft_and_private_entries_are_404_by_id(client, entries):
    assert client.get(f"/api/v1/entries/{entries['draft'].pk}").status_code == 404
    assert client.get(f"/api/v1/entries/{entries['private'].pk}").status_code == 404
    assert client.get("/api/v1/entries/slug/test-brouillon").status_code == 404


def test_entry_by_slug(client, entries):
    response = client.get("/api/v1/entries/slug/test-asoft", {"lang": "fr"})
    assert response.status_code == 200
    assert response.json()["is_member"] is True


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "inconnu"},
        {"theme": "<script>alert(1)</script>"},
        {"commune": "' OR 1=1 --"},
        {"department": "99"},
        {"page": "-1"},
        {"page": "abc"},
        {"page_size": "1000"},
        {"sort": "distance"},
        {"near": "00000"},
        {"kind": ["a", "b"]},
        {"q": "x" * 10000},
        {"lang": "de"},
        {"type": "robot"},
    ],
)
def test_bad_parameters_get_a_400_with_a_message(client, entries, params):
    response = client.get("/api/v1/entries", params)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert "<script>" not in response.content.decode()


def test_bad_path_values_get_4xx(client):
    assert client.get("/api/v1/entries/abc").status_code in (400, 404)
    assert client.get("/api/v1/entries/0").status_code == 400
    assert client.get("/api/v1/entries/99999999999999").status_code == 400
    assert client.get("/api/v1/communes", {"department": "<b>"}).status_code == 400


def test_communes_and_vocabularies(client, entries):
    communes = client.get("/api/v1/communes", {"department": "05"}).json()
    assert any(c["insee"] == "05166" for c in communes)
    assert all(c["department"] == "05" for c in communes)
    vocab = client.get("/api/v1/vocabularies", {"lang": "fr"}).json()
    assert "coworking" in {k["slug"] for k in vocab["place_kinds"]}
    assert len(vocab["themes"]) == 4


def test_private_contribution_email_is_not_in_api(client, entries):
    from directory.models import Contribution

    Contribution.objects.create(
        page=entries["fabrique"], contributor_email="secret-person@example.org"
    )
    body = client.get("/api/v1/entries", {"page_size": 100, "q": "test"}).content.decode()
    assert "secret-person@example.org" not in body


def test_list_query_count_does_not_grow_with_page_size(
    client, entries, django_assert_max_num_queries
):
    from django.core.cache import cache

    client.get("/api/v1/entries", {"page_size": 1})  # warm the known-values cache
    with django_assert_max_num_queries(20):
        response = client.get("/api/v1/entries", {"page_size": 100})
    assert response.status_code == 200
    cache.clear()  # the worst case: nothing cached; still a fixed number of queries
    with django_assert_max_num_queries(25):
        response = client.get("/api/v1/entries", {"page_size": 100})
    assert response.status_code == 200


def test_a_malformed_entry_id_gets_a_400_that_the_schema_documents(client):
    """Regression (found by schemathesis): the 400 answered to a non-numeric id was missing from
    the OpenAPI document of /entries/{entry_id}, which listed 200 and 404 only."""
    response = client.get("/api/v1/entries/null,null")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Paramètre invalide.")
    document = client.get("/api/v1/openapi.json").json()
    responses = document["paths"]["/api/v1/entries/{entry_id}"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(responses)
