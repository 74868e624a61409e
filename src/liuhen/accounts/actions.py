"""Changes to units, accounts, roles and security settings: the one door (R4.1, R4.2).

Each action checks the access policy, validates, changes the data and writes its audit
event in one transaction. ``actor`` is the signed-in user, or :data:`SYSTEM` for
management commands (which run with the operator's authority on the server).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.events import (
    AccountEvents,
    BureauEvents,
    CertificateEvents,
    RoleEvents,
    SecurityEvents,
    UnitEvents,
)
from liuhen.accounts.models import (
    ADMIN_ROLES,
    Bureau,
    Certificate,
    Post,
    Role,
    RoleGrant,
    SecuritySettings,
    Unit,
    User,
)
from liuhen.accounts.perms import AccountPerms, RolePerms, SecurityPerms, UnitPerms
from liuhen.core import access, audit
from liuhen.core.models import Outcome
from liuhen.core.perms import ConfigPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

# The server itself (seed data, management commands): not subject to the role policy.
SYSTEM = audit.SYSTEM

Actor = User | audit.Actor


def _require(actor: Any, action: str, obj: Any = None, request: HttpRequest | None = None) -> None:
    access.require(actor, action, obj, request=request)


def _is_person(actor: Any) -> bool:
    return isinstance(actor, User)


# --- bureau and units ------------------------------------------------------------------


def ensure_bureau(
    actor: Actor,
    *,
    name: str,
    short_name: str = "",
    code: str = "",
    request: HttpRequest | None = None,
) -> Bureau:
    """The bureau this installation serves; created once, returned as it is afterwards."""
    _require(actor, ConfigPerms.MANAGE, request=request)
    with transaction.atomic():
        bureau, created = Bureau.objects.get_or_create(
            name=name.strip(), defaults={"short_name": short_name.strip(), "code": code.strip()}
        )
        if created:
            audit.record(BureauEvents.CREATE, actor=actor, request=request, obj=bureau)
    return bureau


def create_unit(
    actor: Actor,
    *,
    name: str,
    code: str = "",
    bureau: Bureau | None = None,
    request: HttpRequest | None = None,
) -> Unit:
    _require(actor, UnitPerms.MANAGE, request=request)
    name = name.strip()
    if not name:
        raise ValidationError(_("A unit needs a name."), code="required")
    with transaction.atomic():
        bureau = bureau or Bureau.objects.order_by("pk").first()
        if bureau is None:
            raise ValidationError(_("Create the bureau first."), code="no_bureau")
        if Unit.objects.filter(bureau=bureau, name=name).exists():
            raise ValidationError(_("A unit with this name exists already."), code="duplicate")
        unit = Unit.objects.create(bureau=bureau, name=name, code=code.strip())
        audit.record(
            UnitEvents.CREATE, actor=actor, request=request, obj=unit, details={"name": name}
        )
    return unit


def update_unit(
    actor: Actor,
    unit: Unit,
    *,
    name: str,
    code: str,
    active: bool,
    request: HttpRequest | None = None,
) -> Unit:
    _require(actor, UnitPerms.MANAGE, unit, request=request)
    name = name.strip()
    if not name:
        raise ValidationError(_("A unit needs a name."), code="required")
    with transaction.atomic():
        if Unit.objects.filter(bureau_id=unit.bureau_id, name=name).exclude(pk=unit.pk).exists():
            raise ValidationError(_("A unit with this name exists already."), code="duplicate")
        before = {"name": unit.name, "code": unit.code, "active": unit.active}
        unit.name, unit.code, unit.active = name, code.strip(), active
        unit.save(update_fields=["name", "code", "active"])
        after = {"name": unit.name, "code": unit.code, "active": unit.active}
        audit.record(
            UnitEvents.UPDATE,
            actor=actor,
            request=request,
            obj=unit,
            details=_changes(before, after),
        )
    return unit


# --- accounts ----------------------------------------------------------------------------

PROFILE_FIELDS = ("full_name", "unit", "post", "officer_number", "phone", "email")


def create_user(
    actor: Actor,
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
    _require(actor, AccountPerms.MANAGE, request=request)
    roles = list(dict.fromkeys(roles))
    if roles:
        _require(actor, RolePerms.GRANT, request=request)
    _check_separation(roles)
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
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = (
        _is_person(actor) if must_change_password is None else must_change_password
    )
    with transaction.atomic():
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
    actor: Actor, user: User, *, request: HttpRequest | None = None, **fields: Any
) -> User:
    """Change profile fields (name, unit, post, officer number, phone, e-mail)."""
    _require(actor, AccountPerms.MANAGE, user, request=request)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"update_user cannot change {sorted(unknown)}")
    with transaction.atomic():
        before = {name: _plain(getattr(user, name)) for name in fields}
        for name, value in fields.items():
            setattr(user, name, value.strip() if isinstance(value, str) else value)
        user.full_clean(exclude=["password", "username"])
        user.save(update_fields=list(fields))
        after = {name: _plain(getattr(user, name)) for name in fields}
        audit.record(
            AccountEvents.UPDATE,
            actor=actor,
            request=request,
            obj=user,
            details=_changes(before, after),
        )
    return user


def disable_user(actor: Actor, user: User, *, request: HttpRequest | None = None) -> User:
    """Disable an account and end all its sessions at once (R4.2)."""
    _require(actor, AccountPerms.MANAGE, user, request=request)
    if isinstance(actor, User) and actor.pk == user.pk:
        raise ValidationError(_("You cannot disable your own account."), code="self")
    with transaction.atomic():
        now = timezone.now()
        user.is_active = False
        # Sessions kept by another engine, or created while this runs, are refused
        # by the middleware because they began before this moment.
        user.sessions_valid_after = now
        user.save(update_fields=["is_active", "sessions_valid_after"])
        ended = end_sessions(user, now=now)
        audit.record(
            AccountEvents.DISABLE,
            actor=actor,
            request=request,
            obj=user,
            details={"sessions_ended": ended},
        )
    return user


def enable_user(actor: Actor, user: User, *, request: HttpRequest | None = None) -> User:
    _require(actor, AccountPerms.MANAGE, user, request=request)
    with transaction.atomic():
        user.is_active = True
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["is_active", "failed_logins", "locked_until"])
        audit.record(AccountEvents.ENABLE, actor=actor, request=request, obj=user)
    return user


def unlock_user(actor: Actor, user: User, *, request: HttpRequest | None = None) -> User:
    """Lift a lockout before its period ends (the person called the administrator)."""
    _require(actor, AccountPerms.MANAGE, user, request=request)
    with transaction.atomic():
        user.failed_logins = 0
        user.locked_until = None
        user.save(update_fields=["failed_logins", "locked_until"])
        audit.record(AccountEvents.UNLOCK, actor=actor, request=request, obj=user)
    return user


def end_sessions(user: User, *, now: dt.datetime | None = None) -> int:
    """Delete every stored session of ``user``; returns how many.

    The session table has no user column, so each live session is decoded; disabling
    an account is rare and the table holds only live sessions (plus expired ones
    until ``clearsessions``).
    """
    now = now or timezone.now()
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def set_password(
    actor: Actor, user: User, new_password: str, *, request: HttpRequest | None = None
) -> User:
    """An administrator sets a password (reset); the owner must change it at next login."""
    _require(actor, AccountPerms.MANAGE, user, request=request)
    password_validation.validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = isinstance(actor, User) and actor.pk != user.pk
        user.failed_logins = 0
        user.locked_until = None
        user.save(
            update_fields=[
                "password",
                "password_changed_at",
                "must_change_password",
                "failed_logins",
                "locked_until",
            ]
        )
        audit.record(AccountEvents.PASSWORD_SET, actor=actor, request=request, obj=user)
    return user


def change_password(
    user: User, *, old_password: str, new_password: str, request: HttpRequest | None = None
) -> User:
    """The owner changes their own password (after login, or when it has expired)."""
    if not user.check_password(old_password):
        with transaction.atomic():
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
    with transaction.atomic():
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(AccountEvents.PASSWORD_CHANGE, actor=user, request=request, obj=user)
    return user


def reset_two_factor(actor: Actor, user: User, *, request: HttpRequest | None = None) -> int:
    """Remove a person's TOTP devices (lost phone); they enrol again at next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require(actor, AccountPerms.RESET_2FA, user, request=request)
    with transaction.atomic():
        removed, _kinds = TOTPDevice.objects.filter(user=user).delete()
        user.sessions_valid_after = timezone.now()
        user.save(update_fields=["sessions_valid_after"])
        end_sessions(user)
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
    actor: Actor,
    officer: User,
    *,
    number: str,
    issuing_authority: str,
    valid_from: dt.date,
    valid_to: dt.date,
    request: HttpRequest | None = None,
) -> Certificate:
    """Record an enforcement certificate 执法证 (R4.2)."""
    _require(actor, AccountPerms.MANAGE, officer, request=request)
    number = number.strip()
    if valid_to < valid_from:
        raise ValidationError(
            _("The certificate cannot expire before it becomes valid."), code="range"
        )
    if Certificate.objects.filter(number=number).exists():
        raise ValidationError(_("This certificate number is recorded already."), code="duplicate")
    with transaction.atomic():
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
    actor: Actor, certificate: Certificate, *, request: HttpRequest | None = None
) -> Certificate:
    _require(actor, AccountPerms.MANAGE, certificate.officer, request=request)
    with transaction.atomic():
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


# --- roles (security admin) ------------------------------------------------------------


def _check_separation(roles: Iterable[str]) -> None:
    if len(set(roles) & ADMIN_ROLES) > 1:
        raise ValidationError(
            _(
                "An account may hold only one of the three administrator roles "
                "(system, security, audit)."
            ),
            code="separation_of_duties",
        )


def grant_role(
    actor: Actor, user: User, role: str, *, request: HttpRequest | None = None
) -> RoleGrant:
    _require(actor, RolePerms.GRANT, user, request=request)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="invalid")
    with transaction.atomic():
        # Lock the account so two concurrent grants cannot both pass the 三员 check.
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        if role in current:
            raise ValidationError(_("The account holds this role already."), code="duplicate")
        _check_separation(current | {role})
        grant = RoleGrant.objects.create(user=user, role=role)
        user.__dict__.pop("_roles_cache", None)
        audit.record(
            RoleEvents.GRANT, actor=actor, request=request, obj=user, details={"role": role}
        )
    return grant


def revoke_role(actor: Actor, user: User, role: str, *, request: HttpRequest | None = None) -> None:
    _require(actor, RolePerms.GRANT, user, request=request)
    with transaction.atomic():
        deleted, _kinds = RoleGrant.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise ValidationError(_("The account does not hold this role."), code="missing")
        user.__dict__.pop("_roles_cache", None)
        audit.record(
            RoleEvents.REVOKE, actor=actor, request=request, obj=user, details={"role": role}
        )


# --- security settings (security admin) ------------------------------------------------

SETTING_FIELDS = tuple(SecuritySettings.defaults())


def update_security_settings(
    actor: Actor, *, request: HttpRequest | None = None, **values: Any
) -> SecuritySettings:
    _require(actor, SecurityPerms.CONFIGURE, request=request)
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise TypeError(f"unknown security settings {sorted(unknown)}")
    if values.get("password_min_length", 8) < 8:
        # 等保 8.1.4.1 a and ASVS 6.2.1 agree on this floor.
        raise ValidationError(
            _("The minimum password length cannot be less than 8."), code="min_length"
        )
    for name in ("login_max_failures", "lockout_seconds", "session_idle_seconds"):
        if name in values and values[name] < 1:
            raise ValidationError(_("Values must be at least 1."), code="min_value")
    if values.get("session_max_age_seconds", 60) < 60:
        raise ValidationError(
            _("The absolute session lifetime must be at least 60 seconds."), code="min_value"
        )
    with transaction.atomic():
        row = SecuritySettings.objects.select_for_update().filter(pk=1).first()
        if row is None:
            SecuritySettings.load()
            row = SecuritySettings.objects.select_for_update().get(pk=1)
        before = {name: getattr(row, name) for name in values}
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
        audit.record(
            SecurityEvents.CONFIGURE,
            actor=actor,
            request=request,
            obj=row,
            details=_changes(before, values),
        )
    if request is not None:
        request.__dict__.pop("_liuhen_security_settings", None)
    return row


# --- helpers -------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    return value


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"from": before.get(name), "to": after[name]}
        for name in after
        if before.get(name) != after[name]
    }
