"""The bureau and its units (R4.1): created and changed by the system admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.accounts.changes import changes
from liuhen.accounts.events import BureauEvents, UnitEvents
from liuhen.accounts.models import Bureau, Unit, User
from liuhen.accounts.perms import UnitPerms
from liuhen.core import access, audit
from liuhen.core.perms import ConfigPerms

if TYPE_CHECKING:
    from django.http import HttpRequest


def ensure_bureau(
    actor: User | audit.Actor,
    *,
    name: str,
    short_name: str = "",
    code: str = "",
    request: HttpRequest | None = None,
) -> Bureau:
    """The bureau this installation serves; created once, returned as it is afterwards."""
    access.require(actor, ConfigPerms.MANAGE, request=request)
    with transaction.atomic(durable=True):
        bureau, created = Bureau.objects.get_or_create(
            name=name.strip(), defaults={"short_name": short_name.strip(), "code": code.strip()}
        )
        if created:
            audit.record(BureauEvents.CREATE, actor=actor, request=request, obj=bureau)
    return bureau


def create_unit(
    actor: User | audit.Actor,
    *,
    name: str,
    code: str = "",
    bureau: Bureau | None = None,
    request: HttpRequest | None = None,
) -> Unit:
    access.require(actor, UnitPerms.MANAGE, request=request)
    name = name.strip()
    if not name:
        raise ValidationError(_("A unit needs a name."), code="required")
    with transaction.atomic(durable=True):
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
    actor: User | audit.Actor,
    unit: Unit,
    *,
    name: str,
    code: str,
    active: bool,
    request: HttpRequest | None = None,
) -> Unit:
    access.require(actor, UnitPerms.MANAGE, unit, request=request)
    name = name.strip()
    if not name:
        raise ValidationError(_("A unit needs a name."), code="required")
    with transaction.atomic(durable=True):
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
            details=changes(before, after),
        )
    return unit
