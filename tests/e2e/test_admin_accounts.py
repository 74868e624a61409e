"""Browser test: the system admin creates an account; its owner must change the password."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from liuhen.accounts.models import User
from liuhen.core.models import AuditEvent
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_PASSWORD = "Dawa-first-2026"
OWN_PASSWORD = "Dawa-own-2026!"


def test_new_account_then_first_login_changes_the_password(
    browser, live_server, sysadmin_zhao, unit_a
) -> None:
    admin = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page: Page = admin.new_page()
    login(page, sysadmin_zhao.username)
    page.goto("/accounts/users/new/")
    form = page.get_by_test_id("user-form")
    form.locator("input[name=username]").fill("xinren")
    form.locator("input[name=full_name]").fill("新人")
    form.locator("select[name=unit]").select_option(label=unit_a.name)
    form.locator("input[name=new_password1]").fill(FIRST_PASSWORD)
    form.locator("input[name=new_password2]").fill(FIRST_PASSWORD)
    page.get_by_test_id("user-save").click()
    expect(page.locator("h1")).to_contain_text("新人")
    assert AuditEvent.objects.filter(action="account.create", actor_name="sysadmin_zhao").exists()
    admin.close()

    owner = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = owner.new_page()
    login(page, "xinren", FIRST_PASSWORD)
    expect(page.get_by_test_id("password-reason")).to_be_visible()
    form = page.get_by_test_id("password-form")
    form.locator("input[name=old_password]").fill(FIRST_PASSWORD)
    form.locator("input[name=new_password1]").fill(OWN_PASSWORD)
    form.locator("input[name=new_password2]").fill(OWN_PASSWORD)
    page.get_by_test_id("password-submit").click()
    expect(page.locator("h1")).to_contain_text("您好，新人")
    assert User.objects.get(username="xinren").check_password(OWN_PASSWORD)
    owner.close()
