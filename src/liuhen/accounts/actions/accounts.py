"""Accounts and their enforcement certificates (R4.1, R4.2): created, changed, disabled
and unlocked by the system admin; the second factor reset by the security admin; a
person's own password changed by its owner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.accounts.actions import login
from liuhen.accounts.actions.roles import check_separation
from liuhen.accounts.actions.sessions import _end_sessions
from liuhen.accounts.changes import changes, plain
from liuhen.accounts.events import AccountEvents, CertificateEvents
from liuhen.accounts.models import Certificate, Post, RoleGrant, Unit, User
from liuhen.accounts.perms import AccountPerms, RolePerms
from liuhen.core import access, audit, registry
from liuhen.core.models import Outcome

if TYPE_CHECKING:
    from django.http import HttpRequest

PROFILE_FIELDS = ("full_name", "unit", "post", "officer_number", "phone", "email")


def create_user(
    actor: User | audit.Actor,
    *,
    username: str,
    full_name: str,
    password: str,
    unit: Unit | None = None,
    post: Post | None = None,
    officer_number: str = "",
    phone: str = "",
    email: str = "",
    roles: Iterable[str] = (),
    must_change_password: bool | None = None,
    request: HttpRequest | None = None,
) -> User:
    """A new account. Roles need the security admin (or the system itself).

    A password chosen by an administrator must be replaced at first login, unless
    ``must_change_password`` says otherwise (seed data).
    """
    access.require(actor, AccountPerms.MANAGE, request=request)
    roles = list(dict.fromkeys(roles))
    if roles:
        access.require(actor, RolePerms.GRANT, request=request)
    check_separation(roles)
    username = username.strip()
    if not username:
        raise ValidationError(_("An account needs a user name."), code="required")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This user name is taken."), code="duplicate")
    user = User(
        username=username,
        full_name=full_name.strip(),
        unit=unit,
        post=post,
        officer_number=officer_number.strip(),
        phone=phone.strip(),
        email=email.strip(),
    )
    password_validation.validate_password(password, user)
    if must_change_password is None:
        must_change_password = isinstance(actor, User)
    _store_password(user, password, must_change=must_change_password)
    with transaction.atomic(durable=True):
        user.save()
        for role in roles:
            RoleGrant.objects.create(user=user, role=role)
        audit.record(
            AccountEvents.CREATE,
            actor=actor,
            request=request,
            obj=user,
            details={
                "username": username,
                "unit": unit.pk if unit else None,
                "roles": roles,
            },
        )
    return user


def update_user(
    actor: User | audit.Actor, user: User, *, request: HttpRequest | None = None, **fields: Any
) -> User:
    """Change profile fields (name, unit, post, officer number, phone, e-mail)."""
    access.require(actor, AccountPerms.MANAGE, user, request=request)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"update_user cannot change {sorted(unknown)}")
    with transaction.atomic(durable=True):
        before = {name: plain(getattr(user, name)) for name in fields}
        for name, value in fields.items():
            setattr(user, name, value.strip() if isinstance(value, str) else value)
        user.full_clean(exclude=["password", "username"])
        user.save(update_fields=list(fields))
        after = {name: plain(getattr(user, name)) for name in fields}
        audit.record(
            AccountEvents.UPDATE,
            actor=actor,
            request=request,
            obj=user,
            details=changes(before, after),
        )
    return user


def disable_user(
    actor: User | audit.Actor, user: User, *, request: HttpRequest | None = None
) -> User:
    """Disable an account and end all its sessions at once (R4.2)."""
    access.require(actor, AccountPerms.MANAGE, user, request=request)
    if isinstance(actor, User) and actor.pk == user.pk:
        raise ValidationError(_("You cannot disable your own account."), code="self")
    with transaction.atomic(durable=True):
        user.is_active = False
        user.save(update_fields=["is_active"])
        ended = _end_sessions(user)
        audit.record(
            AccountEvents.DISABLE,
            actor=actor,
            request=request,
            obj=user,
            details={"sessions_ended": ended, **_revoke_credentials(user)},
        )
    return user


def _revoke_credentials(user: User) -> dict[str, int]:
    """Revoke what the account holds beyond its sessions (its API tokens): how many of each."""
    return {f"{key}_revoked": revoke(user) for key, revoke in registry.account_credentials.items()}


def enable_user(
    actor: User | audit.Actor, user: User, *, request: HttpRequest | None = None
) -> User:
    """Enable an account again. It starts without credentials: what it held before it was
    disabled stays revoked (an account disabled some other way may still hold some)."""
    access.require(actor, AccountPerms.MANAGE, user, request=request)
    with transaction.atomic(durable=True):
        user.is_active = True
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["is_active", "failed_logins", "locked_until"])
        audit.record(
            AccountEvents.ENABLE,
            actor=actor,
            request=request,
            obj=user,
            details=_revoke_credentials(user),
        )
    return user


def unlock_user(
    actor: User | audit.Actor, user: User, *, request: HttpRequest | None = None
) -> User:
    """Lift a lockout before its period ends (the person called the administrator)."""
    return _set_flags(
        actor, user, AccountEvents.UNLOCK, request, failed_logins=0, locked_until=None
    )


def _set_flags(
    actor: User | audit.Actor,
    user: User,
    event: str,
    request: HttpRequest | None,
    **values: Any,
) -> User:
    """The system admin sets login-state fields of an account; the event says which."""
    access.require(actor, AccountPerms.MANAGE, user, request=request)
    with transaction.atomic(durable=True):
        for name, value in values.items():
            setattr(user, name, value)
        user.save(update_fields=list(values))
        if "locked_until" in values:
            login.clear_login_locks(user)
        audit.record(event, actor=actor, request=request, obj=user)
    return user


def _store_password(user: User, password: str, *, must_change: bool) -> list[str]:
    """Set the password (hashed) and when it was set; returns the fields to save."""
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = must_change
    return ["password", "password_changed_at", "must_change_password"]


def set_password(
    actor: User | audit.Actor,
    user: User,
    new_password: str,
    *,
    request: HttpRequest | None = None,
) -> User:
    """An administrator sets a password (reset); the owner must change it at next login."""
    access.require(actor, AccountPerms.MANAGE, user, request=request)
    password_validation.validate_password(new_password, user)
    with transaction.atomic(durable=True):
        must_change = isinstance(actor, User) and actor.pk != user.pk
        fields = _store_password(user, new_password, must_change=must_change)
        user.failed_logins, user.locked_until = 0, None
        user.save(update_fields=[*fields, "failed_logins", "locked_until"])
        login.clear_login_locks(user)
        audit.record(AccountEvents.PASSWORD_SET, actor=actor, request=request, obj=user)
    return user


def change_password(
    user: User, *, old_password: str, new_password: str, request: HttpRequest | None = None
) -> User:
    """The owner changes their own password (after login, or when it has expired)."""
    if not user.check_password(old_password):
        with transaction.atomic(durable=True):
            audit.record(
                AccountEvents.PASSWORD_CHANGE,
                actor=user,
                request=request,
                obj=user,
                outcome=Outcome.FAILED,
                details={"reason": "wrong_old_password"},
            )
        raise ValidationError(_("The current password is wrong."), code="wrong_password")
    if old_password == new_password:
        raise ValidationError(
            _("The new password must differ from the current one."), code="same_password"
        )
    password_validation.validate_password(new_password, user)
    with transaction.atomic(durable=True):
        user.save(update_fields=_store_password(user, new_password, must_change=False))
        audit.record(AccountEvents.PASSWORD_CHANGE, actor=user, request=request, obj=user)
    return user


def reset_two_factor(
    actor: User | audit.Actor, user: User, *, request: HttpRequest | None = None
) -> int:
    """Remove a person's TOTP devices (lost phone); they enrol again at next login."""
    access.require(actor, AccountPerms.RESET_2FA, user, request=request)
    with transaction.atomic(durable=True):
        removed, _kinds = TOTPDevice.objects.filter(user=user).delete()
        _end_sessions(user)
        audit.record(
            AccountEvents.RESET_2FA,
            actor=actor,
            request=request,
            obj=user,
            details={"devices_removed": removed},
        )
    return removed


# --- certificates ------------------------------------------------------------------------


def add_certificate(
    actor: User | audit.Actor,
    officer: User,
    *,
    number: str,
    issuing_authority: str,
    valid_from: dt.date,
    valid_to: dt.date,
    request: HttpRequest | None = None,
) -> Certificate:
    """Record an enforcement certificate 执法证 (R4.2)."""
    access.require(actor, AccountPerms.MANAGE, officer, request=request)
    number = number.strip()
    if valid_to < valid_from:
        raise ValidationError(
            _("The certificate cannot expire before it becomes valid."), code="range"
        )
    if Certificate.objects.filter(number=number).exists():
        raise ValidationError(_("This certificate number is recorded already."), code="duplicate")
    with transaction.atomic(durable=True):
        certificate = Certificate.objects.create(
            officer=officer,
            number=number,
            issuing_authority=issuing_authority.strip(),
            valid_from=valid_from,
            valid_to=valid_to,
        )
        audit.record(
            CertificateEvents.ADD,
            actor=actor,
            request=request,
            obj=certificate,
            details={
                "officer": officer.pk,
                "number": number,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat(),
            },
        )
    return certificate


def revoke_certificate(
    actor: User | audit.Actor, certificate: Certificate, *, request: HttpRequest | None = None
) -> Certificate:
    access.require(actor, AccountPerms.MANAGE, certificate.officer, request=request)
    with transaction.atomic(durable=True):
        certificate.revoked = True
        certificate.save(update_fields=["revoked"])
        audit.record(
            CertificateEvents.REVOKE,
            actor=actor,
            request=request,
            obj=certificate,
            details={"number": certificate.number},
        )
    return certificate
