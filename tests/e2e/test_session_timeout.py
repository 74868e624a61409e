"""Browser: the idle timeout sends a person back to the login page with a message."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from liuhen.accounts.models import SecuritySettings
from tests.e2e.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_idle_session_ends(page: Page, officer_wang) -> None:
    SecuritySettings.load()
    SecuritySettings.objects.update(session_idle_seconds=2)
    login(page, "officer_wang")
    expect(page.get_by_test_id("current-user")).to_be_visible()
    time.sleep(3)
    page.click("[data-nav=profile]")
    page.wait_for_url("**/accounts/login/**")
    assert "/accounts/login/" in page.url
    expect(page.get_by_test_id("notice")).to_contain_text("由于长时间未操作")
