"""What the device ledger says (R13.1, R14.1, R16.1): who held a device when, how long a
checkout may last, which devices are overdue, and who may be issued a device.

Read by the device pages and API, the device actions, and the AV records (a recording's
officer is the one who held its recorder when it was captured).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from liuhen.accounts.models import Role, User
from liuhen.core import rules
from liuhen.devices.models import Device, DeviceStatus, EntryKind, LedgerEntry


def checkout_limit() -> dt.timedelta:
    return dt.timedelta(hours=int(rules.value("device_checkout_hours")))


def overdue_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Devices out since before this are overdue (not returned in time, R14.1)."""
    return (now or timezone.now()) - checkout_limit()


def is_overdue(device: Device, now: dt.datetime | None = None) -> bool:
    return (
        device.status == DeviceStatus.CHECKED_OUT
        and device.out_since is not None
        and device.out_since < overdue_cutoff(now)
    )


def who_had(device: Device | int, at: dt.datetime) -> User | None:
    """The officer who held ``device`` at ``at`` according to the ledger, or None."""
    device_id = device.pk if isinstance(device, Device) else device
    checkout = (
        LedgerEntry.objects.filter(device_id=device_id, kind=EntryKind.CHECKOUT, at__lte=at)
        .select_related("holder")
        .order_by("-at", "-id")
        .first()
    )
    if checkout is None:
        return None
    returned = LedgerEntry.objects.filter(
        device_id=device_id, kind=EntryKind.RETURN, checkout=checkout, at__lte=at
    ).exists()
    return None if returned else checkout.holder


def issuable_holders(device: Device) -> QuerySet[User]:
    """The officers of the device's unit, to whom a keeper may issue it (R13.1); the
    checkout action checks the one chosen."""
    return (
        User.objects.filter(is_active=True, unit_id=device.unit_id, role_grants__role=Role.OFFICER)
        .distinct()
        .order_by("full_name")
    )
