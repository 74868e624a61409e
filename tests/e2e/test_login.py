"""Browser: login, lockout after repeated failures, 2FA enrolment for an admin."""

from __future__ import annotations

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from liuhen.accounts.models import User
from tests.e2e.helpers import current_code, login

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_success_shows_home_in_chinese(page: Page, officer_wang) -> None:
    login(page, "officer_wang")
    expect(page.get_by_test_id("current-user")).to_have_text("王明")
    assert page.url.endswith("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("logout")).to_have_text("退出登录")


def test_lockout_after_five_wrong_passwords(page: Page, officer_wang) -> None:
    page.goto("/accounts/login/")
    for attempt in range(5):
        page.fill("input[name=username]", "officer_wang")
        page.fill("input[name=password]", f"wrong-{attempt}")
        page.click("[data-testid=login-submit]")
        if attempt < 4:
            expect(page.get_by_test_id("form-error")).to_contain_text("用户名或密码错误")
    expect(page.get_by_test_id("form-error")).to_contain_text("已被锁定")
    # The right password is refused too while the account is locked.
    page.fill("input[name=username]", "officer_wang")
    page.fill("input[name=password]", "Liuhen-test-2026")
    page.click("[data-testid=login-submit]")
    expect(page.get_by_test_id("form-error")).to_contain_text("已被锁定")
    assert User.objects.get(username="officer_wang").is_locked()


def test_admin_enrols_second_factor_and_sees_admin_navigation(page: Page, secadmin_qian) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "secadmin_qian")
    page.fill("input[name=password]", "Liuhen-test-2026")
    page.click("[data-testid=login-submit]")
    page.wait_for_url("**/accounts/two-factor/setup/**")
    expect(page.get_by_test_id("otp-qr")).to_be_visible()
    # Nothing else is reachable before the second factor.
    page.goto("/accounts/security/")
    assert "/accounts/login/" in page.url
    page.goto("/accounts/two-factor/setup/")
    secret = page.get_by_test_id("otp-secret").get_attribute("data-secret")
    assert secret
    device = TOTPDevice.objects.get(user=secadmin_qian, confirmed=False)
    assert base64.b32encode(device.bin_key).decode() == secret  # the page shows this key
    page.fill("input[name=token]", current_code(device))
    page.click("[data-testid=otp-submit]")
    page.wait_for_url(lambda url: "two-factor" not in url)
    expect(page.locator("[data-nav=security]")).to_be_visible()
    expect(page.locator("[data-nav=users]")).to_be_visible()
    page.goto("/accounts/security/")
    expect(page.get_by_test_id("security-form")).to_be_visible()
    device.refresh_from_db()
    assert device.confirmed


def test_helper_logs_an_admin_in_with_a_code(page: Page, sysadmin_zhao) -> None:
    login(page, "sysadmin_zhao")
    expect(page.locator("[data-nav=units]")).to_be_visible()
    page.goto("/accounts/units/")
    expect(page.get_by_test_id("unit-table")).to_be_visible()
