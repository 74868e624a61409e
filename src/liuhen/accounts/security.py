"""The security settings in force, and the questions the login flow asks of them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django_otp import user_has_device

from liuhen.accounts.models import SecuritySettings

if TYPE_CHECKING:
    from django.http import HttpRequest

_REQUEST_CACHE = "_liuhen_security_settings"


def current(request: HttpRequest | None = None) -> SecuritySettings:
    """The settings row (created from the LIUHEN_* defaults on first use).

    Read once per request; without a request, read fresh (a change applies at once
    to every app server because nothing is cached across requests).
    """
    if request is not None:
        cached: SecuritySettings | None = getattr(request, _REQUEST_CACHE, None)
        if cached is not None:
            return cached
    row = SecuritySettings.load()
    if request is not None:
        setattr(request, _REQUEST_CACHE, row)
    return row


def has_confirmed_device(user: Any) -> bool:
    """Whether the person has set up a second factor (a confirmed TOTP device)."""
    return bool(user_has_device(user, confirmed=True))


def needs_two_factor(user: Any, settings: SecuritySettings | None = None) -> bool:
    """The three admins always (R4.2, 等保 8.1.4.1 d); others when required or enrolled."""
    if user.is_admin_role:
        return True
    if (settings or current()).require_2fa_for_all:
        return True
    return has_confirmed_device(user)


def password_expired(
    user: Any, settings: SecuritySettings | None = None, now: dt.datetime | None = None
) -> bool:
    """True when rotation is on and the password is older than the maximum age."""
    max_age = (settings or current()).password_max_age_days
    if not max_age:
        return False
    changed = user.password_changed_at or user.date_joined
    return bool(changed + dt.timedelta(days=max_age) < (now or timezone.now()))


def must_change_password(
    user: Any, settings: SecuritySettings | None = None, now: dt.datetime | None = None
) -> bool:
    return bool(user.must_change_password) or password_expired(user, settings, now)
