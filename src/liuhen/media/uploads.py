"""Resumable uploads (tus 1.0.0): partial files, running digests, completion.

The protocol views (``api/tus.py``) parse HTTP; this module does the work. An upload
is a :class:`TusUpload` row and a partial file; the partial file's size on disk is the
true offset, so a crash loses nothing acknowledged (every PATCH is fsync'd before it is
answered).

Bytes flow once (architecture rule 5): a PATCH body is read from the WSGI input in
1 MiB chunks, written to the partial file with ``os.write`` and fed to the digests —
SHA-256 in the request thread, SM3 in a thread of its own — with no temporary copy and
no second read. The running digest state stays in this process between the PATCH
requests of one upload (:class:`DigestCache`, keyed by upload and offset). When the next
PATCH reaches another process (another gunicorn worker, a restarted server) the state
cannot follow it: that process writes without hashing, and at completion the digests
are computed in one read of the finished file. ``LIUHEN_TUS_RUNNING_DIGEST=false``
always takes that path (the benchmark measures both).

At completion the file is fsync'd, adopted into the blob store (the filesystem store
links it into place: partial files live in the store's own ``tmp/uploads/``; S3 uploads
it reading it once), recorded by ``media.actions.register`` — the write-once AV record
and its ``media.ingest`` audit event — and the partial name is removed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import logging
import os
import queue
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.core import audit, blobs, tasks
from liuhen.core.blobs import BlobInfo, fsync_dir, get_store, make_dirs
from liuhen.devices.models import Device
from liuhen.devices.tokens import normal_serial
from liuhen.media import actions
from liuhen.media.events import MediaEvents
from liuhen.media.models import AvRecord, AvSource, TusUpload

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

CHUNK_SIZE = blobs.CHUNK_SIZE
# As ``media.actions.register``: a tablet's or recorder's clock may be a little ahead.
# Chunks the SM3 thread may lag behind: enough to ride out the pauses of a disk that
# throttles writers (dirty-page writeback), few enough to keep a worker's memory small.
SM3_QUEUE_CHUNKS = 32
# Upload-Checksum algorithms (tus checksum extension), per PATCH body.
CHECKSUMS: dict[str, Callable[[], Any]] = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
# Sources an upload may declare; collection-station files come in by ``import-dock``.
UPLOAD_SOURCES = (AvSource.UPLOAD, AvSource.THIRD_PARTY)


class TusError(Exception):
    """A request the protocol answers with ``status`` (the views turn it into HTTP)."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


Uploader = User | Device


class Readable(Protocol):
    """A request body: the WSGI input behind ``HttpRequest.read``."""

    def read(self, size: int, /) -> bytes: ...


# --- settings -----------------------------------------------------------------------------


def sm3_inline() -> bool:
    """SM3 while receiving, unless ``LIUHEN_INGEST_SM3=deferred``."""
    return bool(settings.INGEST_SM3 != "deferred")


def partial_dir() -> Path:
    """Where partial files live: inside the filesystem store (completion is a link), else
    ``LIUHEN_TUS_PARTIAL_DIR``."""
    local = get_store().staging_dir()
    return local / "uploads" if local is not None else Path(settings.TUS_PARTIAL_DIR)


def partial_path(upload_id: uuid.UUID | str) -> Path:
    return partial_dir() / f"{uuid.UUID(str(upload_id))}.part"


def expiry_from(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(hours=settings.TUS_EXPIRY_HOURS)


# --- Upload-Metadata ------------------------------------------------------------------------


def parse_metadata(header: str) -> dict[str, str]:
    """``key base64,key base64,key`` → {key: text}; values are UTF-8."""
    result: dict[str, str] = {}
    for pair in (header or "").split(","):
        if not pair.strip():
            continue
        key, _sep, value = pair.strip().partition(" ")
        if not key or key in result:
            raise TusError(400, "bad_metadata", _("Upload-Metadata is not well formed."))
        try:
            result[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise TusError(
                400,
                "bad_metadata",
                _("Upload-Metadata: the value of %(key)s is not base64-encoded UTF-8.")
                % {"key": key},
            ) from None
    return result


def encode_metadata(metadata: dict[str, str]) -> str:
    """The Upload-Metadata header again (HEAD answers with what the client sent)."""
    return ",".join(
        f"{key} {base64.b64encode(str(value).encode()).decode('ascii')}"
        for key, value in metadata.items()
    )


def _when(meta: dict[str, str], field: str, errors: dict[str, list[str]]) -> dt.datetime | None:
    text = meta.get(field, "").strip()
    if not text:
        return None
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        errors[field] = [_("Give the time in ISO 8601 form, e.g. 2025-05-01T09:30:00+08:00.")]
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def record_fields(actor: Uploader, meta: dict[str, str]) -> dict[str, Any]:
    """The keyword arguments of ``actions.register`` from an upload's metadata.

    Checked when the upload is created, so the client hears of a mistake before it sends
    a byte (``register`` checks again at completion). Keys: filename, filetype, device
    (serial), captured_at, late_reason, late_reason_text, source (upload|third_party),
    provider, channel, obtained_at (times in ISO 8601).
    """
    errors: dict[str, list[str]] = {}
    raw_name = meta.get("filename") or meta.get("name") or ""
    name = PurePath(raw_name.replace("\\", "/")).name.strip()[:255]
    if not name:
        errors["filename"] = [_("The file has no name.")]
    device = None
    serial = normal_serial(meta.get("device", ""))
    if serial:
        device = Device.objects.filter(serial=serial).first()
        if device is None:
            errors["device"] = [_("No device with this serial number is registered.")]
    captured_at = _when(meta, "captured_at", errors)
    obtained_at = _when(meta, "obtained_at", errors)
    late_reason = meta.get("late_reason", "").strip()
    late_reason_text = meta.get("late_reason_text", "").strip()
    source = meta.get("source", "").strip() or AvSource.UPLOAD
    provider = meta.get("provider", "").strip()
    channel = meta.get("channel", "").strip()
    if source not in UPLOAD_SOURCES:
        errors["source"] = [_("The source must be upload or third_party.")]
    if device is None and "device" not in errors and getattr(actor, "unit_id", None) is None:
        errors["unit"] = [_("The record belongs to no unit: name the device or officer.")]
    actions.check_fields(
        actor,
        device=device,
        captured_at=captured_at,
        obtained_at=obtained_at,
        late_reason=late_reason,
        late_reason_text=late_reason_text,
        source=source,
        provider=provider,
        channel=channel,
        errors=errors,
    )
    return {
        "original_name": name,
        "content_type": (meta.get("filetype") or meta.get("type") or "").strip()[:100],
        "source": source,
        "device": device,
        "captured_at": captured_at,
        "late_reason": late_reason,
        "late_reason_text": late_reason_text,
        "provider": provider,
        "channel": channel,
        "obtained_at": obtained_at,
    }


# --- who may touch an upload ---------------------------------------------------------------


def find_upload(actor: Uploader, upload_id: uuid.UUID) -> TusUpload | None:
    """The upload, if ``actor`` made it (a person) or sent it (a device); else None, so
    another's upload is answered exactly like one that does not exist."""
    owner: dict[str, Any] = (
        {"via_device": actor} if isinstance(actor, Device) else {"created_by": actor}
    )
    return TusUpload.objects.filter(pk=upload_id, **owner).select_related("record").first()


def current_offset(upload: TusUpload) -> int:
    """How many bytes the server holds: the partial file's size on disk (the truth after
    a crash), or the whole length once the record exists."""
    if upload.record_id is not None:
        return int(upload.length)
    try:
        return os.stat(partial_path(upload.pk)).st_size
    except FileNotFoundError:
        return 0


def is_expired(upload: TusUpload, now: dt.datetime | None = None) -> bool:
    return upload.record_id is None and upload.expires_at <= (now or timezone.now())


# --- creation -------------------------------------------------------------------------------


def create_upload(
    actor: Uploader,
    *,
    length: int,
    metadata: dict[str, str],
    request: HttpRequest | None = None,
) -> TusUpload:
    """Begin an upload of ``length`` bytes (audited as ``media.upload``)."""
    actions.require_uploader(actor, request=request)
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
    with transaction.atomic():
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


# --- running digests ---------------------------------------------------------------------------


class RunningDigest:
    """SHA-256 (and SM3 unless deferred) of the first ``size`` bytes of a partial file."""

    def __init__(self, *, with_sm3: bool) -> None:
        self.sha256 = hashlib.sha256()
        self.sm3: Any = blobs.sm3_hasher() if with_sm3 else None
        self.size = 0

    def copy(self) -> RunningDigest:
        twin = RunningDigest.__new__(RunningDigest)
        twin.sha256 = self.sha256.copy()
        twin.sm3 = self.sm3.copy() if self.sm3 is not None else None
        twin.size = self.size
        return twin

    def info(self) -> BlobInfo:
        sm3 = self.sm3.hexdigest() if self.sm3 is not None else ""
        return BlobInfo(self.sha256.hexdigest(), sm3, self.size)


class _Feed:
    """One PATCH's chunks into a :class:`RunningDigest`: SHA-256 in the caller's thread,
    SM3 (the slow one) in its own thread through a bounded queue of immutable chunks."""

    def __init__(self, digest: RunningDigest) -> None:
        self.digest = digest
        self._queue: queue.Queue[bytes | None] | None = None
        self._thread: threading.Thread | None = None
        if digest.sm3 is not None:
            self._queue = queue.Queue(maxsize=SM3_QUEUE_CHUNKS)
            self._thread = threading.Thread(target=self._run, name="sm3", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        assert self._queue is not None
        while (chunk := self._queue.get()) is not None:
            self.digest.sm3.update(chunk)

    def update(self, chunk: bytes) -> None:
        if self._queue is not None:
            self._queue.put(chunk)
        self.digest.sha256.update(chunk)
        self.digest.size += len(chunk)

    def close(self) -> None:
        if self._queue is not None and self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = self._thread = None


class DigestCache:
    """This process's running digests, keyed by upload; an entry is only used by a PATCH
    at exactly its offset (the bytes below an acknowledged offset never change)."""

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self._items: OrderedDict[uuid.UUID, RunningDigest] = OrderedDict()

    def take(self, upload_id: uuid.UUID, offset: int) -> RunningDigest | None:
        with self._lock:
            digest = self._items.pop(upload_id, None)
        return digest if digest is not None and digest.size == offset else None

    def keep(self, upload_id: uuid.UUID, digest: RunningDigest) -> None:
        with self._lock:
            self._items[upload_id] = digest
            self._items.move_to_end(upload_id)
            while len(self._items) > self.capacity:  # abandoned uploads
                self._items.popitem(last=False)

    def drop(self, upload_id: uuid.UUID) -> None:
        with self._lock:
            self._items.pop(upload_id, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


running_digests = DigestCache()


def digest_file(path: Path, *, with_sm3: bool) -> BlobInfo:
    """The digests of a finished partial file, in one read (when the running state was
    lost between processes, or ``LIUHEN_TUS_RUNNING_DIGEST=false``)."""
    digest = RunningDigest(with_sm3=with_sm3)
    feed = _Feed(digest)
    try:
        with open(path, "rb", buffering=0) as handle:
            while chunk := handle.read(CHUNK_SIZE):
                feed.update(bytes(chunk))
    finally:
        feed.close()
    return digest.info()


# --- the partial file ---------------------------------------------------------------------------


def _open_partial(path: Path) -> tuple[int, bool]:
    """The partial file's descriptor, and whether this call created the file."""
    make_dirs(path.parent)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o640), True
    except FileExistsError:
        pass
    try:
        return os.open(path, os.O_RDWR), False
    except PermissionError:
        # Adopted by the store already (mode 0444, a stop before the record was made):
        # complete, so nothing is written to it again.
        return os.open(path, os.O_RDONLY), False
    except FileNotFoundError:  # removed just now: the callers look at the row again
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o640), True


@contextlib.contextmanager
def _locked_partial(upload: TusUpload) -> Iterator[tuple[int, Path]]:
    """The partial file, opened and locked against every other request on this upload
    (in any process): a second PATCH at the same time is refused, not interleaved."""
    path = partial_path(upload.pk)
    fd, created = _open_partial(path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            raise TusError(
                423, "locked", _("Another request is sending this upload; try again later.")
            ) from None
        yield fd, path
    finally:
        os.close(fd)  # also releases the lock
        # A file made for an upload that was finished or cancelled meanwhile is litter.
        if created and not TusUpload.objects.filter(pk=upload.pk, record__isnull=True).exists():
            _remove_partial(path)


class _Writeback:
    """Start writing the received bytes to disk while more arrive.

    Left alone, the kernel keeps a large upload in the page cache and the fsync before the
    answer then waits for all of it at once; asking for writeback every few MiB overlaps
    the disk with receiving and hashing, so that fsync finds little left to do. The pages
    are also dropped once written: nothing reads them again (the digests are running).
    """

    STEP = 8 * 1024 * 1024

    def __init__(self, fd: int, offset: int) -> None:
        self.fd = fd
        self.start = offset
        self.done = offset

    def written(self, position: int) -> None:
        if position - self.done < self.STEP or not hasattr(os, "posix_fadvise"):
            return
        # From one step back: those pages have had time to be written and can go now.
        start = max(self.start, self.done - self.STEP)
        os.posix_fadvise(self.fd, start, position - start, os.POSIX_FADV_DONTNEED)
        self.done = position


def _write_all(fd: int, chunk: bytes) -> None:
    view = memoryview(chunk)
    while view:
        view = view[os.write(fd, view) :]


def _truncate(fd: int, size: int) -> None:
    os.ftruncate(fd, size)
    os.fsync(fd)


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
        _check_range(upload, int(upload.length), offset, length)
        return Received(int(upload.length), upload.record)
    actions.require_uploader(actor, request=request)
    with _locked_partial(upload) as (fd, path):
        try:
            upload.refresh_from_db(fields=["record", "expires_at"])
        except TusUpload.DoesNotExist:  # expired and removed while this request waited
            raise TusError(404, "not_found", _("No such upload.")) from None
        if upload.record_id is not None:  # completed by another request meanwhile
            _check_range(upload, int(upload.length), offset, length)
            return Received(int(upload.length), upload.record)
        if is_expired(upload):
            raise TusError(410, "expired", _("This upload has expired; start it again."))
        current = os.fstat(fd).st_size
        _check_range(upload, current, offset, length)
        upload.expires_at = expiry_from(timezone.now())  # an upload in use does not expire
        TusUpload.objects.filter(pk=upload.pk).update(expires_at=upload.expires_at)
        if length:
            current = _append(upload, fd, stream, offset, length, checksum)
        if current < upload.length:
            return Received(current)
        record = _complete(actor, upload, fd, path, request=request)
        return Received(current, record)


def _check_range(upload: TusUpload, current: int, offset: int, length: int) -> None:
    if offset != current:
        raise TusError(
            409,
            "offset_mismatch",
            _("Upload-Offset is %(given)s, the server holds %(held)s bytes.")
            % {"given": offset, "held": current},
            {"Upload-Offset": str(current)},
        )
    if offset + length > upload.length:
        raise TusError(
            413, "beyond_length", _("The request goes beyond the upload's Upload-Length.")
        )


def _append(
    upload: TusUpload,
    fd: int,
    stream: Readable,
    offset: int,
    length: int,
    checksum: tuple[str, bytes] | None,
) -> int:
    """Write the body to the partial file while hashing it; fsync; the new size."""
    digest = running_digests.take(upload.pk, offset)
    if digest is None and offset == 0 and settings.TUS_RUNNING_DIGEST:
        digest = RunningDigest(with_sm3=sm3_inline())
    # Without a state here (the upload began in another process) nothing is hashed now:
    # completion hashes the whole file in one read.
    before = digest.copy() if digest is not None else None
    feed = _Feed(digest) if digest is not None else None
    check = CHECKSUMS[checksum[0]]() if checksum is not None else None
    received = 0
    writeback = _Writeback(fd, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    try:
        while received < length:
            try:
                chunk = stream.read(min(CHUNK_SIZE, length - received))
            except OSError:  # the client went away (a network drop, a closed tab)
                logger.info("upload %s: connection lost after %s bytes", upload.pk, received)
                break
            if not chunk:
                break
            chunk = bytes(chunk)  # immutable: the SM3 thread may still hold it
            _write_all(fd, chunk)
            if feed is not None:
                feed.update(chunk)
            if check is not None:
                check.update(chunk)
            received += len(chunk)
            writeback.written(offset + received)
    except BaseException:
        # A failing disk: drop what this request wrote, keep the state from before it.
        if feed is not None:
            feed.close()
        _truncate(fd, offset)
        if before is not None:
            running_digests.keep(upload.pk, before)
        raise
    if feed is not None:
        feed.close()
    verified = checksum is None or (
        check is not None and received == length and check.digest() == checksum[1]
    )
    if not verified:
        # tus checksum extension: a body that does not verify is discarded entirely.
        _truncate(fd, offset)
        if before is not None:
            running_digests.keep(upload.pk, before)
        if received < length:
            raise TusError(400, "incomplete_body", _("The request body ended early."))
        raise TusError(
            460, "checksum_mismatch", _("The checksum of the request body does not match.")
        )
    # What the server answers with is on disk (a crash after this loses nothing).
    os.fsync(fd)
    if digest is not None:
        running_digests.keep(upload.pk, digest)
    return offset + received


def _complete(
    actor: Uploader,
    upload: TusUpload,
    fd: int,
    path: Path,
    *,
    request: HttpRequest | None = None,
) -> AvRecord:
    """The last byte is in: digests, blob, record, and away with the partial name."""
    os.fsync(fd)
    digest = running_digests.take(upload.pk, int(upload.length))
    if digest is not None:
        info = digest.info()
    else:
        logger.info("upload %s: finishing the digests in one read of the file", upload.pk)
        info = digest_file(path, with_sm3=sm3_inline())
    fields = record_fields(actor, upload.metadata)
    blob = blobs.adopt_blob(path, info)
    with transaction.atomic():
        record = actions.register(
            actor,
            blob,
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
    _remove_partial(path)
    return record


def queue_sm3(sha256: str) -> None:
    """``LIUHEN_INGEST_SM3=deferred``: the SM3 is computed by the task worker."""
    tasks.compute_sm3.enqueue(sha256)


def _remove_partial(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        fsync_dir(path.parent)


def finish_if_complete(
    actor: Uploader, upload: TusUpload, *, request: HttpRequest | None = None
) -> None:
    """Every byte is on disk but no record exists (the server stopped between the last
    byte and the record): make the record now. Asked by HEAD, which a client sends
    before resuming; a request holding the upload is left to finish it."""
    if upload.record_id is not None or current_offset(upload) != upload.length:
        return
    try:
        with _locked_partial(upload) as (fd, path):
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
        with _locked_partial(upload) as (fd, path):
            upload.refresh_from_db(fields=["record"])
            if upload.record_id is None:
                received = os.fstat(fd).st_size
                with transaction.atomic():
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
                _remove_partial(path)
                return
    actions.refuse_change(actor, upload.record, "terminate upload", request=request)
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


def expire_uploads(now: dt.datetime | None = None) -> ExpiryReport:
    """Remove unfinished uploads past their expiry (rows and partial files), partial
    files left behind by a crash, and completed uploads' rows past their expiry (the
    records stay; only the upload URL goes). Run by the scheduler."""
    now = now or timezone.now()
    report = ExpiryReport()
    for upload in TusUpload.objects.filter(record__isnull=True, expires_at__lte=now):
        try:
            with _locked_partial(upload) as (fd, path):
                received = os.fstat(fd).st_size
                with transaction.atomic():
                    # Under the lock: a PATCH that just went through extended the expiry.
                    gone, _kinds = TusUpload.objects.filter(
                        pk=upload.pk, record__isnull=True, expires_at__lte=now
                    ).delete()
                    if not gone:
                        continue
                    audit.record(
                        MediaEvents.UPLOAD_TERMINATE,
                        actor=audit.SYSTEM,
                        object_type="media.tusupload",
                        object_id=str(upload.pk),
                        details={"expired": True, "length": upload.length, "received": received},
                    )
                running_digests.drop(upload.pk)
                _remove_partial(path)
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
            _remove_partial(entry)  # the record exists; the process stopped before this
            report.finished_partials += 1
        elif upload_id not in known:
            with contextlib.suppress(FileNotFoundError):
                if entry.stat().st_mtime < stale:  # not one being created right now
                    _remove_partial(entry)
                    report.stray_partials += 1
    return report
