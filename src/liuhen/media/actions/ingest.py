"""Bringing a recording in (R14–R17): the AV record, its probe, and the refusal of changes.

Every way in — the tus upload endpoint (:mod:`liuhen.media.actions.uploads`),
``liuhen import-dock`` (:mod:`liuhen.media.actions.dock`), the third-party form — ends in
:func:`create_record`: it checks who is uploading, takes the capture time written inside
the file over the one given (:mod:`liuhen.media.ingest.capture`), works out the officer
(the checkout ledger at the capture time), the upload deadline (R15.1) and whether the
recorder was checked out to the uploader then (R14.1), writes the write-once
:class:`AvRecord` and its audit event in one transaction, and queues the probe.
:func:`ingest_stream` stores the bytes first (one pass: SHA-256 and SM3 while writing).
"""

from __future__ import annotations

import datetime as dt
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from liuhen.accounts.models import User
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.core.blobs import store_blob
from liuhen.core.models import Blob, Outcome
from liuhen.devices.ledger import who_had
from liuhen.devices.models import Device
from liuhen.media.events import MediaEvents
from liuhen.media.ingest import capture
from liuhen.media.ingest.deadlines import upload_deadline
from liuhen.media.ingest.fields import (
    Uploader,
    aware,
    check_fields,
    content_type_of,
    file_name,
    kind_of,
    unit_for,
)
from liuhen.media.ingest.probe import read_facts
from liuhen.media.models import AvProbe, AvQuarantine, AvRecord, AvSource
from liuhen.media.perms import MediaPerms

if TYPE_CHECKING:
    from django.http import HttpRequest


def require_uploader(actor: Uploader, *, request: HttpRequest | None = None) -> None:
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


def create_record(
    actor: Uploader,
    blob: Blob,
    *,
    request: HttpRequest | None = None,
    **fields: Any,
) -> AvRecord:
    """Record that ``blob`` came in as an AV record (write-once) and queue its probe.

    ``fields``: original_name, and as known source, content_type, device, officer,
    captured_at, late_reason, late_reason_text, provider, channel, obtained_at,
    needs_labelling, metadata (see :func:`_create_record`).
    """
    require_uploader(actor, request=request)
    file_time = capture.file_time(
        blob, fields.get("original_name", ""), fields.get("content_type", "")
    )
    with transaction.atomic(durable=True):
        return _create_record(actor, blob, file_time=file_time, request=request, **fields)


def _create_record(
    actor: Uploader,
    blob: Blob,
    *,
    original_name: str,
    file_time: dt.datetime | None,
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
    """The record, written inside the caller's transaction (an upload's completion and a
    station file's import write their own rows with it). The caller checked the uploader
    and read ``file_time`` (``capture.file_time``) before its transaction."""
    name = file_name(original_name)
    if not name:
        raise ValidationError({"original_name": [_("The file has no name.")]})
    declared_at = aware(captured_at)
    obtained_at = aware(obtained_at)
    check_fields(
        actor,
        device=device,
        captured_at=declared_at,
        obtained_at=obtained_at,
        late_reason=late_reason,
        late_reason_text=late_reason_text,
        source=source,
        provider=provider,
        channel=channel,
    )
    now = timezone.now()
    captured_at = capture.settle(declared_at, file_time)
    if officer is None and device is not None and captured_at is not None:
        officer = who_had(device, captured_at)
    content_type = content_type_of(name, content_type)
    deadline = upload_deadline(device, captured_at, now, with_reason=bool(late_reason))
    record = AvRecord.objects.create(
        blob=blob,
        kind=kind_of(content_type),
        source=source,
        original_name=name,
        content_type=content_type,
        unit=unit_for(actor, device, officer),
        device=device,
        officer=officer,
        captured_at=captured_at,
        declared_captured_at=declared_at,
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
        checkout_problem=capture.checkout_problem(actor, device, captured_at),
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
            "captured_at": captured_at.isoformat() if captured_at else None,
            "declared_captured_at": declared_at.isoformat() if declared_at else None,
            "checkout_problem": record.checkout_problem,
        },
    )
    transaction.on_commit(lambda: queue_probe(record.pk))
    return record


def ingest_stream(
    actor: Uploader, stream: IO[bytes], *, request: HttpRequest | None = None, **fields: Any
) -> AvRecord:
    """Store the bytes (one pass, SHA-256 + SM3) and :func:`create_record` them.

    Access is checked before a byte is stored. A refused or invalid record leaves at most
    an unreferenced blob (content-addressed, reported by fixity as on record, harmless).
    Storing large bytes runs before the record's transaction, never inside it.
    """
    require_uploader(actor, request=request)
    blob = store_blob(stream)
    return create_record(actor, blob, request=request, **fields)


def refuse_change(
    actor: Uploader | Actor,
    record: AvRecord | None,
    what: str,
    *,
    request: HttpRequest | None = None,
) -> None:
    """R14.1: an AV record is never edited, cut or deleted. The attempt is audited —
    against the record when the one asking may see it."""
    with transaction.atomic(durable=True):
        audit.record(
            MediaEvents.MODIFY,
            actor=actor,
            request=request,
            obj=record,
            object_type="media.avrecord",
            outcome=Outcome.DENIED,
            details={"attempted": what},
        )


# --- the probe -------------------------------------------------------------------------


def queue_probe(record_id: int) -> None:
    """Read duration, codecs, EXIF and make a thumbnail in the background."""
    probe_in_worker.enqueue(record_id)


def probe_record(actor: Actor, record_id: int) -> AvProbe:
    """Probe the record's file and keep the result (once; a second call returns the first).

    The system's work, not a person's: the file is read before the transaction (it may
    be large), and a file that cannot be read gets a probe row with its error and is
    quarantined in the same transaction (no decodable video, sound or photo).
    """
    existing = AvProbe.objects.filter(record_id=record_id).first()
    if existing is not None:
        return existing
    record = AvRecord.objects.select_related("blob").get(pk=record_id)
    facts = read_facts(record)
    try:
        with transaction.atomic(durable=True):
            probe = AvProbe.objects.create(
                record=record,
                duration=facts.duration,
                video_codec=facts.video_codec[:40],
                audio_codec=facts.audio_codec[:40],
                width=facts.width,
                height=facts.height,
                created=facts.created,
                gps_lat=facts.gps_lat,
                gps_lon=facts.gps_lon,
                thumbnail=facts.thumbnail,
                error=facts.error[:500],
                details=facts.details,
            )
            audit.record(
                MediaEvents.PROBE,
                actor=actor,
                obj=record,
                outcome=Outcome.FAILED if facts.error else Outcome.OK,
                details={
                    "duration": facts.duration,
                    "video_codec": facts.video_codec,
                    "audio_codec": facts.audio_codec,
                    "width": facts.width,
                    "height": facts.height,
                    "thumbnail": facts.thumbnail.sha256 if facts.thumbnail else None,
                    "error": facts.error,
                },
            )
            if facts.error:
                _quarantine(actor, record, facts.error)
    except IntegrityError:
        # Another worker probed it in the meantime (the probe is one per record).
        return AvProbe.objects.get(record_id=record_id)
    return probe


def _quarantine(actor: Actor, record: AvRecord, reason: str) -> AvQuarantine:
    """The probe found no decodable video, sound or photo in the file: the record is kept
    (R14.1) but quarantined — never linked, never counted as a recording (R5.2)."""
    quarantine = AvQuarantine.objects.create(record=record, reason=reason[:500])
    audit.record(
        MediaEvents.QUARANTINE,
        actor=actor,
        obj=record,
        outcome=Outcome.FAILED,
        details={
            "name": record.original_name,
            "sha256": record.blob.sha256,
            "source": record.source,
            "reason": quarantine.reason,
        },
    )
    return quarantine


@task()
def probe_in_worker(record_id: int) -> None:
    """The probe of a record just brought in, run by the task worker (queued on commit).

    Defined beside the action it runs: the action that queues it is in this module."""
    probe_record(audit.SYSTEM, record_id)
