"""The login flow (R4.2; GB/T 22239-2019 8.1.4.1): lockout, audit, new session, 2FA."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.accounts.actions import accounts, security
from liuhen.accounts.models import User
from liuhen.core.models import AuditEvent, Outcome
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def post_login(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_login_succeeds_with_a_new_session_and_is_audited(client: Client, officer_wang):
    session = client.session  # an anonymous session exists before login
    session["seen"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = post_login(client, "officer_wang")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before
    event = events("auth.login")[-1]
    assert event.outcome == Outcome.OK and event.actor_id == str(officer_wang.pk)
    assert client.get("/accounts/me/").status_code == 200


def test_login_page_is_in_chinese(client: Client, db) -> None:
    html = client.get(LOGIN).content.decode()
    assert "登录" in html and "用户名" in html


def test_next_is_followed_only_within_the_site(client: Client, officer_wang) -> None:
    response = post_login(client, "officer_wang", next="/accounts/me/")
    assert response["Location"] == "/accounts/me/"
    client.post("/accounts/logout/")
    response = post_login(client, "officer_wang", next="https://evil.example/")
    assert response["Location"] == "/"


def test_wrong_password_is_refused_and_counted(client: Client, officer_wang) -> None:
    response = post_login(client, "officer_wang", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    officer_wang.refresh_from_db()
    assert officer_wang.failed_logins == 1
    event = events("auth.login")[-1]
    assert event.outcome == Outcome.FAILED
    assert event.details == {"username": "officer_wang", "reason": "bad_password", "failures": 1}


def test_unknown_user_failure_is_audited_as_anonymous(client: Client, db) -> None:
    post_login(client, "nobody_here", "whatever-1A")
    event = events("auth.login")[-1]
    assert event.outcome == Outcome.FAILED and event.actor_type == "anonymous"
    assert event.details == {"username": "nobody_here", "reason": "unknown_user"}


def test_lockout_after_five_failures_then_unlock_after_the_period(
    client: Client, officer_wang, clock
) -> None:
    for _ in range(4):
        post_login(client, "officer_wang", "wrong-password")
    assert not User.objects.get(pk=officer_wang.pk).is_locked()
    response = post_login(client, "officer_wang", "wrong-password")
    assert "已被锁定" in response.content.decode()
    officer_wang.refresh_from_db()
    assert officer_wang.is_locked()
    lockout = events("auth.lockout")
    assert len(lockout) == 1 and lockout[0].details["failures"] == 5

    # The right password does not help while locked.
    response = post_login(client, "officer_wang")
    assert response.status_code == 200 and "已被锁定" in response.content.decode()
    denied = events("auth.login")[-1]
    assert denied.outcome == Outcome.DENIED and denied.details["reason"] == "locked"
    assert client.get("/accounts/me/").status_code == 302

    clock.advance(15 * 60 - 1)
    assert "已被锁定" in post_login(client, "officer_wang").content.decode()
    clock.advance(2)
    response = post_login(client, "officer_wang")
    assert response.status_code == 302
    officer_wang.refresh_from_db()
    assert officer_wang.failed_logins == 0 and officer_wang.locked_until is None


def test_success_resets_the_counter(client: Client, officer_wang) -> None:
    for _ in range(4):
        post_login(client, "officer_wang", "wrong-password")
    post_login(client, "officer_wang")
    client.post("/accounts/logout/")
    for _ in range(4):
        post_login(client, "officer_wang", "wrong-password")
    assert not User.objects.get(pk=officer_wang.pk).is_locked()


def test_lockout_limit_comes_from_security_settings(client: Client, secadmin_qian, officer_wang):
    security.update_security_settings(secadmin_qian, login_max_failures=2, lockout_seconds=60)
    post_login(client, "officer_wang", "wrong-password")
    post_login(client, "officer_wang", "wrong-password")
    officer_wang.refresh_from_db()
    assert officer_wang.is_locked()
    assert (officer_wang.locked_until - events("auth.lockout")[-1].time).total_seconds() <= 61


def _form_error(response) -> str:
    html = response.content.decode()
    match = re.search(r'data-testid="form-error"[^>]*>(.*?)</div>', html, re.S)
    assert match, html
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def test_the_lockout_answer_does_not_tell_whether_the_account_exists(
    client: Client, officer_wang
) -> None:
    """R4.2: an unknown name is counted and locked like a real one, with the same words."""
    answers = {}
    for name in ("officer_wang", "nobody_here"):
        wrong = [_form_error(post_login(client, name, "wrong-password")) for _ in range(5)]
        assert wrong[:4] == ["用户名或密码错误。"] * 4, wrong
        answers[name] = (wrong[4], _form_error(post_login(client, name, "wrong-password")))
    assert "已被锁定" in answers["officer_wang"][0]
    assert answers["officer_wang"] == answers["nobody_here"]
    lockouts = [event.details["username"] for event in events("auth.lockout")]
    assert lockouts == ["officer_wang", "nobody_here"]


def test_a_stranger_locks_only_their_own_address_not_the_administrator(
    secadmin_qian, sysadmin_zhao
) -> None:
    """R4.2: the lock is per account and address: whoever types the security
    administrator's name wrongly five times elsewhere does not keep them out."""
    stranger = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        post_login(stranger, "secadmin_qian", "wrong-password")
    assert "已被锁定" in _form_error(post_login(stranger, "secadmin_qian"))
    secadmin_qian.refresh_from_db()
    assert secadmin_qian.is_locked()  # the administrators see the lock on the account

    own_desk = Client(REMOTE_ADDR="10.1.1.5")
    response = post_login(own_desk, "secadmin_qian")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    # Still locked where the failures came from, until the system admin unlocks it.
    assert "已被锁定" in _form_error(post_login(stranger, "secadmin_qian"))
    accounts.unlock_user(sysadmin_zhao, secadmin_qian)
    assert post_login(stranger, "secadmin_qian").status_code == 302


def test_disabled_account_cannot_log_in(client: Client, sysadmin_zhao, officer_wang) -> None:
    accounts.disable_user(sysadmin_zhao, officer_wang)
    response = post_login(client, "officer_wang")
    assert response.status_code == 200 and "已停用" in response.content.decode()
    assert events("auth.login")[-1].details["reason"] == "disabled"


def test_logout_is_audited_and_ends_the_session(client: Client, officer_wang) -> None:
    post_login(client, "officer_wang")
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert events("auth.logout")[-1].actor_id == str(officer_wang.pk)
    assert client.get("/accounts/me/").status_code == 302
    assert "您已退出登录" in client.get(LOGIN).content.decode()


def test_logout_needs_post(client: Client, officer_wang) -> None:
    client.force_login(officer_wang)
    assert client.get("/accounts/logout/").status_code == 405


# --- second factor ------------------------------------------------------------------------


def test_admin_without_device_must_enrol_before_anything(client: Client, sysadmin_zhao) -> None:
    response = post_login(client, "sysadmin_zhao")
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    # The password alone did not sign the session in.
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/users/").status_code == 302
    assert client.get("/").status_code in (302, 200)  # home is the lead's; not signed in
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200 and b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=sysadmin_zhao, confirmed=False)
    assert device.key  # the page shows the key of this device
    assert client.post("/accounts/two-factor/setup/", {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post("/accounts/two-factor/setup/", {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert events("auth.otp_enrolled")[-1].actor_id == str(sysadmin_zhao.pk)
    assert events("auth.login")[-1].details == {"two_factor": True}
    assert client.get("/accounts/users/").status_code == 200


def test_admin_with_device_gives_a_code(client: Client, secadmin_qian) -> None:
    device = TOTPDevice.objects.create(user=secadmin_qian, name="phone", confirmed=True)
    response = post_login(client, "secadmin_qian")
    assert response["Location"].startswith("/accounts/login/verify/")
    assert client.get("/accounts/security/").status_code == 302
    response = client.post("/accounts/login/verify/", {"token": "123456"})
    assert response.status_code == 200 and "验证码错误" in response.content.decode()
    assert events("auth.otp")[-1].outcome == Outcome.FAILED
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    response = client.post("/accounts/login/verify/", {"token": code_for(device)})
    assert response.status_code == 302
    assert events("auth.otp")[-1].outcome == Outcome.OK
    assert client.get("/accounts/security/").status_code == 200


def test_wrong_codes_count_towards_lockout(client: Client, secadmin_qian) -> None:
    TOTPDevice.objects.create(user=secadmin_qian, name="phone", confirmed=True)
    post_login(client, "secadmin_qian")
    for _ in range(5):
        client.post("/accounts/login/verify/", {"token": "000000"})
    secadmin_qian.refresh_from_db()
    assert secadmin_qian.is_locked()


def test_signed_in_admin_without_verification_is_sent_to_otp(client: Client, auditor_chen):
    TOTPDevice.objects.create(user=auditor_chen, name="phone", confirmed=True)
    client.force_login(auditor_chen)
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith(
        "/accounts/login/verify/"
    )
    htmx = client.get("/accounts/me/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith("/accounts/login/verify/")


def test_officer_without_device_needs_no_code(client: Client, officer_wang) -> None:
    assert post_login(client, "officer_wang")["Location"] == "/"


def test_officer_enrols_from_profile_then_needs_the_code(client: Client, officer_wang):
    client.force_login(officer_wang)
    assert "双因素认证未开启" in client.get("/accounts/me/").content.decode()
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=officer_wang)
    response = client.post("/accounts/two-factor/setup/", {"token": code_for(device)})
    assert response.status_code == 302
    assert "双因素认证已开启" in client.get("/accounts/me/").content.decode()
    client.post("/accounts/logout/")
    assert post_login(client, "officer_wang")["Location"].startswith("/accounts/login/verify/")


def test_two_factor_for_everyone_when_switched_on(client: Client, secadmin_qian, officer_wang):
    security.update_security_settings(secadmin_qian, require_2fa_for_all=True)
    assert post_login(client, "officer_wang")["Location"].startswith("/accounts/two-factor/")


def test_otp_page_without_pending_login_goes_back_to_login(client: Client, db) -> None:
    response = client.get("/accounts/login/verify/")
    assert response.status_code == 302 and response["Location"] == LOGIN
