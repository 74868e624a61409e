"""AV devices (R13.1): the registry and its ledger; checkout 领取 and return 归还.

The same actions and access policy as the pages; a device (or holder) the caller may not
see is answered 404, exactly as one that does not exist, and the attempt is audited
(``access.get_visible_or_404``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from liuhen.accounts.models import User
from liuhen.accounts.perms import AccountPerms
from liuhen.api.auth import person
from liuhen.api.lookups import display_name
from liuhen.api.pagination import Pagination
from liuhen.api.schemas import ERRORS, ERRORS_404
from liuhen.core import access
from liuhen.devices import actions, ledger, registers
from liuhen.devices.models import Device, LedgerEntry
from liuhen.devices.perms import DevicePerms

router = Router(tags=["devices"])


class DeviceOut(Schema):
    id: int
    serial: str
    kind: str = Field(description="recorder, camera, audio_recorder, terminal or station")
    model: str
    unit_id: int
    status: str = Field(description="in_service, checked_out, maintenance or retired")
    storage_place: str
    holder_id: int | None
    holder_name: str
    out_since: dt.datetime | None
    overdue: bool = Field(description="out longer than the rule device_checkout_hours")

    @staticmethod
    def resolve_holder_name(device: Device) -> str:
        return display_name(device.holder)

    @staticmethod
    def resolve_overdue(device: Device) -> bool:
        return ledger.is_overdue(device)


class LedgerEntryOut(Schema):
    id: int
    kind: str = Field(description="checkout 领取, return 归还 or maintenance 保养")
    at: dt.datetime
    until: dt.datetime | None
    holder_id: int | None
    holder_name: str
    handled_by_id: int | None
    handled_by_name: str
    condition: str
    work_done: str
    checkout_id: int | None

    @staticmethod
    def resolve_holder_name(entry: LedgerEntry) -> str:
        return display_name(entry.holder)

    @staticmethod
    def resolve_handled_by_name(entry: LedgerEntry) -> str:
        return display_name(entry.handled_by)


class DeviceDetailOut(DeviceOut):
    notes: str
    ledger: list[LedgerEntryOut] = Field(description="newest first")

    @staticmethod
    def resolve_ledger(device: Device) -> list[Any]:
        return getattr(device, "ledger_rows", [])


class CheckoutIn(Schema):
    holder_id: int | None = Field(None, description="who takes it; empty: yourself")
    at: dt.datetime | None = Field(None, description="when taken; empty: now")
    condition: str = Field("", max_length=300)


class ReturnIn(Schema):
    at: dt.datetime | None = Field(None, description="when given back; empty: now")
    condition: str = Field("", max_length=300)


def _visible_device(request: HttpRequest, device_id: int) -> Device:
    return access.get_visible_or_404(
        request.user,
        Device.objects.select_related("holder"),
        action=DevicePerms.VIEW,
        request=request,
        pk=device_id,
    )


def _detail(device: Device) -> Device:
    device.ledger_rows = list(  # type: ignore[attr-defined]
        device.ledger.select_related("holder", "handled_by")
    )
    return device


@router.get("/devices", response={200: list[DeviceOut], **ERRORS}, summary="List devices")
@paginate(Pagination)
def list_devices(
    request: HttpRequest,
    unit: int | None = Query(None, description="unit id"),
    status: str = Query("", description="in_service, checked_out, maintenance or retired"),
    overdue: bool = Query(False, description="only devices out longer than allowed"),
) -> QuerySet[Any]:
    access.require(request.user, DevicePerms.LIST, request=request)
    params = {"unit": str(unit or ""), "status": status, "overdue": "1" if overdue else ""}
    return registers.filtered(request.user, params)[0]


@router.get(
    "/devices/{device_id}",
    response={200: DeviceDetailOut, **ERRORS_404},
    summary="One device with its ledger",
)
def get_device(request: HttpRequest, device_id: int) -> Device:
    return _detail(_visible_device(request, device_id))


@router.post(
    "/devices/{device_id}/checkout",
    response={201: DeviceDetailOut, **ERRORS_404},
    summary="Check a device out (领取)",
)
def checkout_device(request: HttpRequest, device_id: int, payload: CheckoutIn) -> Status:
    """An officer takes a device of their unit; the custodian or the unit head may issue
    it to another officer (``holder_id``). A device out, in maintenance or retired: 422."""
    device = _visible_device(request, device_id)
    holder = None
    if payload.holder_id is not None:
        holder = access.get_visible_or_404(
            request.user, User, action=AccountPerms.VIEW, request=request, pk=payload.holder_id
        )
    actions.check_out(
        person(request, DevicePerms.CHECKOUT),
        device,
        holder=holder,
        at=payload.at,
        condition=payload.condition,
        request=request,
    )
    return Status(201, _detail(_visible_device(request, device_id)))


@router.post(
    "/devices/{device_id}/return",
    response={201: DeviceDetailOut, **ERRORS_404},
    summary="Return a device (归还)",
)
def return_device(request: HttpRequest, device_id: int, payload: ReturnIn) -> Status:
    """The officer who holds it, or the custodian / unit head receiving it. A device that
    is not out: 422."""
    device = _visible_device(request, device_id)
    actions.return_device(
        person(request, DevicePerms.RETURN),
        device,
        at=payload.at,
        condition=payload.condition,
        request=request,
    )
    return Status(201, _detail(_visible_device(request, device_id)))
