"""``liuhen token``: create (prints only the token), list, revoke."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from liuhen.api.models import ApiToken
from liuhen.core.models import AuditEvent
from tests.fixtures.api import ApiClient, assert_error, station_named


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_a_usable_token_and_nothing_else(officer_wang) -> None:
    output = run("create", "officer_wang", "--name", "script")
    token = output.strip()
    assert output == token + "\n"
    assert ApiClient(token).get("/me").json()["username"] == "officer_wang"
    event = AuditEvent.objects.get(action="token.create")
    assert (event.actor_type, event.actor_name) == ("system", "liuhen token")
    assert ApiToken.objects.get().created_by is None


def test_create_device_token(db) -> None:
    station_named("DSJ-0100")
    token = run("create", "--device", "DSJ-0100").strip()
    me = ApiClient(token).get("/me").json()
    assert me == {
        **me,
        "kind": "device",
        "device_serial": "DSJ-0100",
        "token_name": "device DSJ-0100",
    }


def test_create_with_expiry(officer_wang) -> None:
    run("create", "officer_wang", "--expires-in-days", "30")
    assert ApiToken.objects.get().expires_at is not None


@pytest.mark.parametrize(
    "args",
    [
        ("create",),
        ("create", "officer_wang", "--device", "X"),
        ("create", "nobody"),
        ("create", "officer_wang", "--expires-in-days", "0"),
        ("revoke", "deadbeef"),
    ],
)
def test_bad_arguments_fail_with_a_message(officer_wang, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        run(*args)


def test_revoke_by_prefix_or_whole_token(officer_wang) -> None:
    first = run("create", "officer_wang").strip()
    second = run("create", "officer_wang").strip()
    prefix = first.split("_")[1]
    assert run("revoke", prefix).strip() == f"{prefix} revoked"
    assert "already revoked" in run("revoke", prefix)
    assert_error(ApiClient(first).get("/me"), 401, "invalid_token")
    run("revoke", second)  # the whole token works too
    assert_error(ApiClient(second).get("/me"), 401, "invalid_token")
    assert AuditEvent.objects.filter(action="token.revoke").count() == 2


def test_list_shows_prefixes_and_status_never_secrets(officer_wang) -> None:
    token = run("create", "officer_wang", "--name", "laptop").strip()
    station_named("DSJ-7")
    run("create", "--device", "DSJ-7")
    run("revoke", token.split("_")[1])
    listing = run("list")
    assert token.split("_")[1] in listing and token not in listing
    assert "officer_wang" in listing and "device:DSJ-7" in listing
    assert "revoked" in listing and "active" in listing
