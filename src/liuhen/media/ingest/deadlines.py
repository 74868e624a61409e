"""The upload deadline of an AV record (R15.1).

A recording is due by the end of the day its device came back (归还); with a recorded
reason (continuous work, remote area) it is due ``rules.value("av_upload_grace_hours")``
(24 by default, regulation Art. 15) hours after the return. A device not
yet returned when the file arrives has no deadline to miss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from liuhen.core import rules
from liuhen.devices.models import Device, EntryKind, LedgerEntry


def grace_with_reason() -> dt.timedelta:
    return dt.timedelta(hours=int(rules.value("av_upload_grace_hours")))


@dataclass(frozen=True)
class UploadDeadline:
    returned_at: dt.datetime | None
    due_at: dt.datetime | None
    late: bool


NO_DEADLINE = UploadDeadline(None, None, False)


def end_of_local_day(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=23, minute=59, second=59, microsecond=999999)


def returned_after(device: Device, captured_at: dt.datetime) -> dt.datetime | None:
    """When the checkout that covered ``captured_at`` ended, or None (not returned)."""
    checkout = (
        LedgerEntry.objects.filter(device=device, kind=EntryKind.CHECKOUT, at__lte=captured_at)
        .order_by("-at", "-id")
        .first()
    )
    if checkout is None:
        return None
    back = (
        LedgerEntry.objects.filter(device=device, kind=EntryKind.RETURN, checkout=checkout)
        .order_by("at", "id")
        .first()
    )
    return back.at if back is not None else None


def upload_deadline(
    device: Device | None,
    captured_at: dt.datetime | None,
    uploaded_at: dt.datetime,
    *,
    with_reason: bool,
) -> UploadDeadline:
    if device is None or captured_at is None:
        return NO_DEADLINE
    returned_at = returned_after(device, captured_at)
    if returned_at is None or returned_at > uploaded_at:
        return NO_DEADLINE
    due_at = returned_at + grace_with_reason() if with_reason else end_of_local_day(returned_at)
    return UploadDeadline(returned_at, due_at, uploaded_at > due_at)
