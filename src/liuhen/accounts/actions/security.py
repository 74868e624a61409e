"""The security settings (R4.2; 等保 8.1.4.1): changed by the security admin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.accounts.changes import changes
from liuhen.accounts.events import SecurityEvents
from liuhen.accounts.models import SecuritySettings, User
from liuhen.accounts.perms import SecurityPerms
from liuhen.core import access, audit

if TYPE_CHECKING:
    from django.http import HttpRequest

SETTING_FIELDS = tuple(SecuritySettings.defaults())


def update_security_settings(
    actor: User | audit.Actor, *, request: HttpRequest | None = None, **values: Any
) -> SecuritySettings:
    access.require(actor, SecurityPerms.CONFIGURE, request=request)
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
    with transaction.atomic(durable=True):
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
            details=changes(before, values),
        )
    if request is not None:
        request.__dict__.pop("_liuhen_security_settings", None)
    return row
