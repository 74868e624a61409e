"""Tokens: shown once, stored hashed, revocable at once, audited; user and device tokens."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from liuhen.accounts.actions import accounts
from liuhen.api import actions
from liuhen.api.models import ApiToken
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from tests.factories import SYSTEM, denial
from tests.fixtures.api import (
    API,
    ApiClient,
    assert_error,
    bearer,
    device_token,
    station_named,
    token_for,
)

# Declared for the whole module: tests that reach the database only through
# ``request.getfixturevalue`` are otherwise run last, after the transactional ones, and
# leave a PostgreSQL session open at teardown.
pytestmark = pytest.mark.django_db


def test_user_token_authenticates_as_the_user(officer_wang) -> None:
    response = ApiClient(token_for(officer_wang, "tablet")).get("/me")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "user",
        "username": "officer_wang",
        "full_name": "王明",
        "roles": ["officer"],
        "unit": {
            "id": officer_wang.unit_id,
            "name": "种植业执法科",
            "code": officer_wang.unit.code,
            "active": True,
        },
        "device_serial": None,
        "token_name": "tablet",
    }


def test_device_token_authenticates_as_a_device_and_is_audited_as_one(db) -> None:
    api = ApiClient(device_token("DSJ-0042"))
    me = api.get("/me").json()
    assert me["kind"] == "device" and me["device_serial"] == "DSJ-0042"
    assert me["username"] is None
    # A device reads no cases and no audit log; its denial is logged under its serial.
    assert api.get("/cases").json()["count"] == 0
    assert_error(api.get("/audit/tree-head"), 403, "forbidden")
    event = AuditEvent.objects.filter(action="audit.view").latest("seq")
    assert (event.actor_type, event.actor_id, event.outcome) == ("device", "DSJ-0042", "denied")


def test_token_is_shown_once_and_stored_only_as_a_hash(officer_wang) -> None:
    api = ApiClient(token_for(officer_wang))
    created = api.post("/tokens", {"name": "second tablet"})
    assert created.status_code == 201
    plaintext = created.json()["token"]
    assert plaintext.startswith(f"lh_{created.json()['prefix']}_")
    listed = api.get("/tokens").json()
    assert listed["count"] == 2
    assert all("token" not in item for item in listed["items"])
    row = ApiToken.objects.get(prefix=created.json()["prefix"])
    assert row.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    secret = plaintext.rsplit("_", 1)[1]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apitoken")
        assert secret not in str(cursor.fetchall())
    event = AuditEvent.objects.filter(action="token.create").latest("seq")
    assert event.details["prefix"] == row.prefix
    assert secret not in str(event.details)
    # The new token works.
    assert ApiClient(plaintext).get("/me").status_code == 200


def test_revoked_token_stops_working_at_once(officer_wang) -> None:
    token = token_for(officer_wang)
    api = ApiClient(token)
    assert api.get("/me").status_code == 200
    row = ApiToken.objects.get(user=officer_wang)
    response = api.post(f"/tokens/{row.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert_error(api.get("/me"), 401, "invalid_token")
    failed = AuditEvent.objects.filter(action="api.auth_failed").latest("seq")
    assert failed.details == {"prefix": row.prefix, "reason": "revoked"}
    revoked = AuditEvent.objects.get(action="token.revoke")
    assert revoked.actor_name == "officer_wang" and revoked.object_id == str(row.pk)


def test_revoking_twice_records_one_event(officer_wang) -> None:
    token = actions.create_token(officer_wang, user=officer_wang, name="t").token
    actions.revoke_token(officer_wang, token)
    actions.revoke_token(officer_wang, token)
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


def test_expired_token_is_refused(officer_wang) -> None:
    token = token_for(officer_wang)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(ApiClient(token).get("/me"), 401, "invalid_token")
    assert AuditEvent.objects.filter(action="api.auth_failed").latest("seq").details["reason"] == (
        "expired"
    )


def test_token_of_a_disabled_account_is_refused(officer_wang) -> None:
    api = ApiClient(token_for(officer_wang))
    officer_wang.is_active = False
    officer_wang.save()
    assert_error(api.get("/me"), 401, "invalid_token")


def test_enabling_a_disabled_account_again_brings_none_of_its_tokens_back(
    sysadmin_zhao, officer_wang
) -> None:
    """R4.2: disabling revokes the account's tokens for good; a new one works."""
    api = ApiClient(token_for(officer_wang))
    assert api.get("/me").status_code == 200
    accounts.disable_user(sysadmin_zhao, officer_wang)
    assert ApiToken.objects.get(user=officer_wang).revoked_at is not None
    assert AuditEvent.objects.get(action="account.disable").details["api_tokens_revoked"] == 1
    accounts.enable_user(sysadmin_zhao, officer_wang)
    assert_error(api.get("/me"), 401, "invalid_token")
    failed = AuditEvent.objects.filter(action="api.auth_failed").latest("seq")
    assert failed.details["reason"] == "revoked"
    assert ApiClient(token_for(officer_wang, "new")).get("/me").status_code == 200


def test_an_account_disabled_some_other_way_is_enabled_without_its_old_tokens(
    sysadmin_zhao, officer_wang
) -> None:
    api = ApiClient(token_for(officer_wang))
    officer_wang.is_active = False
    officer_wang.save()
    accounts.enable_user(sysadmin_zhao, officer_wang)
    assert_error(api.get("/me"), 401, "invalid_token")
    assert AuditEvent.objects.get(action="account.enable").details == {"api_tokens_revoked": 1}


def test_use_is_noted_in_last_used_at(officer_wang) -> None:
    ApiClient(token_for(officer_wang)).get("/me")
    assert ApiToken.objects.get(user=officer_wang).last_used_at is not None


def test_session_does_not_override_the_token(client, officer_wang, officer_li) -> None:
    client.force_login(officer_li)
    response = client.get(f"{API}/me", headers=bearer(token_for(officer_wang)))
    assert response.json()["username"] == "officer_wang"


# --- access rules: token.manage_own and token.manage, allowed and denied ------------


def test_manage_own_allows_a_token_for_oneself(officer_wang) -> None:
    issued = actions.create_token(officer_wang, user=officer_wang, name="own")
    assert issued.token.user == officer_wang
    assert issued.token.created_by == officer_wang


@pytest.mark.parametrize("maker", ["officer_li", "sysadmin_zhao", "secadmin_qian"])
def test_nobody_mints_a_token_for_someone_else(request, officer_wang, maker: str) -> None:
    # 三员: a system admin with an officer's token could read case data.
    actor = request.getfixturevalue(maker)
    with pytest.raises(AccessDenied):
        actions.create_token(actor, user=officer_wang, name="stolen")
    assert not ApiToken.objects.exists()
    denied = AuditEvent.objects.filter(action="token.manage_own").latest("seq")
    assert denied.outcome == "denied" and denied.actor_name == maker


def test_manage_allows_the_system_admin_to_issue_a_device_token(sysadmin_zhao) -> None:
    station_named("DSJ-0007")
    response = ApiClient(token_for(sysadmin_zhao)).post(
        "/tokens", {"name": "执法记录仪 7", "device_serial": "DSJ-0007"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["device_serial"] == "DSJ-0007" and body["owner"] is None
    assert ApiClient(body["token"]).get("/me").json()["device_serial"] == "DSJ-0007"


@pytest.mark.parametrize("maker", ["officer_wang", "secadmin_qian", "auditor_chen"])
def test_manage_denies_device_tokens_to_others(request, maker: str) -> None:
    api = ApiClient(token_for(request.getfixturevalue(maker)))
    response = api.post("/tokens", {"name": "rogue", "device_serial": "DSJ-9"})
    assert_error(response, 403, "forbidden")
    assert not ApiToken.objects.filter(device_serial="DSJ-9").exists()


def test_a_device_cannot_make_tokens(db) -> None:
    response = ApiClient(device_token()).post("/tokens", {"name": "more"})
    assert_error(response, 403, "forbidden")


def test_nobody_revokes_another_users_token(officer_wang, officer_li) -> None:
    token = actions.create_token(officer_wang, user=officer_wang, name="t").token
    # Over the API the token is invisible to officer_li: 404, not 403, and audited.
    assert_error(
        ApiClient(token_for(officer_li)).post(f"/tokens/{token.pk}/revoke"), 404, "not_found"
    )
    assert denial("token.revoke", object_id=str(token.pk)).actor_name == "officer_li"
    with pytest.raises(AccessDenied):
        actions.revoke_token(officer_li, token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_system_admin_revokes_any_token(officer_wang, sysadmin_zhao) -> None:
    token = actions.create_token(officer_wang, user=officer_wang, name="t").token
    api = ApiClient(token_for(sysadmin_zhao))
    assert api.get("/tokens").json()["count"] == 2
    assert api.post(f"/tokens/{token.pk}/revoke").status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_list_shows_only_ones_own(officer_wang, officer_li) -> None:
    token_for(officer_li)
    listed = ApiClient(token_for(officer_wang)).get("/tokens").json()
    assert listed["count"] == 1
    assert [item["owner"] for item in listed["items"]] == ["officer_wang"]


def test_create_validates(officer_wang) -> None:
    system = SYSTEM
    with pytest.raises(actions.ValidationError):
        actions.create_token(system, user=officer_wang, device_serial="X", name="both")
    with pytest.raises(actions.ValidationError):
        actions.create_token(system, user=officer_wang, name="  ")
    with pytest.raises(actions.ValidationError):
        actions.create_token(
            system, user=officer_wang, name="old", expires_at=timezone.now() - dt.timedelta(days=1)
        )
    api = ApiClient(token_for(officer_wang))
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    error = assert_error(
        api.post("/tokens", {"name": "x", "expires_at": past}), 422, "validation_error"
    )
    assert error["message"]


def test_anonymous_client_cannot_use_token_endpoints(db) -> None:
    assert_error(
        Client().post(f"{API}/tokens", {"name": "x"}, content_type="application/json"),
        401,
        "unauthenticated",
    )


def test_api_posts_need_no_csrf_token(officer_wang) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{API}/tokens",
        {"name": "csrf-free"},
        content_type="application/json",
        headers=bearer(token_for(officer_wang)),
    )
    assert response.status_code == 201
