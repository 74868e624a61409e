"""Resumable uploads (tus 1.0.0): metadata, partial files, running digests.

The protocol views (``api/tus.py``) parse HTTP; the actions
(``media.actions.uploads``: create, receive, complete, terminate, expire) do the work with
what this module provides. An upload is a :class:`TusUpload` row and a partial file; the
partial file's size on disk is the true offset, so a crash loses nothing acknowledged
(every PATCH is fsync'd before it is answered).

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
it reading it once), recorded by ``media.actions.ingest`` — the write-once AV record
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
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from liuhen.core import blobs
from liuhen.core.blobs import BlobInfo, fsync_dir, get_store, make_dirs
from liuhen.core.text import refusal_message, refused_in
from liuhen.devices.models import Device
from liuhen.devices.tokens import normal_serial
from liuhen.media.ingest.fields import Uploader, check_fields, file_name
from liuhen.media.models import AvSource, TusUpload

logger = logging.getLogger(__name__)

CHUNK_SIZE = blobs.CHUNK_SIZE
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
    # The metadata become the record's file name and notes: text like any other.
    if (found := refused_in([result])) is not None:
        raise TusError(400, "bad_metadata", refusal_message(found))
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
    """The keyword arguments of the record's action (``media.actions.ingest``) from an
    upload's metadata.

    Checked when the upload is created, so the client hears of a mistake before it sends
    a byte (the record's action checks again at completion). Keys: filename, filetype,
    device (serial), captured_at, late_reason, late_reason_text, source
    (upload|third_party), provider, channel, obtained_at (times in ISO 8601).
    """
    errors: dict[str, list[str]] = {}
    name = file_name(meta.get("filename") or meta.get("name") or "")
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
    checked: dict[str, Any] = {
        "source": source,
        "device": device,
        "captured_at": captured_at,
        "late_reason": late_reason,
        "late_reason_text": late_reason_text,
        "provider": provider,
        "channel": channel,
        "obtained_at": obtained_at,
    }
    check_fields(actor, **checked, errors=errors)
    return {
        "original_name": name,
        "content_type": (meta.get("filetype") or meta.get("type") or "").strip()[:100],
        **checked,
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
def locked_partial(upload: TusUpload) -> Iterator[tuple[int, Path]]:
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
            remove_partial(path)


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


def check_range(upload: TusUpload, current: int, offset: int, length: int) -> None:
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


def append_body(
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
    except BaseException as exc:
        # A failing disk: drop what this request wrote, keep the state from before it.
        if feed is not None:
            feed.close()
        _truncate(fd, offset)
        if before is not None:
            running_digests.keep(upload.pk, before)
        if blobs.is_full(exc):
            # The client resumes from the offset it asks for with HEAD: nothing is lost.
            raise TusError(
                507,
                "storage_full",
                _(
                    "The server's storage is full: this part of the upload was not kept. "
                    "Resume the upload once space has been freed."
                ),
            ) from None
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


def remove_partial(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        fsync_dir(path.parent)
