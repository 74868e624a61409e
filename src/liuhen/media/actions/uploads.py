"""Resumable uploads (tus 1.0.0, R15.1, R17.1): begin, receive, complete, cancel, expire.

The protocol views (``api/tus.py``) parse HTTP and call these actions; the partial files,
running digests and metadata are :mod:`liuhen.media.ingest.uploads`'. Each action checks
the uploader first; the rows and their audit events (``media.upload``,
``media.upload_terminate``) are written in one transaction. The bytes are written outside
any transaction: a PATCH is fsync'd before it is answered, and the partial file's size is
the truth after a crash. At completion the record is made by
``media.actions.ingest._create_record`` in the same transaction as the upload's row.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.core import audit, blobs, tasks
from liuhen.core.access import AccessDenied
from liuhen.core.audit import Actor
from liuhen.core.blobs import fsync_dir, make_dirs
from liuhen.core.models import Outcome
from liuhen.devices.models import Device
from liuhen.media.actions.ingest import _create_record, refuse_change, require_uploader
from liuhen.media.events import MediaEvents
from liuhen.media.ingest import capture
from liuhen.media.ingest.fields import Uploader
from liuhen.media.ingest.uploads import (
    Readable,
    TusError,
    append_body,
    check_range,
    current_offset,
    digest_file,
    expiry_from,
    is_expired,
    locked_partial,
    partial_dir,
    partial_path,
    record_fields,
    remove_partial,
    running_digests,
    sm3_inline,
)
from liuhen.media.models import AvRecord, TusUpload
from liuhen.media.perms import MediaPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

# --- creation -------------------------------------------------------------------------------


def create_upload(
    actor: Uploader,
    *,
    length: int,
    metadata: dict[str, str],
    request: HttpRequest | None = None,
) -> TusUpload:
    """Begin an upload of ``length`` bytes (audited as ``media.upload``)."""
    require_uploader(actor, request=request)
    if length <= 0:
        raise TusError(400, "empty_file", _("The file is empty."))
    if length > settings.TUS_MAX_SIZE:
        raise TusError(
            413,
            "too_large",
            _("The file is larger than the %(max)s bytes the server accepts.")
            % {"max": settings.TUS_MAX_SIZE},
        )
    fields = record_fields(actor, metadata)
    now = timezone.now()
    with transaction.atomic(durable=True):
        upload = TusUpload.objects.create(
            length=length,
            metadata=metadata,
            created_by=actor if isinstance(actor, User) else None,
            via_device=actor if isinstance(actor, Device) else None,
            created_at=now,
            expires_at=expiry_from(now),
        )
        audit.record(
            MediaEvents.UPLOAD,
            actor=actor,
            request=request,
            obj=upload,
            details={
                "length": length,
                "name": fields["original_name"],
                "source": fields["source"],
                "device": fields["device"].serial if fields["device"] else None,
            },
        )
    # The partial file appears after the row; a crash in between is harmless (the first
    # PATCH creates it), so is a partial file without a row (expire_uploads removes it).
    directory = partial_dir()
    make_dirs(directory)
    fd = os.open(partial_path(upload.pk), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    os.close(fd)
    fsync_dir(directory)
    return upload


@dataclass
class Received:
    """What a PATCH achieved: the new offset, and the record once the upload is complete."""

    offset: int
    record: AvRecord | None = None


def receive(
    actor: Uploader,
    upload: TusUpload,
    stream: Readable,
    *,
    offset: int,
    length: int,
    checksum: tuple[str, bytes] | None = None,
    request: HttpRequest | None = None,
) -> Received:
    """Append a PATCH body of ``length`` bytes at ``offset``; complete the upload when its
    last byte has come. ``checksum``: (algorithm, expected digest) of this body."""
    if upload.record_id is not None:
        check_range(upload, int(upload.length), offset, length)
        return Received(int(upload.length), upload.record)
    require_uploader(actor, request=request)
    with locked_partial(upload) as (fd, path):
        try:
            upload.refresh_from_db(fields=["record", "expires_at"])
        except TusUpload.DoesNotExist:  # expired and removed while this request waited
            raise TusError(404, "not_found", _("No such upload.")) from None
        if upload.record_id is not None:  # completed by another request meanwhile
            check_range(upload, int(upload.length), offset, length)
            return Received(int(upload.length), upload.record)
        if is_expired(upload):
            raise TusError(410, "expired", _("This upload has expired; start it again."))
        current = os.fstat(fd).st_size
        check_range(upload, current, offset, length)
        upload.expires_at = expiry_from(timezone.now())  # an upload in use does not expire
        TusUpload.objects.filter(pk=upload.pk).update(expires_at=upload.expires_at)
        if length:
            current = append_body(upload, fd, stream, offset, length, checksum)
        if current < upload.length:
            return Received(current)
        record = _complete(actor, upload, fd, path, request=request)
        return Received(current, record)


def _complete(
    actor: Uploader,
    upload: TusUpload,
    fd: int,
    path: Path,
    *,
    request: HttpRequest | None = None,
) -> AvRecord:
    """The last byte is in: digests, blob, record, and away with the partial name.

    The uploader is checked again: the record is made now, perhaps long after the upload
    began. The blob is adopted before the transaction (S3 reads the file once)."""
    require_uploader(actor, request=request)
    os.fsync(fd)
    digest = running_digests.take(upload.pk, int(upload.length))
    if digest is not None:
        info = digest.info()
    else:
        logger.info("upload %s: finishing the digests in one read of the file", upload.pk)
        info = digest_file(path, with_sm3=sm3_inline())
    fields = record_fields(actor, upload.metadata)
    blob = blobs.adopt_blob(path, info)
    file_time = capture.file_time(blob, fields["original_name"], fields.get("content_type", ""))
    with transaction.atomic(durable=True):
        record = _create_record(
            actor,
            blob,
            file_time=file_time,
            **fields,
            metadata={"tus_upload": str(upload.pk)},
            request=request,
        )
        TusUpload.objects.filter(pk=upload.pk).update(
            record=record, expires_at=expiry_from(timezone.now())
        )
        if blobs.needs_sm3(blob):
            sha256 = blob.sha256
            transaction.on_commit(lambda: queue_sm3(sha256))
    upload.record = record
    running_digests.drop(upload.pk)
    remove_partial(path)
    return record


def queue_sm3(sha256: str) -> None:
    """``LIUHEN_INGEST_SM3=deferred``: the SM3 is computed by the task worker."""
    tasks.compute_sm3.enqueue(sha256)


def finish_if_complete(
    actor: Uploader, upload: TusUpload, *, request: HttpRequest | None = None
) -> None:
    """Every byte is on disk but no record exists (the server stopped between the last
    byte and the record): make the record now. Asked by HEAD, which a client sends
    before resuming; a request holding the upload is left to finish it."""
    if upload.record_id is not None or current_offset(upload) != upload.length:
        return
    try:
        with locked_partial(upload) as (fd, path):
            upload.refresh_from_db(fields=["record"])
            if upload.record_id is None and os.fstat(fd).st_size == upload.length:
                _complete(actor, upload, fd, path, request=request)
    except TusError:
        return  # locked: the request holding it completes it


# --- termination and expiry ---------------------------------------------------------------------


def terminate(actor: Uploader, upload: TusUpload, *, request: HttpRequest | None = None) -> None:
    """Cancel an unfinished upload and discard its bytes. A finished one is an AV record,
    never deleted (R14.1): refused and audited."""
    if upload.record_id is None:
        with locked_partial(upload) as (fd, path):
            upload.refresh_from_db(fields=["record"])
            if upload.record_id is None:
                received = os.fstat(fd).st_size
                with transaction.atomic(durable=True):
                    TusUpload.objects.filter(pk=upload.pk).delete()
                    audit.record(
                        MediaEvents.UPLOAD_TERMINATE,
                        actor=actor,
                        request=request,
                        object_type="media.tusupload",
                        object_id=str(upload.pk),
                        details={
                            "length": upload.length,
                            "received": received,
                            "name": upload.metadata.get("filename", ""),
                        },
                    )
                running_digests.drop(upload.pk)
                remove_partial(path)
                return
    refuse_change(actor, upload.record, "terminate upload", request=request)
    raise TusError(
        403,
        "write_once",
        _("This upload is complete: its AV record can never be deleted."),
    )


@dataclass
class ExpiryReport:
    expired: int = 0
    finished_partials: int = 0
    stray_partials: int = 0
    forgotten: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "expired": self.expired,
            "finished_partials": self.finished_partials,
            "stray_partials": self.stray_partials,
            "forgotten": self.forgotten,
        }


def expire_uploads(actor: Actor, now: dt.datetime | None = None) -> ExpiryReport:
    """Remove unfinished uploads past their expiry (rows and partial files), partial
    files left behind by a crash, and completed uploads' rows past their expiry (the
    records stay; only the upload URL goes). Run by the scheduler."""
    now = now or timezone.now()
    report = ExpiryReport()
    for upload in TusUpload.objects.filter(record__isnull=True, expires_at__lte=now):
        try:
            with locked_partial(upload) as (fd, path):
                received = os.fstat(fd).st_size
                with transaction.atomic(durable=True):
                    # Under the lock: a PATCH that just went through extended the expiry.
                    gone, _kinds = TusUpload.objects.filter(
                        pk=upload.pk, record__isnull=True, expires_at__lte=now
                    ).delete()
                    if not gone:
                        continue
                    audit.record(
                        MediaEvents.UPLOAD_TERMINATE,
                        actor=actor,
                        object_type="media.tusupload",
                        object_id=str(upload.pk),
                        details={"expired": True, "length": upload.length, "received": received},
                    )
                running_digests.drop(upload.pk)
                remove_partial(path)
                report.expired += 1
        except TusError:
            continue  # a PATCH is sending it right now: not expired after all
    report.forgotten = TusUpload.objects.filter(record__isnull=False, expires_at__lte=now).delete()[
        0
    ]
    directory = partial_dir()
    if not directory.is_dir():
        return report
    known = dict(TusUpload.objects.values_list("pk", "record_id"))
    stale = (now - dt.timedelta(hours=settings.TUS_EXPIRY_HOURS)).timestamp()
    for entry in directory.iterdir():
        try:
            upload_id = uuid.UUID(entry.name.removesuffix(".part"))
        except ValueError:
            continue
        if upload_id in known and known[upload_id] is not None:
            remove_partial(entry)  # the record exists; the process stopped before this
            report.finished_partials += 1
        elif upload_id not in known:
            with contextlib.suppress(FileNotFoundError):
                if entry.stat().st_mtime < stale:  # not one being created right now
                    remove_partial(entry)
                    report.stray_partials += 1
    return report


def refuse_unenrolled_device(serial: str, *, request: HttpRequest | None = None) -> NoReturn:
    """A device token whose serial is no longer enrolled may not upload: refused, and
    the attempt audited with the serial the token names."""
    with transaction.atomic():
        audit.record(
            MediaEvents.UPLOAD,
            request=request,
            object_type="devices.device",
            outcome=Outcome.DENIED,
            details={"serial": serial},
        )
    raise AccessDenied(MediaPerms.UPLOAD)
