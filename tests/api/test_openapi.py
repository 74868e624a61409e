from __future__ import annotations

from django.test import Client
from openapi_spec_validator import validate

from tests.fixtures.api import API, assert_error


def test_openapi_document_is_valid_openapi_3(db) -> None:
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    for path in ("/me", "/units", "/cases", "/cases/{case_id}", "/tokens", "/audit/tree-head"):
        assert f"{API}{path}" in spec["paths"], path
    schemes = spec["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    # Errors are documented with the uniform shape.
    responses = spec["paths"][f"{API}/cases/{{case_id}}"]["get"]["responses"]
    assert responses["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }


def test_paginated_lists_document_count_limit_offset(db) -> None:
    spec = Client().get(f"{API}/openapi.json").json()
    paged = spec["components"]["schemas"]["PagedCaseOut"]
    assert set(paged["properties"]) == {"items", "count", "limit", "offset"}


def test_docs_page_is_off_because_it_needs_a_cdn(db) -> None:
    assert_error(Client().get(f"{API}/docs"), 404, "not_found")
