"""The device register 执法记录仪台账 (R13.1, R4.3): one filter for the list, its exports and
the API, and the register's columns (the register kit, ``core.registers``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liuhen.core import access
from liuhen.core.registers import Column, Register, is_checked, local_date, unit_filter, yes
from liuhen.devices.events import DeviceEvents
from liuhen.devices.ledger import is_overdue, overdue_cutoff
from liuhen.devices.models import Device, DeviceStatus
from liuhen.devices.perms import DevicePerms

PAGE_SIZE = 50


def filtered(user: Any, params: Mapping[str, Any]) -> tuple[QuerySet[Device], dict[str, str]]:
    """The devices ``user`` may see that match the filter (unit, status, overdue), ordered
    by serial number, and the filter as recognised."""
    devices = access.visible(user, Device.objects.select_related("unit", "holder"))
    filters = unit_filter(params)
    if filters:
        devices = devices.filter(unit_id=int(filters["unit"]))
    status = str(params.get("status") or "")
    if status in DeviceStatus.values:
        devices = devices.filter(status=status)
        filters["status"] = status
    if is_checked(params, "overdue"):
        devices = devices.filter(status=DeviceStatus.CHECKED_OUT, out_since__lt=overdue_cutoff())
        filters["overdue"] = "1"
    return devices.order_by("serial"), filters


class DeviceRegister(Register[Device]):
    title = _("Device register")
    file_stem = "device-register"
    permission = DevicePerms.LIST
    event = DeviceEvents.EXPORT
    object_type = "devices.device"
    columns = (
        Column(_("Serial number"), lambda device: device.serial),
        Column(_("Kind"), lambda device: device.get_kind_display()),
        Column(_("Model"), lambda device: device.model),
        Column(_("Unit"), lambda device: device.unit.name),
        Column(_("Status"), lambda device: device.get_status_display()),
        Column(_("Overdue"), lambda device: yes(is_overdue(device))),
        Column(_("Held by"), lambda device: device.holder.display_name if device.holder else ""),
        Column(_("Out since"), lambda device: device.out_since),
        Column(_("Storage place"), lambda device: device.storage_place),
        Column(_("Registered"), lambda device: local_date(device.registered_at)),
    )


REGISTER = DeviceRegister()
