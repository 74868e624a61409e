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


def test_every_operation_lists_the_errors_any_request_can_meet(db) -> None:
    """R20.1: framing (400), size (413), validation (422) and a database away (503) can
    answer any operation before its own code runs; the document says so everywhere."""
    spec = Client().get(f"{API}/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert {"400", "413", "422", "503"} <= set(operation["responses"]), (method, path)
            assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }
