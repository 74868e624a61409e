"""AV record actions (R14–R18): bring a recording in, and refuse changes to it.

Every way in — the tus upload endpoint, ``liuhen import-dock``, the third-party form —
ends in :func:`register`: it checks who is uploading, works out the officer (the checkout
ledger at the capture time) and the upload deadline (R15.1), writes the write-once
:class:`AvRecord` and its audit event in one transaction, and queues the probe.
:func:`ingest` stores the bytes first (one pass: SHA-256 and SM3 while writing).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.core import access, audit
from liuhen.core.blobs import store_blob
from liuhen.core.models import Blob, Outcome
from liuhen.devices.actions import who_had
from liuhen.devices.models import Device
from liuhen.devices.perms import DevicePerms
from liuhen.media import probe
from liuhen.media.deadlines import upload_deadline
from liuhen.media.events import MediaEvents
from liuhen.media.models import AvKind, AvRecord, AvSource, LateReason
from liuhen.media.perms import MediaPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import Unit

# A time "now" from a tablet or a recorder clock may be a little ahead.
CLOCK_SLACK = dt.timedelta(minutes=10)
_KIND_BY_TYPE = {"video": AvKind.VIDEO, "audio": AvKind.AUDIO, "image": AvKind.PHOTO}
# Recorder formats mimetypes does not know everywhere.
_EXTRA_TYPES = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".avi": "video/x-msvideo",
    ".mkv": "video/x-matroska",
    ".ts": "video/mp2t",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".aac": "audio/aac",
    ".m4a": "audio/mp4",
    ".amr": "audio/amr",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".heic": "image/heic",
}

Uploader = User | Device
# RFC 6838 type/subtype, nothing else (no parameters, no spaces, no line breaks).
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$")


def content_type_of(name: str, declared: str = "") -> str:
    suffix = PurePath(name).suffix.lower()
    guessed = _EXTRA_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or ""
    declared = (declared or "").split(";")[0].strip().lower()
    # A client's word is kept only when it is a well-formed type (it becomes a header).
    if _MEDIA_TYPE.match(declared) and declared != "application/octet-stream":
        return declared[:100]
    return guessed or "application/octet-stream"


def kind_of(content_type: str) -> AvKind:
    return _KIND_BY_TYPE.get(content_type.split("/")[0], AvKind.OTHER)


def require_uploader(actor: Any, *, request: HttpRequest | None = None) -> None:
    """A person allowed to upload, or a station/terminal in service (device token)."""
    if isinstance(actor, Device):
        if actor.can_upload:
            return
        with transaction.atomic():
            audit.record(
                MediaEvents.UPLOAD,
                actor=actor,
                request=request,
                obj=actor,
                outcome=Outcome.DENIED,
            )
        raise access.AccessDenied(MediaPerms.UPLOAD)
    access.require(actor, MediaPerms.UPLOAD, request=request)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _unit_for(actor: Any, device: Device | None, officer: User | None) -> Unit:
    for unit in (
        device.unit if device is not None else None,
        officer.unit if officer is not None else None,
        getattr(actor, "unit", None),
    ):
        if unit is not None:
            return unit
    raise ValidationError(
        {"unit": [_("The record belongs to no unit: name the device or officer.")]}
    )


def check_fields(
    actor: Uploader,
    *,
    device: Device | None = None,
    captured_at: dt.datetime | None = None,
    obtained_at: dt.datetime | None = None,
    late_reason: str = "",
    late_reason_text: str = "",
    source: str = AvSource.UPLOAD,
    provider: str = "",
    channel: str = "",
    errors: dict[str, list[str]] | None = None,
) -> None:
    """What every way in checks before a record is made (the tus endpoint asks at
    creation, before a byte is sent). Raises one ValidationError naming every field."""
    errors = dict(errors or {})
    now = timezone.now()
    for field, when in (("captured_at", captured_at), ("obtained_at", obtained_at)):
        if when is not None and when > now + CLOCK_SLACK:
            errors.setdefault(field, [_("The time cannot be in the future.")])
    if (
        device is not None
        and isinstance(actor, User)
        and not access.can(actor, DevicePerms.VIEW, device)
    ):
        # A person names only a device of their own unit (or one the custodian keeps):
        # the record's unit, officer and upload deadline follow the device.
        errors.setdefault("device", [_("You may not name this device.")])
    if late_reason not in LateReason.values:
        errors.setdefault("late_reason", [_("Choose a listed reason.")])
    elif late_reason and not late_reason_text.strip():
        errors.setdefault(
            "late_reason_text", [_("Describe the circumstances of the later upload.")]
        )
    if source == AvSource.THIRD_PARTY:
        # R17.1: who provided it, how it was obtained and when.
        required = _("This field is required for third-party material.")
        for field, value in (("provider", provider), ("channel", channel)):
            if not str(value or "").strip():
                errors.setdefault(field, [required])
        if obtained_at is None:
            errors.setdefault("obtained_at", [required])
    if errors:
        raise ValidationError(errors)


def register(
    actor: Uploader,
    blob: Blob,
    *,
    original_name: str,
    source: str = AvSource.UPLOAD,
    content_type: str = "",
    device: Device | None = None,
    officer: User | None = None,
    captured_at: dt.datetime | None = None,
    late_reason: str = "",
    late_reason_text: str = "",
    provider: str = "",
    channel: str = "",
    obtained_at: dt.datetime | None = None,
    needs_labelling: bool = False,
    metadata: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AvRecord:
    """Record that ``blob`` came in as an AV record (write-once) and queue its probe."""
    require_uploader(actor, request=request)
    name = PurePath(str(original_name or "").replace("\\", "/")).name.strip()[:255]
    if not name:
        raise ValidationError({"original_name": [_("The file has no name.")]})
    captured_at = _aware(captured_at)
    obtained_at = _aware(obtained_at)
    check_fields(
        actor,
        device=device,
        captured_at=captured_at,
        obtained_at=obtained_at,
        late_reason=late_reason,
        late_reason_text=late_reason_text,
        source=source,
        provider=provider,
        channel=channel,
    )
    now = timezone.now()
    if officer is None and device is not None and captured_at is not None:
        officer = who_had(device, captured_at)
    content_type = content_type_of(name, content_type)
    deadline = upload_deadline(device, captured_at, now, with_reason=bool(late_reason))
    with transaction.atomic():
        record = AvRecord.objects.create(
            blob=blob,
            kind=kind_of(content_type),
            source=source,
            original_name=name,
            content_type=content_type,
            unit=_unit_for(actor, device, officer),
            device=device,
            officer=officer,
            captured_at=captured_at,
            uploaded_by=actor if isinstance(actor, User) else None,
            via_device=actor if isinstance(actor, Device) else None,
            uploaded_at=now,
            returned_at=deadline.returned_at,
            due_at=deadline.due_at,
            late=deadline.late,
            late_reason=late_reason,
            late_reason_text=late_reason_text.strip()[:300],
            provider=provider.strip()[:200],
            channel=channel.strip()[:200],
            obtained_at=obtained_at,
            needs_labelling=needs_labelling,
            metadata=metadata or {},
        )
        audit.record(
            MediaEvents.INGEST,
            actor=actor,
            request=request,
            obj=record,
            details={
                "sha256": blob.sha256,
                "sm3": blob.sm3,
                "size": blob.size,
                "source": source,
                "name": name,
                "device": device.serial if device else None,
                "late": deadline.late,
            },
        )
        transaction.on_commit(lambda: queue_probe(record.pk))
    return record


def ingest(actor: Uploader, stream: IO[bytes], **fields: Any) -> AvRecord:
    """Store the bytes (one pass, SHA-256 + SM3) and :func:`register` them.

    Access is checked before a byte is stored. A refused or invalid record leaves at most
    an unreferenced blob (content-addressed, reported by fixity as on record, harmless).
    """
    require_uploader(actor, request=fields.get("request"))
    blob = store_blob(stream)
    return register(actor, blob, **fields)


def queue_probe(record_id: int) -> None:
    """Read duration, codecs, EXIF and make a thumbnail in the background."""
    probe.probe_record.enqueue(record_id)


def refuse_change(
    actor: Any, record: AvRecord | None, what: str, *, request: HttpRequest | None = None
) -> None:
    """R14.1: an AV record is never edited, cut or deleted. The attempt is audited."""
    with transaction.atomic():
        audit.record(
            MediaEvents.MODIFY,
            actor=actor,
            request=request,
            obj=record,
            object_type="media.avrecord",
            outcome=Outcome.DENIED,
            details={"attempted": what},
        )
