"""Device registry and ledger actions (R13.1): register 登记, change, check out 领取,
return 归还, maintenance 保养. What the ledger says (who held a device when, overdue) is
read in :mod:`liuhen.devices.ledger`.

Each action checks access before its transaction (a refusal's audit event is kept),
validates, changes data and records its event in one durable transaction. The actor is a
person, or the system (``liuhen seed-demo``, commands run by the operator).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, Unit, User
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.devices.events import DeviceEvents
from liuhen.devices.ledger import is_overdue
from liuhen.devices.models import Device, DeviceKind, DeviceStatus, EntryKind, LedgerEntry
from liuhen.devices.perms import DevicePerms

if TYPE_CHECKING:
    from django.http import HttpRequest

CHANGEABLE_FIELDS = ("kind", "model", "unit", "status", "storage_place", "notes")
# The statuses a keeper sets by hand; "checked out" comes only from the ledger.
SETTABLE_STATUSES = (DeviceStatus.IN_SERVICE, DeviceStatus.MAINTENANCE, DeviceStatus.RETIRED)
# A little slack for clocks: a time "now" from a tablet may be a few seconds ahead.
_CLOCK_SLACK = dt.timedelta(minutes=2)

# Who acts on the devices: a person, or the system (a command run by the operator).
DeviceActor = User | Actor


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _past(field: str, when: dt.datetime | None) -> dt.datetime:
    if when is None:
        return timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when > timezone.now() + _CLOCK_SLACK:
        raise ValidationError({field: [_("The time cannot be in the future.")]})
    return when


def _actor_user(actor: DeviceActor) -> User | None:
    return actor if isinstance(actor, User) else None


def _clean_device(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if values.get("kind") not in DeviceKind.values:
        errors["kind"] = [_("Choose the kind of device.")]
    if not isinstance(values.get("unit"), Unit):
        errors["unit"] = [_("Choose the unit the device belongs to.")]
    if errors:
        raise ValidationError(errors)
    return {
        "kind": values["kind"],
        "model": _text(values.get("model"), 100),
        "unit": values["unit"],
        "storage_place": _text(values.get("storage_place"), 200),
        "notes": str(values.get("notes") or "").strip(),
    }


def enrol_device(
    actor: DeviceActor,
    *,
    serial: str,
    kind: str,
    unit: Unit,
    request: HttpRequest | None = None,
    **values: Any,
) -> Device:
    """Register a device (R13.1). ``values``: model, storage_place, notes."""
    unknown = set(values) - {"model", "storage_place", "notes"}
    if unknown:
        raise TypeError(f"unknown device fields: {sorted(unknown)}")
    access.require(actor, DevicePerms.MANAGE, _Target(unit), request=request)
    serial = "".join(str(serial or "").split()).upper()[:60]
    if not serial:
        raise ValidationError({"serial": [_("Enter the serial number.")]})
    columns = _clean_device({**values, "kind": kind, "unit": unit})
    with transaction.atomic(durable=True):
        if Device.objects.select_for_update().filter(serial=serial).exists():
            raise ValidationError(
                {"serial": [_("A device with this serial number is registered already.")]}
            )
        device = Device.objects.create(serial=serial, registered_by=_actor_user(actor), **columns)
        audit.record(
            DeviceEvents.REGISTER,
            actor=actor,
            request=request,
            obj=device,
            details={"serial": serial, "kind": kind, "unit": unit.pk},
        )
    return device


class _Target:
    """A device-to-be: what the access rules ask of a device (its unit)."""

    def __init__(self, unit: Unit) -> None:
        self.unit_id = unit.pk
        self.holder_id = None


def change_device(
    actor: DeviceActor, device: Device, *, request: HttpRequest | None = None, **values: Any
) -> Device:
    """Change a device's details or set it in service, in maintenance or retired."""
    unknown = set(values) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown device fields: {sorted(unknown)}")
    access.require(actor, DevicePerms.MANAGE, device, request=request)
    current = {field: getattr(device, field) for field in CHANGEABLE_FIELDS}
    merged = {**current, **values}
    columns = _clean_device(merged)
    if merged["unit"] != device.unit:
        # Moving it to another unit: the actor must keep that unit's devices too.
        access.require(actor, DevicePerms.MANAGE, _Target(merged["unit"]), request=request)
    status = merged["status"]
    with transaction.atomic(durable=True):
        device = Device.objects.select_for_update().get(pk=device.pk)
        if status != device.status:
            if status not in SETTABLE_STATUSES:
                raise ValidationError(
                    {"status": [_("A device is checked out only by recording a checkout.")]}
                )
            if device.status == DeviceStatus.CHECKED_OUT:
                raise ValidationError(
                    {"status": [_("The device is checked out: record its return first.")]}
                )
        columns["status"] = status
        changed = sorted(k for k, v in columns.items() if getattr(device, k) != v)
        for key, value in columns.items():
            setattr(device, key, value)
        device.save()
        audit.record(
            DeviceEvents.CHANGE,
            actor=actor,
            request=request,
            obj=device,
            details={"fields": changed, "status": device.status},
        )
    return device


def _refuse_unless_available(device: Device) -> None:
    if not device.is_carried:
        raise ValidationError(
            _("A collection station stays in its place: it is not checked out or returned.")
        )
    if device.status == DeviceStatus.CHECKED_OUT:
        raise ValidationError(_("This device is checked out already; it must be returned first."))
    if device.status == DeviceStatus.MAINTENANCE:
        raise ValidationError(_("This device is in maintenance and cannot be checked out."))
    if device.status == DeviceStatus.RETIRED:
        raise ValidationError(_("This device is retired and cannot be checked out."))


def check_out(
    actor: DeviceActor,
    device: Device,
    *,
    holder: User | None = None,
    at: dt.datetime | None = None,
    condition: str = "",
    request: HttpRequest | None = None,
) -> LedgerEntry:
    """Record a checkout 领取: ``holder`` (default: the actor) takes the device at ``at``.

    An officer checks out for themselves; issuing to someone else is the keeper's
    (custodian's or unit head's) — "device.manage".
    """
    access.require(actor, DevicePerms.CHECKOUT, device, request=request)
    holder = holder or _actor_user(actor)
    if holder is None:
        raise ValidationError({"holder": [_("Choose the officer who takes the device.")]})
    if holder != actor:
        access.require(actor, DevicePerms.MANAGE, device, request=request)
    if not holder.is_active or not holder.has_role(Role.OFFICER, Role.UNIT_HEAD):
        raise ValidationError({"holder": [_("Only an active enforcement officer takes a device.")]})
    when = _past("at", at)
    with transaction.atomic(durable=True):
        device = Device.objects.select_for_update().get(pk=device.pk)
        _refuse_unless_available(device)
        last = device.ledger.order_by("-at", "-id").first()
        if last is not None and when < (last.until or last.at):
            raise ValidationError({"at": [_("The time is before the device's last ledger entry.")]})
        entry = LedgerEntry.objects.create(
            device=device,
            kind=EntryKind.CHECKOUT,
            at=when,
            holder=holder,
            handled_by=_actor_user(actor),
            condition=_text(condition, 300),
        )
        device.status = DeviceStatus.CHECKED_OUT
        device.holder = holder
        device.out_since = when
        device.save(update_fields=["status", "holder", "out_since"])
        audit.record(
            DeviceEvents.CHECKOUT,
            actor=actor,
            request=request,
            obj=device,
            details={"entry": entry.pk, "holder": holder.pk, "at": when.isoformat()},
        )
    return entry


def return_device(
    actor: DeviceActor,
    device: Device,
    *,
    at: dt.datetime | None = None,
    condition: str = "",
    request: HttpRequest | None = None,
) -> LedgerEntry:
    """Record a return 归还 of a checked-out device, received by the actor."""
    device = Device.objects.get(pk=device.pk)  # who holds it now decides who may return it
    access.require(actor, DevicePerms.RETURN, device, request=request)
    when = _past("at", at)
    with transaction.atomic(durable=True):
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.status != DeviceStatus.CHECKED_OUT:
            raise ValidationError(_("This device is not checked out."))
        checkout = device.ledger.filter(kind=EntryKind.CHECKOUT).order_by("-at", "-id").first()
        if checkout is None:  # pragma: no cover - the status says otherwise
            raise ValidationError(_("This device is not checked out."))
        if when < checkout.at:
            raise ValidationError({"at": [_("The return cannot be before the checkout.")]})
        entry = LedgerEntry.objects.create(
            device=device,
            kind=EntryKind.RETURN,
            at=when,
            holder=checkout.holder,
            handled_by=_actor_user(actor),
            condition=_text(condition, 300),
            checkout=checkout,
        )
        late = is_overdue(device, when)
        device.status = DeviceStatus.IN_SERVICE
        device.holder = None
        device.out_since = None
        device.save(update_fields=["status", "holder", "out_since"])
        audit.record(
            DeviceEvents.RETURN,
            actor=actor,
            request=request,
            obj=device,
            details={"entry": entry.pk, "checkout": checkout.pk, "late": late},
        )
    return entry


def record_maintenance(
    actor: DeviceActor,
    device: Device,
    *,
    start: dt.datetime,
    end: dt.datetime | None = None,
    work_done: str,
    request: HttpRequest | None = None,
) -> LedgerEntry:
    """Record a maintenance 保养 done from ``start`` to ``end`` (both past)."""
    access.require(actor, DevicePerms.MANAGE, device, request=request)
    start = _past("start", start)
    end = _past("end", end) if end is not None else None
    if end is not None and end < start:
        raise ValidationError({"end": [_("The end cannot be before the start.")]})
    work = str(work_done or "").strip()
    if not work:
        raise ValidationError({"work_done": [_("Describe what was done.")]})
    with transaction.atomic(durable=True):
        device = Device.objects.select_for_update().get(pk=device.pk)
        if device.status == DeviceStatus.CHECKED_OUT:
            raise ValidationError(_("The device is checked out: record its return first."))
        entry = LedgerEntry.objects.create(
            device=device,
            kind=EntryKind.MAINTENANCE,
            at=start,
            until=end,
            handled_by=_actor_user(actor),
            work_done=work,
        )
        audit.record(
            DeviceEvents.MAINTENANCE,
            actor=actor,
            request=request,
            obj=device,
            details={"entry": entry.pk},
        )
    return entry
