"""The login flow: password step, lockout, second factor, enrolment and logout (R4.2).

GB/T 22239-2019 level 3 (8.1.4.1): failed-login handling (lockout), session timeout,
two or more authentication factors for administrators, every login event audited.

A person who needs a second factor is *not* logged in after the password step: the
session holds only a pending user id, and :func:`complete_login` runs after the TOTP
code is checked, so no session is ever authenticated by the password alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

import django_otp
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.accounts import security
from liuhen.accounts.events import AuthEvents
from liuhen.accounts.models import User
from liuhen.accounts.session_keys import LAST_SEEN, LOGIN_AT, PENDING_AT, PENDING_USER
from liuhen.core import audit
from liuhen.core.models import Outcome

if TYPE_CHECKING:
    from django.http import HttpRequest

# The password step is good for this long; then the person starts again.
PENDING_MAX_SECONDS = 300
BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclasses.dataclass(frozen=True)
class PasswordResult:
    """What the password step decided: ``ok`` (logged in), ``otp``/``enrol`` (second
    factor next), ``failed``, ``locked`` or ``disabled``."""

    status: str
    user: User | None = None
    locked_until: dt.datetime | None = None


def password_step(
    request: HttpRequest, username: str, password: str, *, now: dt.datetime | None = None
) -> PasswordResult:
    now = now or timezone.now()
    policy = security.current(request)
    user = User.objects.filter(username=username).first()
    if user is None:
        # Hash anyway so an unknown name costs the same time as a wrong password.
        User().set_password(password)
        with transaction.atomic(durable=True):
            audit.record(
                AuthEvents.LOGIN,
                actor=None,
                request=request,
                object_type="accounts.user",
                outcome=Outcome.FAILED,
                details={"username": username[:150], "reason": "unknown_user"},
            )
        return PasswordResult("failed")
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_locked(now):
            _record_attempt(request, user, AuthEvents.LOGIN, Outcome.DENIED, reason="locked")
            return PasswordResult("locked", user, user.locked_until)
        if user.locked_until is not None:
            # The lockout period is over: a fresh count starts.
            user.locked_until = None
            user.failed_logins = 0
        if not user.check_password(password):
            return _record_failure(request, user, policy, now, reason="bad_password")
        if not user.is_active:
            user.save(update_fields=["locked_until", "failed_logins"])
            _record_attempt(request, user, AuthEvents.LOGIN, Outcome.DENIED, reason="disabled")
            return PasswordResult("disabled", user)
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["locked_until", "failed_logins"])
    if security.needs_two_factor(user, policy):
        request.session.cycle_key()
        request.session[PENDING_USER] = user.pk
        request.session[PENDING_AT] = now.timestamp()
        with transaction.atomic(durable=True):
            _record_attempt(request, user, AuthEvents.PASSWORD_OK, Outcome.OK, next="otp")
        return PasswordResult("otp" if _confirmed_devices(user) else "enrol", user)
    complete_login(request, user, now=now)
    return PasswordResult("ok", user)


def _anonymous() -> audit.Actor:
    # Until login completes nobody is signed in; the account is the event's object.
    return audit.Actor.of(AnonymousUser())


def _record_attempt(
    request: HttpRequest, user: User, event: str, outcome: str, **details: Any
) -> None:
    """An event of signing in, on the account tried, by nobody signed in yet."""
    audit.record(
        event,
        actor=_anonymous(),
        request=request,
        obj=user,
        outcome=outcome,
        details={"username": user.username, **details},
    )


def _record_failure(
    request: HttpRequest,
    user: User,
    policy: Any,
    now: dt.datetime,
    *,
    reason: str,
) -> PasswordResult:
    """Count a failed password or code; lock the account at the limit. In a transaction."""
    user.failed_logins += 1
    locked = user.failed_logins >= policy.login_max_failures
    if locked:
        user.locked_until = now + dt.timedelta(seconds=policy.lockout_seconds)
    user.save(update_fields=["failed_logins", "locked_until"])
    failures = user.failed_logins
    _record_attempt(
        request, user, AuthEvents.LOGIN, Outcome.FAILED, reason=reason, failures=failures
    )
    if locked:
        assert user.locked_until is not None
        until = audit.format_time(user.locked_until)
        _record_attempt(
            request, user, AuthEvents.LOCKOUT, Outcome.OK, failures=failures, locked_until=until
        )
        return PasswordResult("locked", user, user.locked_until)
    return PasswordResult("failed", user)


def pending_user(request: HttpRequest, *, now: dt.datetime | None = None) -> User | None:
    """The person between the password step and the second factor, if still in time."""
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT)
    if user_id is None or started is None:
        return None
    if (now or timezone.now()).timestamp() - float(started) > PENDING_MAX_SECONDS:
        clear_pending(request)
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def clear_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_USER, None)
    request.session.pop(PENDING_AT, None)


def _confirmed_devices(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True))


def verify_code(
    request: HttpRequest,
    user: User,
    token: str,
    *,
    device: TOTPDevice | None = None,
    now: dt.datetime | None = None,
) -> tuple[str, TOTPDevice | None]:
    """Check a TOTP code against ``device`` (enrolment) or the person's confirmed devices.

    Returns ``("ok", device)``, ``("failed", None)`` or ``("locked", None)``; a wrong code
    counts towards the lockout like a wrong password.
    """
    now = now or timezone.now()
    policy = security.current(request)
    token = "".join(token.split())
    with transaction.atomic(durable=True):
        locked_user = User.objects.select_for_update().get(pk=user.pk)
        if locked_user.is_locked(now):
            audit.record(
                AuthEvents.OTP,
                actor=_anonymous() if not request.user.is_authenticated else user,
                request=request,
                obj=user,
                outcome=Outcome.DENIED,
                details={"reason": "locked"},
            )
            return "locked", None
        candidates = [device] if device is not None else _confirmed_devices(user)
        for candidate in candidates:
            if token.isdigit() and candidate.verify_token(token):
                locked_user.failed_logins = 0
                locked_user.save(update_fields=["failed_logins"])
                audit.record(
                    AuthEvents.OTP,
                    actor=user,
                    request=request,
                    obj=user,
                    details={"device": candidate.persistent_id},
                )
                return "ok", candidate
        result = _record_failure(request, locked_user, policy, now, reason="bad_otp")
        audit.record(AuthEvents.OTP, actor=user, request=request, obj=user, outcome=Outcome.FAILED)
    return result.status, None


def start_enrolment(user: User) -> TOTPDevice:
    """The person's unconfirmed TOTP device, made on first call and kept across page loads
    so the QR code they scan stays the same until they confirm it with a code."""
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Liuhen", confirmed=False)
    return device


def confirm_enrolment(request: HttpRequest, user: User, device: TOTPDevice) -> None:
    with transaction.atomic(durable=True):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(
            AuthEvents.OTP_ENROLLED,
            actor=user,
            request=request,
            obj=user,
            details={"device": device.persistent_id},
        )


def complete_login(
    request: HttpRequest,
    user: User,
    *,
    device: TOTPDevice | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Authenticate the session. ``auth.login`` gives it a new key (no fixation)."""
    now = now or timezone.now()
    clear_pending(request)
    auth.login(request, user, backend=BACKEND)
    if device is not None:
        django_otp.login(request, device)
    request.session[LOGIN_AT] = now.timestamp()
    request.session[LAST_SEEN] = now.timestamp()
    with transaction.atomic(durable=True):
        audit.record(
            AuthEvents.LOGIN,
            actor=user,
            request=request,
            obj=user,
            details={"two_factor": device is not None},
        )


def logout(request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        with transaction.atomic(durable=True):
            audit.record(AuthEvents.LOGOUT, actor=user, request=request, obj=user)
    auth.logout(request)


def verify_session(request: HttpRequest, device: TOTPDevice) -> None:
    """Mark a signed-in person's session as verified by ``device`` (the code was checked
    and audited by :func:`verify_code`); the session gets a new key, as at login."""
    request.session.cycle_key()
    django_otp.login(request, device)
