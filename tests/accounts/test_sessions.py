"""Session security (R4.2): idle timeout, absolute lifetime, password rotation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from liuhen.accounts.actions import accounts, security
from liuhen.core.models import AuditEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ME = "/accounts/me/"


def log_in(client: Client, username: str) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def expired_reasons() -> list[str]:
    return [e.details["reason"] for e in AuditEvent.objects.filter(action="session.expired")]


def test_idle_timeout_logs_out_with_a_message(client: Client, officer_wang, clock) -> None:
    log_in(client, "officer_wang")
    clock.advance(29 * 60)
    assert client.get(ME).status_code == 200  # activity restarts the idle clock
    clock.advance(29 * 60)
    assert client.get(ME).status_code == 200
    clock.advance(30 * 60 + 1)
    response = client.get(ME)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fme%2F"
    assert expired_reasons() == ["idle"]
    assert "由于长时间未操作" in client.get(response["Location"]).content.decode()
    assert client.get(ME).status_code == 302  # really logged out


def test_idle_timeout_from_settings(client: Client, secadmin_qian, officer_wang, clock) -> None:
    security.update_security_settings(secadmin_qian, session_idle_seconds=2)
    log_in(client, "officer_wang")
    clock.advance(1)
    assert client.get(ME).status_code == 200
    clock.advance(3)
    assert client.get(ME).status_code == 302


def test_htmx_requests_are_redirected_by_header(client: Client, officer_wang, clock) -> None:
    log_in(client, "officer_wang")
    clock.advance(31 * 60)
    response = client.get(ME, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"].startswith("/accounts/login/")


def test_absolute_lifetime(client: Client, secadmin_qian, officer_wang, clock) -> None:
    security.update_security_settings(secadmin_qian, session_max_age_seconds=3600)
    log_in(client, "officer_wang")
    for _ in range(3):
        clock.advance(20 * 60 - 10)
        assert client.get(ME).status_code == 200
    clock.advance(60)
    assert client.get(ME).status_code == 302
    assert expired_reasons() == ["max_age"]
    assert "已达到最长时限" in client.get("/accounts/login/").content.decode()


def test_api_paths_are_left_to_token_auth(client: Client, officer_wang, clock) -> None:
    log_in(client, "officer_wang")
    clock.advance(31 * 60)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code != 302
    assert expired_reasons() == []


def test_rotation_sends_to_password_change(
    client: Client, secadmin_qian, officer_wang, clock
) -> None:
    security.update_security_settings(secadmin_qian, password_max_age_days=90)
    officer_wang.password_changed_at = clock.now - dt.timedelta(days=91)
    officer_wang.save()
    log_in(client, "officer_wang")
    response = client.get(ME)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")
    page = client.get("/accounts/password/")
    assert "您的密码已过期" in page.content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Rice-Paddy-2027",
            "new_password2": "Rice-Paddy-2027",
        },
    )
    assert response.status_code == 302
    assert client.get(ME).status_code == 200  # still signed in, no longer sent away


def test_rotation_off_by_default(client: Client, officer_wang, clock) -> None:
    officer_wang.password_changed_at = clock.now - dt.timedelta(days=3650)
    officer_wang.save()
    log_in(client, "officer_wang")
    assert client.get(ME).status_code == 200


def test_admin_chosen_password_must_be_changed(client: Client, sysadmin_zhao, officer_wang):
    accounts.set_password(sysadmin_zhao, officer_wang, "Temp-Pass-2026")
    response = client.post(
        "/accounts/login/", {"username": "officer_wang", "password": "Temp-Pass-2026"}
    )
    assert response.status_code == 302
    assert client.get(ME)["Location"].startswith("/accounts/password/")


def test_password_change_ends_other_sessions(client: Client, officer_wang) -> None:
    other = Client()
    log_in(client, "officer_wang")
    log_in(other, "officer_wang")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Rice-Paddy-2027",
            "new_password2": "Rice-Paddy-2027",
        },
    )
    assert response.status_code == 302
    assert client.get(ME).status_code == 200
    assert other.get(ME).status_code == 302


@pytest.mark.parametrize(
    ("new", "says"),
    [("12345678", "密码"), ("officer_wang1", "密码"), ("Aa1!", "密码")],
)
def test_a_refused_new_password_is_explained_not_a_server_error(
    client: Client, officer_wang, new: str, says: str
) -> None:
    # R4.2: the validators' refusals (too short, too common, like the user name, numeric)
    # come back on the form in Chinese.
    log_in(client, "officer_wang")
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page and says in page
    officer_wang.refresh_from_db()
    assert officer_wang.check_password(PASSWORD)
