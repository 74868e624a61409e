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
from liuhen.accounts.models import LoginLock, User
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
    """Check the password of ``username`` typed at this address.

    Failures are counted per user name and address (``LoginLock``); a known and an unknown
    name get the same answers, and the lock holds for this address only.
    """
    now = now or timezone.now()
    policy = security.current(request)
    username = username[:150]
    user = User.objects.filter(username=username).first()
    with transaction.atomic(durable=True):
        lock = _lock_of(request, username, policy, now)
        if user is None:
            # Hash anyway so an unknown name costs the same time as a wrong password.
            User().set_password(password)
            if lock.is_locked(now):
                _record_unknown(request, username, Outcome.DENIED, reason="locked")
                return PasswordResult("locked", None, lock.locked_until)
            _record_unknown(request, username, Outcome.FAILED, reason="unknown_user")
            return _count_failure(request, None, lock, policy, now)
        user = User.objects.select_for_update().get(pk=user.pk)
        if lock.is_locked(now):
            _record_attempt(request, user, AuthEvents.LOGIN, Outcome.DENIED, reason="locked")
            return PasswordResult("locked", user, lock.locked_until)
        if not user.check_password(password):
            return _record_failure(request, user, lock, policy, now, reason="bad_password")
        if not user.is_active:
            _record_attempt(request, user, AuthEvents.LOGIN, Outcome.DENIED, reason="disabled")
            return PasswordResult("disabled", user)
        _forget_failures(user, lock, now)
    if security.needs_two_factor(user, policy):
        request.session.cycle_key()
        request.session[PENDING_USER] = user.pk
        request.session[PENDING_AT] = now.timestamp()
        with transaction.atomic(durable=True):
            _record_attempt(request, user, AuthEvents.PASSWORD_OK, Outcome.OK, next="otp")
        return PasswordResult("otp" if _confirmed_devices(user) else "enrol", user)
    complete_login(request, user, now=now)
    return PasswordResult("ok", user)


def _lock_of(request: HttpRequest, username: str, policy: Any, now: dt.datetime) -> LoginLock:
    """The failure count of ``username`` from this address, locked for update (unsaved
    when there is none); a lock that has run out, or failures older than the lockout
    period, start a fresh count. In a transaction."""
    source = audit.client_ip(request)
    lock = LoginLock.objects.select_for_update().filter(username=username, source=source).first()
    if lock is None:
        return LoginLock(username=username, source=source, last_failure=now)
    expired = lock.locked_until is not None and lock.locked_until <= now
    forgotten = lock.last_failure <= now - dt.timedelta(seconds=policy.lockout_seconds)
    if expired or forgotten:
        lock.failures, lock.locked_until = 0, None
    return lock


def _sync_account(user: User, now: dt.datetime) -> None:
    """Show on the account what its locks say: failures and the latest lock, any address."""
    locks = LoginLock.objects.filter(username=user.username)
    user.failed_logins = sum(locks.values_list("failures", flat=True))
    user.locked_until = max(
        (until for until in locks.values_list("locked_until", flat=True) if until and until > now),
        default=None,
    )
    user.save(update_fields=["failed_logins", "locked_until"])


def _forget_failures(user: User, lock: LoginLock, now: dt.datetime) -> None:
    """The right password or code from this address: its count starts again (a lock held
    by another address stays). In a transaction."""
    if lock.pk is not None:
        lock.delete()
    _sync_account(user, now)


def clear_login_locks(user: User) -> None:
    """An administrator unlocked the account (or reset its password): every address may
    try again. In the caller's transaction."""
    LoginLock.objects.filter(username=user.username).delete()


def _record_unknown(request: HttpRequest, username: str, outcome: str, **details: Any) -> None:
    audit.record(
        AuthEvents.LOGIN,
        actor=None,
        request=request,
        object_type="accounts.user",
        outcome=outcome,
        details={"username": username, **details},
    )


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


def _count_failure(
    request: HttpRequest, user: User | None, lock: LoginLock, policy: Any, now: dt.datetime
) -> PasswordResult:
    """One more failure of the name at this address; at the limit it is locked there (the
    lockout is recorded alike for a known and an unknown name). In a transaction."""
    lock.failures += 1
    lock.last_failure = now
    locked = lock.failures >= policy.login_max_failures
    if locked:
        lock.locked_until = now + dt.timedelta(seconds=policy.lockout_seconds)
    lock.save()
    # Counts nobody has added to for a day are gone: guessed names do not pile up.
    LoginLock.objects.filter(last_failure__lt=now - dt.timedelta(days=1)).exclude(
        locked_until__gt=now
    ).delete()
    if user is not None:
        _sync_account(user, now)
    if not locked:
        return PasswordResult("failed", user)
    assert lock.locked_until is not None
    audit.record(
        AuthEvents.LOCKOUT,
        actor=_anonymous(),
        request=request,
        obj=user,
        object_type="accounts.user",
        details={
            "username": lock.username,
            "failures": lock.failures,
            "locked_until": audit.format_time(lock.locked_until),
        },
    )
    return PasswordResult("locked", user, lock.locked_until)


def _record_failure(
    request: HttpRequest,
    user: User,
    lock: LoginLock,
    policy: Any,
    now: dt.datetime,
    *,
    reason: str,
) -> PasswordResult:
    """Count a failed password or code of ``user``; lock it at this address at the limit.
    In a transaction."""
    _record_attempt(
        request,
        user,
        AuthEvents.LOGIN,
        Outcome.FAILED,
        reason=reason,
        failures=lock.failures + 1,
    )
    return _count_failure(request, user, lock, policy, now)


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
        lock = _lock_of(request, user.username, policy, now)
        if lock.is_locked(now):
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
                _forget_failures(locked_user, lock, now)
                audit.record(
                    AuthEvents.OTP,
                    actor=user,
                    request=request,
                    obj=user,
                    details={"device": candidate.persistent_id},
                )
                return "ok", candidate
        result = _record_failure(request, locked_user, lock, policy, now, reason="bad_otp")
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
