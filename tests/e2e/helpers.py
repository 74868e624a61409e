"""Helpers for browser tests: log in through the real pages, second factor included."""

from __future__ import annotations

import time
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from liuhen.accounts.models import User
from tests.factories import PASSWORD


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now, not one already used."""
    step = int(time.time() - device.t0) // device.step
    if step <= device.last_t:
        # This step's code was used (django-otp refuses a replay): wait for the next.
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def login(
    page: Page,
    username: str,
    password: str = PASSWORD,
    otp_device: TOTPDevice | None = None,
    next_url: str = "/",
) -> Any:
    """Log in as ``username``; for people who need 2FA, enter a TOTP code.

    An administrator without a confirmed device gets one created in the database here
    (``otp_device`` to pass your own), so tests of other pages need not enrol first.
    """
    user = User.objects.get(username=username)
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    needs_code = otp_device is not None or user.is_admin_role
    if needs_code and otp_device is None:
        otp_device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if otp_device is None:
            otp_device = TOTPDevice.objects.create(user=user, name="e2e", confirmed=True)
    page.click("[data-testid=login-submit]")
    if otp_device is not None and "/accounts/login/verify/" in page.url:
        otp_device.refresh_from_db()
        page.fill("input[name=token]", current_code(otp_device))
        page.click("[data-testid=otp-submit]")
    page.wait_for_load_state()
    return page
