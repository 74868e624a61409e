"""When a recording was captured, and whether its recorder was checked out then (R14.1,
R15.1).

The time written inside the file (a container's ``creation_time``, a photo's EXIF time,
read by :func:`liuhen.media.ingest.probe.embedded_time`) is the capture time: the time
given at upload is only a guess (the upload page fills it from the file's last-modified
time, which is often when the file was copied). Where the two differ by more than
``rules.value("av_capture_time_tolerance_minutes")`` the record and the upload page warn.
The capture time decides the officer (the ledger), the upload deadline and the checkout
check below, and the activities a record is suggested for.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from liuhen.accounts.models import User
from liuhen.core import rules
from liuhen.core.models import Blob
from liuhen.devices.ledger import who_had
from liuhen.devices.models import Device
from liuhen.media.ingest.fields import (
    CLOCK_SLACK,
    Uploader,
    content_type_of,
    file_name,
    kind_of,
)
from liuhen.media.ingest.probe import embedded_time
from liuhen.media.models import AvRecord, CheckoutProblem


def file_time(blob: Blob, original_name: str, content_type: str = "") -> dt.datetime | None:
    """The capture time written inside the stored file; read before the record's
    transaction (the file's header may be in a remote store)."""
    kind = kind_of(content_type_of(file_name(original_name), content_type))
    return embedded_time(blob.sha256, kind)


def tolerance() -> dt.timedelta:
    return dt.timedelta(minutes=int(rules.value("av_capture_time_tolerance_minutes")))


def settle(declared: dt.datetime | None, embedded: dt.datetime | None) -> dt.datetime | None:
    """The capture time: the file's own when it has one, else the one given. A time in
    the file later than now is a recorder clock set wrong, not a capture time."""
    if embedded is None or embedded > timezone.now() + CLOCK_SLACK:
        return declared
    return embedded


def disagreement(captured_at: dt.datetime | None, declared: dt.datetime | None) -> dt.timedelta:
    """How far the time given lies from the capture time, when beyond the tolerance;
    zero when they agree or one of them is unknown."""
    if captured_at is None or declared is None:
        return dt.timedelta(0)
    gap = abs(captured_at - declared)
    return gap if gap > tolerance() else dt.timedelta(0)


def record_disagreement(record: AvRecord) -> dt.timedelta:
    return disagreement(record.captured_at, record.declared_captured_at)


def checkout_problem(
    uploader: Uploader, device: Device | None, captured_at: dt.datetime | None
) -> CheckoutProblem:
    """R14.1: a recorder's file captured while nobody had it checked out, or brought in by
    a person other than the one who held it. A station's import is not a person's upload;
    a file without a device or a capture time cannot be judged."""
    if device is None or captured_at is None:
        return CheckoutProblem.NONE
    holder = who_had(device, captured_at)
    if holder is None:
        return CheckoutProblem.NOT_CHECKED_OUT
    if isinstance(uploader, User) and uploader.pk != holder.pk:
        return CheckoutProblem.OTHER_UPLOADER
    return CheckoutProblem.NONE
