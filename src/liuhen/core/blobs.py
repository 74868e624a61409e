"""The write-once, content-addressed blob store (R14.1, R16.1, R23.1).

Every stored file (AV records, scans, PDFs) is kept once, under its SHA-256; its SM3
(GB/T 32905) is computed in the same pass and kept beside it. Two backends:

- :class:`FilesystemStore` (the default, ``DATA_DIR/blobs``): ``<root>/ab/cd/<sha256>``,
  mode 0444, with the SM3 in a read-only sidecar ``<sha256>.sm3`` (a blob adopted before
  its SM3 is known has a ``<sha256>.stored`` marker with its size instead, until the SM3
  comes: the store's word that it wrote the bytes). Writes are crash-safe:
  a temporary file in ``<root>/tmp/`` (same file system) → fsync → ``os.link`` to the
  final name (never overwrites; an existing identical blob is kept) → fsync of the
  directory → the temporary name is removed. A blob therefore never appears half-written.
- :class:`S3Store` (boto3, any S3-compatible service: MinIO, Ceph RGW, a cloud OSS):
  a stream shorter than one part is sent with a single PUT to the final key; a longer
  one is sent as a multipart upload to a staging key (aborted on any failure), then
  copied server-side to the final key with the digests in the object metadata
  (``x-amz-meta-sha256`` / ``x-amz-meta-sm3``), and the staging object is deleted.
  A completed PUT, multipart upload or copy appears atomically, so the final key is
  never half-written. Existing objects are found with HEAD and not uploaded again.

``put`` reads the stream once, in chunks: SHA-256 is computed in the caller's thread,
SM3 (the slow one) in its own thread fed by a bounded queue. The :class:`Blob` row
(``core.models.Blob``, write-once) is the record of what was stored; :func:`store_blob`
writes blob and row together. ``delete`` exists only for approved disposal (R18.4)
— nothing else may call it.

A resumable upload hashes its bytes as they arrive; :meth:`BlobStore.adopt` (and
:func:`adopt_blob`) then stores the finished file with those digests without reading it
again — the filesystem store links it into place from its ``tmp/``, S3 uploads it once.
With ``LIUHEN_INGEST_SM3=deferred`` the SM3 comes later (:func:`complete_sm3`, one read,
kept as ``core.BlobSm3`` and beside the blob by :meth:`BlobStore.record_sm3`).

:func:`check_fixity` and :func:`replicate` report; their audited runs are the actions of
``core.actions.blobs``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import io
import os
import queue
import random
import re
import tempfile
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CHUNK_SIZE = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# CopyObject copies at most 5 GiB in one request; bigger objects are copied in parts.
_COPY_LIMIT = 5 * 1024**3


class BlobError(Exception):
    """Base of the blob store's errors."""


class BlobNotFound(BlobError, FileNotFoundError):
    pass


class DigestMismatch(BlobError, ValueError):
    """The stream's SHA-256 is not the one the caller expected; nothing was stored."""


# The disk, or the store's quota, is full.
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


class StorageFull(BlobError, OSError):
    """The store has no room left: nothing of the bytes was kept (no partial blob)."""

    def __str__(self) -> str:
        return str(self.strerror)  # the message a person reads, without "[Errno 28]"


def is_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in FULL_ERRNOS


def storage_full() -> StorageFull:
    """The error a person reads when the store is full (in their language)."""
    return StorageFull(
        errno.ENOSPC,
        str(
            _(
                "The storage is full: the file was not stored. Free some space (or ask the "
                "system administrator to), then try again; nothing needs to be undone."
            )
        ),
    )


@contextlib.contextmanager
def _full_is_clear() -> Iterator[None]:
    """A full disk while storing becomes :class:`StorageFull` (the clean-up has run)."""
    try:
        yield
    except OSError as exc:
        if is_full(exc) and not isinstance(exc, StorageFull):
            raise storage_full() from exc
        raise


@dataclass(frozen=True)
class BlobInfo:
    sha256: str
    sm3: str
    size: int


def sm3_hasher() -> Any:
    return hashlib.new("sm3")


def check_sha256(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise BlobError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


class Digester:
    """SHA-256 here, SM3 in its own thread fed through a bounded queue.

    ``update`` must get immutable ``bytes`` (the queue holds them until SM3 catches up).
    Call :meth:`finish` for the digests or :meth:`cancel` on failure; both end the thread.
    """

    def __init__(self, *, queue_chunks: int = 8) -> None:
        self.sha256 = hashlib.sha256()
        self.size = 0
        self._sm3 = sm3_hasher()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=queue_chunks)
        self._thread = threading.Thread(target=self._run, name="sm3", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            self._sm3.update(chunk)

    def update(self, chunk: bytes) -> None:
        self._queue.put(chunk)
        self.sha256.update(chunk)
        self.size += len(chunk)

    def finish(self) -> BlobInfo:
        self._queue.put(None)
        self._thread.join()
        return BlobInfo(self.sha256.hexdigest(), self._sm3.hexdigest(), self.size)

    def cancel(self) -> None:
        self._queue.put(None)
        self._thread.join()


def _chunks(stream: IO[bytes], chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    while chunk := stream.read(chunk_size):
        yield bytes(chunk)


def digest_stream(stream: IO[bytes]) -> BlobInfo:
    digester = Digester()
    try:
        for chunk in _chunks(stream):
            digester.update(chunk)
    except BaseException:
        digester.cancel()
        raise
    return digester.finish()


@dataclass
class Verification:
    """The outcome of re-hashing one stored blob."""

    sha256: str
    found: bool
    actual: BlobInfo | None = None
    stored_sm3: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.found and not self.problems


class BlobStore(ABC):
    """What every backend offers. Blobs are named by the SHA-256 of their bytes."""

    backend: str = ""

    @abstractmethod
    def put(self, stream: IO[bytes], *, expected_sha256: str | None = None) -> BlobInfo:
        """Store the stream's bytes (read once) and return their digests and size.

        With ``expected_sha256``, a stream of other bytes raises :class:`DigestMismatch`
        and leaves nothing stored. An identical blob already stored is kept as it is.
        """

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """A read-only, seekable binary file object over the whole blob."""

    def open_range(self, sha256: str, start: int, end: int) -> BinaryIO:
        """Bytes ``start`` up to (not including) ``end``, as a binary stream."""
        handle = self.open(sha256)
        handle.seek(start)
        return io.BytesIO(handle.read(max(0, end - start)))

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def size(self, sha256: str) -> int: ...

    @abstractmethod
    def stored_sm3(self, sha256: str) -> str:
        """The SM3 kept beside the blob (sidecar / object metadata); '' if none."""

    @abstractmethod
    def iter_all(self) -> Iterator[str]:
        """The SHA-256 of every stored blob (staging files excluded)."""

    @abstractmethod
    def delete(self, sha256: str) -> None:
        """Remove a blob. Only for approved disposal (R18.4); nothing else calls it."""

    @abstractmethod
    def describe(self) -> str:
        """Where the store is, for reports (no credentials)."""

    def staging_dir(self) -> Path | None:
        """A local folder on the store's own file system where a file can be built up and
        then :meth:`adopt`-ed without a copy; None when the store is not local."""
        return None

    def adopt(self, path: Path, info: BlobInfo) -> BlobInfo:
        """Store a finished local file whose digests are already known (a completed
        resumable upload), reading it at most once and never hashing it again.

        The file must not change any more; the caller removes its own name for it
        afterwards. An identical blob already stored is kept as it is.
        """
        with open(path, "rb") as handle:  # the fallback: a copy through put, re-hashed
            return self.put(handle, expected_sha256=info.sha256)

    def wrote(self, sha256: str, size: int) -> bool:
        """Whether the store itself wrote a blob it keeps no SM3 for (adopted with
        ``LIUHEN_INGEST_SM3=deferred``): the mark it leaves before the blob lands, for
        :func:`check_fixity` to tell an uncommitted store from a file put there by hand."""
        return False

    @abstractmethod
    def record_sm3(self, sha256: str, sm3: str) -> None:
        """Keep an SM3 computed after storing (``LIUHEN_INGEST_SM3=deferred``) beside
        the blob, where :meth:`stored_sm3` finds it; an SM3 already kept is left alone."""

    def verify(self, sha256: str, *, expected: BlobInfo | None = None) -> Verification:
        """Re-read and re-hash a blob; compare with its name, its stored SM3 and ``expected``."""
        check_sha256(sha256)
        result = Verification(sha256=sha256, found=self.exists(sha256))
        if not result.found:
            return result
        result.stored_sm3 = self.stored_sm3(sha256)
        with self.open(sha256) as handle:
            actual = digest_stream(handle)
        result.actual = actual
        if actual.sha256 != sha256:
            result.problems.append(f"SHA-256 is {actual.sha256}")
        if result.stored_sm3 and actual.sm3 != result.stored_sm3:
            result.problems.append(f"SM3 is {actual.sm3}, stored beside it {result.stored_sm3}")
        if expected is not None:
            if expected.sm3 and actual.sm3 != expected.sm3:
                result.problems.append(f"SM3 is {actual.sm3}, recorded {expected.sm3}")
            if actual.size != expected.size:
                result.problems.append(f"size is {actual.size}, recorded {expected.size}")
        return result


# --- local file system ----------------------------------------------------------------


def fsync_dir(path: Path) -> None:
    """Make the entries of a directory (a new name, a removed one) survive a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_fsync_dir = fsync_dir


def make_dirs(directory: Path) -> None:
    """Create missing directories and fsync each new entry's parent."""
    missing = []
    current = directory
    while not current.exists():
        missing.append(current)
        current = current.parent
    for item in reversed(missing):
        try:
            item.mkdir()
        except FileExistsError:
            continue
        fsync_dir(item.parent)


def store_label(where: str) -> str:
    """The kind of store a :meth:`BlobStore.describe` names, for the screen: people are
    told which store holds the files, never a server path or a bucket address."""
    if where.startswith("file://"):
        return str(_("the server's file store"))
    if where.startswith("s3://"):
        return str(_("the object store (S3)"))
    return str(_("another store")) if where else ""


class FilesystemStore(BlobStore):
    backend = "filesystem"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.tmp = self.root / "tmp"

    def describe(self) -> str:
        return f"file://{self.root}"

    def path(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _sidecar(self, sha256: str) -> Path:
        return self.path(sha256).with_name(f"{sha256}.sm3")

    def _marker(self, sha256: str) -> Path:
        return self.path(sha256).with_name(f"{sha256}.stored")

    def _makedirs(self, directory: Path) -> None:
        make_dirs(directory)

    def _temp(self) -> tuple[int, Path]:
        self._makedirs(self.tmp)
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="put-")
        return fd, Path(name)

    def _publish(self, temp: Path, final: Path) -> None:
        os.chmod(temp, 0o444)
        with contextlib.suppress(FileExistsError):  # a concurrent identical put won
            os.link(temp, final)  # never replaces an existing name
        _fsync_dir(final.parent)

    def put(self, stream: IO[bytes], *, expected_sha256: str | None = None) -> BlobInfo:
        if expected_sha256 is not None:
            check_sha256(expected_sha256)
        with _full_is_clear():
            return self._put(stream, expected_sha256)

    def _put(self, stream: IO[bytes], expected_sha256: str | None) -> BlobInfo:
        fd, temp = self._temp()
        digester = Digester()
        try:
            with os.fdopen(fd, "wb", buffering=0) as out:
                for chunk in _chunks(stream):
                    digester.update(chunk)
                    view = memoryview(chunk)
                    while view:
                        view = view[out.write(view) :]
                os.fsync(out.fileno())
        except BaseException:
            digester.cancel()
            temp.unlink(missing_ok=True)
            raise
        info = digester.finish()
        try:
            if expected_sha256 is not None and info.sha256 != expected_sha256:
                raise DigestMismatch(
                    f"expected SHA-256 {expected_sha256}, the stream's is {info.sha256}"
                )
            final = self.path(info.sha256)
            if not final.exists():
                self._makedirs(final.parent)
                # SM3 sidecar first: a visible blob always has its SM3 beside it.
                self._write_sidecar(info.sha256, info.sm3)
                self._publish(temp, final)
        finally:
            temp.unlink(missing_ok=True)
            _fsync_dir(self.tmp)
        return info

    def _write_sidecar(self, sha256: str, sm3: str) -> None:
        """The SM3 beside the blob, written crash-safely like a blob; kept if present."""
        self._write_small(self._sidecar(sha256), sm3 + "\n")

    def _write_small(self, target: Path, text: str) -> None:
        """A small file beside a blob, written crash-safely like one; kept if present."""
        if target.exists():
            return
        self._makedirs(target.parent)
        side_fd, side_temp = self._temp()
        try:
            with os.fdopen(side_fd, "w") as side:
                side.write(text)
                side.flush()
                os.fsync(side.fileno())
            self._publish(side_temp, target)
        finally:
            side_temp.unlink(missing_ok=True)

    def wrote(self, sha256: str, size: int) -> bool:
        try:
            return self._marker(sha256).read_text().strip() == str(size)
        except FileNotFoundError:
            return False

    def staging_dir(self) -> Path:
        return self.tmp

    def adopt(self, path: Path, info: BlobInfo) -> BlobInfo:
        """Link the finished file into place: no copy, no second read.

        The file must be on the store's file system (under :meth:`staging_dir`); the
        inode becomes the blob (mode 0444), so the caller must not write to it again.
        """
        check_sha256(info.sha256)
        path = Path(path)
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size != info.size:
                raise BlobError(f"{path} has {size} bytes, not the {info.size} expected")
            os.fsync(handle.fileno())  # durable before it gets its final name
        final = self.path(info.sha256)
        if final.exists():
            return info  # identical bytes stored already: keep that blob
        with _full_is_clear():
            self._makedirs(final.parent)
            if info.sm3:
                self._write_sidecar(info.sha256, info.sm3)
            else:
                # No SM3 to vouch for the bytes yet: the marker does until it comes, so
                # a process killed before its record commits leaves an orphan, not what
                # fixity must take for a file put there by hand.
                self._write_small(self._marker(info.sha256), f"{info.size}\n")
        try:
            self._publish(path, final)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            # Not on the store's file system after all: a copy, read once, re-hashed.
            return super().adopt(path, info)
        return info

    def record_sm3(self, sha256: str, sm3: str) -> None:
        if not self.exists(sha256):
            raise BlobNotFound(sha256)
        self._write_sidecar(sha256, sm3)
        # The SM3 now vouches for the bytes.
        self._marker(sha256).unlink(missing_ok=True)

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self.path(sha256), "rb")  # the caller closes it
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(sha256) from None

    def stored_sm3(self, sha256: str) -> str:
        try:
            return self._sidecar(sha256).read_text().strip()
        except FileNotFoundError:
            return ""

    def iter_all(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir():
                    continue
                for entry in sorted(second.iterdir()):
                    if _SHA256.match(entry.name) and entry.name.startswith(
                        first.name + second.name
                    ):
                        yield entry.name

    def delete(self, sha256: str) -> None:
        final = self.path(sha256)
        if not final.exists():
            raise BlobNotFound(sha256)
        final.unlink()
        self._sidecar(sha256).unlink(missing_ok=True)
        self._marker(sha256).unlink(missing_ok=True)
        _fsync_dir(final.parent)


# --- S3-compatible object storage -------------------------------------------------------


class _S3RangeReader(io.RawIOBase):
    """A seekable raw reader over one object: every read is a ranged GET."""

    def __init__(self, client: Any, bucket: str, key: str, size: int) -> None:
        super().__init__()
        self._client, self._bucket, self._key, self._size = client, bucket, key, size
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: Any) -> int:
        want = min(len(buffer), self._size - self._pos)
        if want <= 0:
            return 0
        answer = self._client.get_object(
            Bucket=self._bucket, Key=self._key, Range=f"bytes={self._pos}-{self._pos + want - 1}"
        )
        data = answer["Body"].read()
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


class S3Store(BlobStore):
    backend = "s3"

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        part_size: int = 16 * 1024 * 1024,
        copy_part_size: int = 1024**3,
        client: Any = None,
    ) -> None:
        import boto3
        from botocore.config import Config

        if len(bucket) < 3:
            raise BlobError(f"not an S3 bucket name: {bucket!r}")
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.part_size = part_size
        self.copy_part_size = copy_part_size
        self.endpoint_url = endpoint_url
        self.client = client or boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def describe(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"

    def key(self, sha256: str) -> str:
        check_sha256(sha256)
        return f"{self.prefix}{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _head(self, sha256: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            return dict(self.client.head_object(Bucket=self.bucket, Key=self.key(sha256)))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def _metadata(self, info: BlobInfo) -> dict[str, str]:
        # No SM3 yet with LIUHEN_INGEST_SM3=deferred: record_sm3 adds it later.
        return {"sha256": info.sha256, **({"sm3": info.sm3} if info.sm3 else {})}

    def adopt(self, path: Path, info: BlobInfo) -> BlobInfo:
        """Upload the finished file straight to its final key, digests in the metadata
        (known, so no staging copy): one PUT, or a multipart upload read part by part."""
        check_sha256(info.sha256)
        if self._head(info.sha256) is not None:
            return info
        final = self.key(info.sha256)
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size != info.size:
                raise BlobError(f"{path} has {size} bytes, not the {info.size} expected")
            if size <= self.part_size:
                self.client.put_object(
                    Bucket=self.bucket, Key=final, Body=handle.read(), Metadata=self._metadata(info)
                )
                return info
            # The key appears only when the upload completes: never half-written.
            upload_id = self.client.create_multipart_upload(
                Bucket=self.bucket, Key=final, Metadata=self._metadata(info)
            )["UploadId"]
            try:
                parts: list[dict[str, Any]] = []
                while part := handle.read(self.part_size):
                    self._upload_part(final, upload_id, parts, part)
                self._complete(final, upload_id, parts)
            except BaseException:
                self.client.abort_multipart_upload(
                    Bucket=self.bucket, Key=final, UploadId=upload_id
                )
                raise
        return info

    def record_sm3(self, sha256: str, sm3: str) -> None:
        """Copy the object onto itself with the SM3 added to its metadata (server-side;
        the bytes do not change and the key is replaced atomically)."""
        head = self._head(sha256)
        if head is None:
            raise BlobNotFound(sha256)
        if head.get("Metadata", {}).get("sm3"):
            return
        key = self.key(sha256)
        self._copy(key, key, BlobInfo(sha256, sm3, int(head["ContentLength"])))

    def put(self, stream: IO[bytes], *, expected_sha256: str | None = None) -> BlobInfo:
        if expected_sha256 is not None:
            check_sha256(expected_sha256)
        digester = Digester()
        buffer = bytearray()
        upload_id: str | None = None
        staging = f"{self.prefix}tmp/{uuid.uuid4().hex}"
        parts: list[dict[str, Any]] = []
        try:
            for chunk in _chunks(stream):
                digester.update(chunk)
                buffer += chunk
                while len(buffer) >= self.part_size:
                    if upload_id is None:
                        upload_id = self.client.create_multipart_upload(
                            Bucket=self.bucket, Key=staging
                        )["UploadId"]
                    part, buffer = bytes(buffer[: self.part_size]), buffer[self.part_size :]
                    self._upload_part(staging, upload_id, parts, part)
            info = digester.finish()
            digester = None  # type: ignore[assignment]
            if expected_sha256 is not None and info.sha256 != expected_sha256:
                raise DigestMismatch(
                    f"expected SHA-256 {expected_sha256}, the stream's is {info.sha256}"
                )
            final = self.key(info.sha256)
            if self._head(info.sha256) is not None:
                return info  # already stored: dedup (the finally below cleans up)
            if upload_id is None:
                # Shorter than one part: one PUT of the whole body, digests known.
                self.client.put_object(
                    Bucket=self.bucket, Key=final, Body=bytes(buffer), Metadata=self._metadata(info)
                )
                return info
            if buffer:
                self._upload_part(staging, upload_id, parts, bytes(buffer))
            buffer = bytearray()
            self._complete(staging, upload_id, parts)
            upload_id = None
            try:
                self._copy(staging, final, info)
            finally:
                self.client.delete_object(Bucket=self.bucket, Key=staging)
            return info
        finally:
            if digester is not None:
                digester.cancel()
            if upload_id is not None:
                self.client.abort_multipart_upload(
                    Bucket=self.bucket, Key=staging, UploadId=upload_id
                )

    def _upload_part(
        self, key: str, upload_id: str, parts: list[dict[str, Any]], body: bytes
    ) -> None:
        """Upload the next part of a multipart upload; ``parts`` gets its number and ETag."""
        number = len(parts) + 1
        answer = self.client.upload_part(
            Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=body
        )
        parts.append({"PartNumber": number, "ETag": answer["ETag"]})

    def _complete(self, key: str, upload_id: str, parts: list[dict[str, Any]]) -> None:
        self.client.complete_multipart_upload(
            Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
        )

    def _copy(self, source: str, final: str, info: BlobInfo) -> None:
        """Server-side copy to the final key with the digests as metadata (atomic)."""
        if info.size <= min(_COPY_LIMIT, self.copy_part_size):
            self.client.copy_object(
                Bucket=self.bucket,
                Key=final,
                CopySource={"Bucket": self.bucket, "Key": source},
                Metadata=self._metadata(info),
                MetadataDirective="REPLACE",
            )
            return
        upload_id = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=final, Metadata=self._metadata(info)
        )["UploadId"]
        try:
            parts = []
            for number, start in enumerate(range(0, info.size, self.copy_part_size), start=1):
                end = min(start + self.copy_part_size, info.size) - 1
                answer = self.client.upload_part_copy(
                    Bucket=self.bucket,
                    Key=final,
                    UploadId=upload_id,
                    PartNumber=number,
                    CopySource={"Bucket": self.bucket, "Key": source},
                    CopySourceRange=f"bytes={start}-{end}",
                )
                parts.append({"PartNumber": number, "ETag": answer["CopyPartResult"]["ETag"]})
            self._complete(final, upload_id, parts)
        except BaseException:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=final, UploadId=upload_id)
            raise

    def open(self, sha256: str) -> BinaryIO:
        size = self.size(sha256)
        raw = _S3RangeReader(self.client, self.bucket, self.key(sha256), size)
        return io.BufferedReader(raw, buffer_size=CHUNK_SIZE)

    def open_range(self, sha256: str, start: int, end: int) -> BinaryIO:
        from botocore.exceptions import ClientError

        if end <= start:
            return io.BytesIO(b"")
        try:
            answer = self.client.get_object(
                Bucket=self.bucket, Key=self.key(sha256), Range=f"bytes={start}-{end - 1}"
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                raise BlobNotFound(sha256) from None
            raise
        return answer["Body"]

    def exists(self, sha256: str) -> bool:
        return self._head(sha256) is not None

    def size(self, sha256: str) -> int:
        head = self._head(sha256)
        if head is None:
            raise BlobNotFound(sha256)
        return int(head["ContentLength"])

    def stored_sm3(self, sha256: str) -> str:
        head = self._head(sha256)
        return str((head or {}).get("Metadata", {}).get("sm3", ""))

    def wrote(self, sha256: str, size: int) -> bool:
        # The store sends the SHA-256 in the metadata of every object it writes, and the
        # metadata lands with the bytes.
        head = self._head(sha256)
        return bool(
            head is not None
            and head.get("Metadata", {}).get("sha256") == sha256
            and int(head["ContentLength"]) == size
        )

    def iter_all(self) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix) :]
                parts = name.split("/")
                if (
                    len(parts) == 3
                    and _SHA256.match(parts[2])
                    and parts[2].startswith(parts[0] + parts[1])
                ):
                    yield parts[2]

    def delete(self, sha256: str) -> None:
        if not self.exists(sha256):
            raise BlobNotFound(sha256)
        self.client.delete_object(Bucket=self.bucket, Key=self.key(sha256))


# --- configuration --------------------------------------------------------------------


def store_from_url(url: str) -> BlobStore:
    """A store for a folder, ``file:///path`` or ``s3://bucket/prefix?endpoint=…&region=…``.

    S3 credentials come from ``LIUHEN_S3_ACCESS_KEY_ID`` / ``LIUHEN_S3_SECRET_ACCESS_KEY``
    (else boto3's own chain); the endpoint and region from the URL, else the settings.
    """
    if url.startswith("file://"):
        return FilesystemStore(urlsplit(url).path)
    if url.startswith("s3://"):
        parts = urlsplit(url)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return S3Store(
            parts.netloc,
            parts.path,
            endpoint_url=query.get("endpoint") or settings.S3_ENDPOINT_URL,
            region=query.get("region") or settings.S3_REGION,
            access_key=settings.S3_ACCESS_KEY_ID,
            secret_key=settings.S3_SECRET_ACCESS_KEY,
            part_size=settings.S3_PART_SIZE,
        )
    if "://" in url:
        raise BlobError(f"not a blob store URL: {url!r} (a folder, file:///path or s3://bucket)")
    return FilesystemStore(url)


_default: tuple[str, BlobStore] | None = None


def get_store() -> BlobStore:
    """The configured store (``LIUHEN_BLOB_URL``)."""
    global _default
    url = settings.BLOB_URL
    if _default is None or _default[0] != url:
        _default = (url, store_from_url(url))
    return _default[1]


def store_blob(
    stream: IO[bytes], *, expected_sha256: str | None = None, store: BlobStore | None = None
) -> Any:
    """Store the bytes and record them in a write-once ``Blob`` row; return the row."""

    store = store or get_store()
    info = store.put(stream, expected_sha256=expected_sha256)
    return _blob_row(info, store)


def _blob_row(info: BlobInfo, store: BlobStore) -> Any:
    """The ``Blob`` row of bytes just stored; bytes disposed of earlier are on record as
    stored again (fixity expects them once more)."""
    from liuhen.core.models import Blob, BlobRemoval, BlobRestore

    try:
        with transaction.atomic():
            row, _created = Blob.objects.get_or_create(
                sha256=info.sha256,
                defaults={"sm3": info.sm3, "size": info.size, "backend": store.backend},
            )
    except IntegrityError:  # a concurrent store of the same bytes recorded it first
        row = Blob.objects.get(sha256=info.sha256)
    if BlobRemoval.objects.filter(blob=row, restore__isnull=True).exists():
        # Bytes disposed of earlier came in again. The row lock is the one the disposal
        # holds while it deletes (media.retention): either the bytes are back on record
        # before it looks, or they are gone and this store must be tried again.
        with transaction.atomic():
            Blob.objects.select_for_update().filter(pk=row.pk).values("pk").get()
            removal = BlobRemoval.objects.filter(blob=row, restore__isnull=True).first()
            if removal is not None:
                BlobRestore.objects.create(removal=removal)
            if not store.exists(row.sha256):
                raise BlobError(
                    f"blob {row.sha256} was removed by a disposal at this moment; store it again"
                )
    return row


def adopt_blob(path: Path, info: BlobInfo, *, store: BlobStore | None = None) -> Any:
    """:meth:`BlobStore.adopt` a finished file and record it in a ``Blob`` row; return it.

    ``info.sm3`` may be "" (``LIUHEN_INGEST_SM3=deferred``): the row then has no SM3 until
    :func:`complete_sm3` adds a ``BlobSm3``. Identical bytes stored earlier without an SM3
    get it now when ``info`` has one.
    """
    store = store or get_store()
    store.adopt(path, info)
    row = _blob_row(info, store)
    if info.sm3 and not row.sm3:
        _record_late_sm3(row, info.sm3, store)
    return row


def needs_sm3(row: Any) -> bool:
    """A blob stored with SHA-256 only whose SM3 is not computed yet."""
    from liuhen.core.models import BlobSm3

    return not row.sm3 and not BlobSm3.objects.filter(blob=row).exists()


def _record_late_sm3(row: Any, sm3: str, store: BlobStore) -> None:
    from liuhen.core.models import BlobSm3

    try:
        with transaction.atomic():
            BlobSm3.objects.get_or_create(blob=row, defaults={"sm3": sm3})
    except IntegrityError:  # computed concurrently; the same bytes give the same SM3
        pass
    store.record_sm3(row.sha256, sm3)


def complete_sm3(sha256: str, *, store: BlobStore | None = None) -> str:
    """The SM3 of a blob stored with SHA-256 only, computed in one read of the blob and
    kept as a ``BlobSm3`` row and beside the blob (sidecar / object metadata).

    The same read re-checks the SHA-256 (it runs alongside SM3 at no extra cost): a blob
    whose bytes changed since it was stored gets no SM3 and raises :class:`BlobError`
    (fixity reports it). Running it again does nothing more.
    """
    from liuhen.core.models import Blob, BlobSm3

    store = store or get_store()
    row = Blob.objects.get(sha256=check_sha256(sha256))
    if row.sm3:
        return str(row.sm3)
    late = BlobSm3.objects.filter(blob=row).first()
    if late is not None:
        store.record_sm3(sha256, late.sm3)  # in case the process stopped before it
        return str(late.sm3)
    with store.open(sha256) as handle:
        info = digest_stream(handle)
    if info.sha256 != sha256 or info.size != row.size:
        raise BlobError(f"stored blob {sha256} changed: SHA-256 {info.sha256}, {info.size} bytes")
    _record_late_sm3(row, info.sm3, store)
    return info.sm3


# --- fixity and replication (R16.1, R23.1) ------------------------------------------------


# A deferred SM3 is computed by the task worker within seconds; one still missing an hour
# later was lost (the worker died with its task, the queue was not reached).
SM3_GRACE = dt.timedelta(hours=1)


@dataclass
class FixityReport:
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    untracked: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    without_sm3: list[str] = field(default_factory=list)
    details: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Orphans are no problem: bytes the store wrote whose record was never committed
        (the process stopped in between), intact and referred to by nothing."""
        return not (self.changed or self.missing or self.untracked or self.without_sm3)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "changed": self.changed,
            "missing": self.missing,
            "untracked": self.untracked,
            "orphans": self.orphans,
            "without_sm3": self.without_sm3,
        }


def check_fixity(store: BlobStore | None = None, *, sample: int | None = None) -> FixityReport:
    """Re-hash stored blobs against their ``Blob`` rows (all, or a random sample).

    changed: bytes, SM3 or size differ from the row; missing: a row without its blob;
    untracked: a blob without a row that the store did not write as it is — no SM3 kept
    beside it, or bytes that do not match its name and SM3 (put there by hand, or
    altered); orphans: a blob without a row whose bytes match both the name and the SM3
    the store kept when it wrote them — a store whose record was never committed (the
    process was killed between the write and the commit), not tampering. The whole
    store is listed, even when sampling. without_sm3: a blob stored with SHA-256 only
    whose deferred SM3 was still not computed :data:`SM3_GRACE` after it was stored (the
    task was lost: every row is looked at, even when sampling, by one query).
    """
    from liuhen.core.models import Blob, removed_blobs

    store = store or get_store()
    known = set(Blob.objects.values_list("sha256", flat=True))
    # Removed after approved disposal (R18.4): not expected in the store any more.
    present = Blob.objects.exclude(pk__in=removed_blobs().values("pk"))
    rows = [
        (sha256, sm3 or late_sm3 or "", size)
        for sha256, sm3, size, late_sm3 in present.values_list(
            "sha256", "sm3", "size", "late_sm3__sm3"
        )
    ]
    if sample is not None and sample < len(rows):
        rows = random.sample(rows, sample)
    report = FixityReport()
    for sha256, sm3, size in rows:
        result = store.verify(sha256, expected=BlobInfo(sha256, sm3, size))
        report.checked += 1
        if not result.found:
            report.missing.append(sha256)
        elif not result.ok:
            report.changed.append(sha256)
            report.details[sha256] = result.problems
    for sha256 in sorted(sha for sha in store.iter_all() if sha not in known):
        if _is_orphan(store, sha256):
            report.orphans.append(sha256)
        else:
            report.untracked.append(sha256)
    unhashed = present.filter(sm3="", late_sm3__isnull=True)
    report.without_sm3 = sorted(
        unhashed.filter(created_at__lt=timezone.now() - SM3_GRACE).values_list("sha256", flat=True)
    )
    return report


def _is_orphan(store: BlobStore, sha256: str) -> bool:
    """Bytes the store wrote itself and nobody touched since: the name matches the bytes,
    and so does the SM3 it kept beside them — or, adopted before the SM3 was known, the
    size in the mark it left (both written before the blob became visible)."""
    result = store.verify(sha256)
    if not result.ok or result.actual is None:
        return False
    return bool(result.stored_sm3) or store.wrote(sha256, result.actual.size)


@dataclass
class ReplicationReport:
    copied: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failed: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, Any]:
        return {
            "copied": len(self.copied),
            "already_present": len(self.present),
            "failed": self.failed,
        }


def replicate(source: BlobStore, target: BlobStore) -> ReplicationReport:
    """Copy every blob of ``source`` missing from ``target``; re-hash each one there.

    The digests are checked against the ``Blob`` row when there is one, else against
    the source's name and stored SM3. A source blob that is itself damaged is not copied.
    """
    from liuhen.core.models import Blob

    report = ReplicationReport()
    recorded = {row[0]: row for row in Blob.objects.values_list("sha256", "sm3", "size")}
    for sha256 in source.iter_all():
        row = recorded.get(sha256)
        if row is not None:
            expected = BlobInfo(*row)
        else:
            expected = BlobInfo(sha256, source.stored_sm3(sha256), source.size(sha256))
        if target.exists(sha256):
            report.present.append(sha256)
        else:
            try:
                with source.open(sha256) as handle:
                    target.put(handle, expected_sha256=sha256)
            except DigestMismatch as exc:
                report.failed[sha256] = [f"source damaged: {exc}"]
                continue
            report.copied.append(sha256)
        result = target.verify(sha256, expected=expected if expected.sm3 else None)
        if not result.ok:
            report.failed[sha256] = result.problems or ["not found after copying"]
    return report
