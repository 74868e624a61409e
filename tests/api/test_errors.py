"""Every error has one JSON shape and the right status."""

from __future__ import annotations

import pytest
from django.test import Client

from liuhen.core import access
from liuhen.core.models import AuditEvent
from tests.fixtures.api import API, ApiClient, assert_error, bearer, token_for


def test_no_token_is_401_json_with_bearer_challenge(db) -> None:
    response = Client().get(f"{API}/me")
    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == "Bearer"


def test_no_token_writes_no_audit_event(db) -> None:
    before = AuditEvent.objects.count()
    Client().get(f"{API}/cases")
    assert AuditEvent.objects.count() == before


def test_session_login_is_not_api_authentication(client, officer_wang) -> None:
    client.force_login(officer_wang)
    assert_error(client.get(f"{API}/me"), 401, "unauthenticated")


def test_other_auth_scheme_is_401(db) -> None:
    response = Client().get(f"{API}/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_error(response, 401, "unauthenticated")


def test_unknown_token_is_401_invalid_token_and_audited(db) -> None:
    bogus = "lh_0123abcd_" + "x" * 43
    response = Client().get(f"{API}/me", headers=bearer(bogus))
    assert_error(response, 401, "invalid_token")
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    event = AuditEvent.objects.get(action="api.auth_failed")
    assert event.outcome == "denied"
    assert event.details == {"prefix": "0123abcd", "reason": "unknown"}
    assert bogus not in str(event.details)


def test_unknown_endpoint_is_json_404(db) -> None:
    assert_error(Client().get(f"{API}/no-such-thing"), 404, "not_found")
    assert_error(Client().get("/api/v2/me"), 404, "not_found")


def test_validation_error_is_422_with_details(officer_wang) -> None:
    response = ApiClient(token_for(officer_wang)).get("/cases?limit=0")
    error = assert_error(response, 422, "validation_error")
    assert error["details"][0]["loc"] == ["query", "limit"]


def test_malformed_body_is_422(officer_wang) -> None:
    response = ApiClient(token_for(officer_wang)).post("/tokens", {"name": ""})
    assert_error(response, 422, "validation_error")


def test_denied_is_403_and_audited(sysadmin_zhao) -> None:
    response = ApiClient(token_for(sysadmin_zhao)).get("/audit/tree-head")
    error = assert_error(response, 403, "forbidden")
    assert error["details"] == {"action": "audit.view"}
    event = AuditEvent.objects.filter(action="audit.view").latest("seq")
    assert event.outcome == "denied"
    assert event.actor_name == "sysadmin_zhao"


def test_our_failure_is_500_json_with_incident_id(officer_wang, monkeypatch, caplog) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    api = ApiClient(token_for(officer_wang))
    monkeypatch.setattr(access, "visible", broken)
    with caplog.at_level("ERROR", logger="liuhen.incident"):
        response = api.get("/units")
    error = assert_error(response, 500, "server_error")
    incident = error["details"]["incident_id"]
    assert incident and incident in error["message"]
    assert "disk on fire" not in response.content.decode()
    assert any(incident in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Authentication required"), ("zh-hans", "需要身份认证")],
)
def test_messages_follow_the_request_language(db, language: str, expected: str) -> None:
    response = Client().get(f"{API}/me", headers={"Accept-Language": language})
    assert expected in response.json()["error"]["message"]


def test_language_cookie_wins_over_accept_language(db) -> None:
    client = Client()
    client.cookies["liuhen_language"] = "zh-hans"
    response = client.get(f"{API}/me", headers={"Accept-Language": "en"})
    assert "需要身份认证" in response.json()["error"]["message"]
    assert response["Content-Language"] == "zh-hans"


def test_default_language_is_chinese(db) -> None:
    response = Client().get(f"{API}/no-such-thing")
    assert response.json()["error"]["message"] == "不存在此 API 接口。"


def test_wrong_method_is_json_405(officer_wang) -> None:
    response = Client().delete(f"{API}/me", headers=bearer(token_for(officer_wang)))
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
