"""Writing an OCFL 1.1 object (https://ocfl.io/1.1/spec/) of one version: the content
files with SHA-512 (OCFL's digest) and, in the fixity block, SHA-256 and SM3 (GB/T 32905),
the inventory and its sidecar at the root and in the version, and the NAMASTE file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import queue
import tarfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from liuhen.archives.package import layout
from liuhen.core.blobs import CHUNK_SIZE, Digester, DigestMismatch

# Copying runs at disk speed and each digest at its own: the slow ones get a thread of
# their own (hashlib lets go of the GIL on large updates), so a package is written about
# as fast as its slowest digest.
_PIECE = 8 * CHUNK_SIZE


class _Background:
    """Digests fed in a thread of their own through a bounded queue of immutable chunks."""

    def __init__(self, hashes: list[Any]) -> None:
        self.hashes = hashes
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._thread = threading.Thread(target=self._run, name="package-digests", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            for digest in self.hashes:
                digest.update(chunk)

    def update(self, chunk: bytes) -> None:
        self._queue.put(chunk)

    def finish(self) -> None:
        self._queue.put(None)
        self._thread.join()


@dataclass(frozen=True)
class FileDigests:
    size: int
    sha512: str
    sha256: str
    sm3: str

    def as_dict(self) -> dict[str, Any]:
        return {"size": self.size, "sha512": self.sha512, "sha256": self.sha256, "sm3": self.sm3}


class ObjectWriter:
    """An OCFL object being written in ``root`` (an empty folder)."""

    def __init__(self, root: Path, object_id: str) -> None:
        self.root = root
        self.object_id = object_id
        self.files: dict[str, FileDigests] = {}

    def add_stream(
        self, logical: str, stream: IO[bytes], expected_sha256: str = "", known_sm3: str = ""
    ) -> FileDigests:
        """Copy ``stream`` to ``logical`` in the version's content, hashing as it goes.

        A stored file comes with its SHA-256 and SM3 on record (``expected_sha256``,
        ``known_sm3``): its SHA-256 is computed again, so the bytes copied are the bytes on
        record, and the SM3 on record is theirs — it is not computed a second time.
        """
        if logical in self.files:
            raise ValueError(f"{logical} is in the package twice")
        target = self.root / layout.CONTENT / logical
        target.parent.mkdir(parents=True, exist_ok=True)
        sha512, sha256, sm3 = hashlib.sha512(), hashlib.sha256(), hashlib.new("sm3")
        reuse_sm3 = bool(expected_sha256 and known_sm3)
        background = _Background([sha512] if reuse_sm3 else [sha512, sm3])
        size = 0
        try:
            with target.open("xb") as out:
                while chunk := stream.read(_PIECE):
                    chunk = bytes(chunk)
                    background.update(chunk)
                    out.write(chunk)
                    sha256.update(chunk)
                    size += len(chunk)
        finally:
            background.finish()
        if expected_sha256 and sha256.hexdigest() != expected_sha256:
            # The store gave other bytes than it holds on record: never archive them.
            raise DigestMismatch(f"{logical}: stored file {expected_sha256} reads differently")
        digests = FileDigests(
            size,
            sha512.hexdigest(),
            sha256.hexdigest(),
            known_sm3 if reuse_sm3 else sm3.hexdigest(),
        )
        self.files[logical] = digests
        return digests

    def add_bytes(self, logical: str, data: bytes) -> FileDigests:
        return self.add_stream(logical, io.BytesIO(data))

    def inventory(
        self, created: dt.datetime, message: str, user: tuple[str, str]
    ) -> dict[str, Any]:
        manifest: dict[str, list[str]] = {}
        state: dict[str, list[str]] = {}
        fixity: dict[str, dict[str, list[str]]] = {"sha256": {}, "sm3": {}}
        for logical, digests in sorted(self.files.items()):
            content_path = f"{layout.CONTENT}/{logical}"
            manifest.setdefault(digests.sha512, []).append(content_path)
            state.setdefault(digests.sha512, []).append(logical)
            fixity["sha256"].setdefault(digests.sha256, []).append(content_path)
            fixity["sm3"].setdefault(digests.sm3, []).append(content_path)
        return {
            "id": self.object_id,
            "type": layout.OCFL_SPEC,
            "digestAlgorithm": "sha512",
            "head": layout.VERSION,
            "contentDirectory": "content",
            "manifest": manifest,
            "fixity": fixity,
            "versions": {
                layout.VERSION: {
                    "created": created.astimezone(dt.UTC).isoformat(timespec="seconds"),
                    "message": message,
                    "user": {"name": user[0], "address": user[1]},
                    "state": state,
                }
            },
        }

    def finish(self, created: dt.datetime, message: str, user: tuple[str, str]) -> str:
        """Write the inventories, their sidecars and the NAMASTE; return the inventory's
        SHA-512. ``user``: who made the version, name and address (a URI)."""
        data = (
            json.dumps(
                self.inventory(created, message, user),
                ensure_ascii=False,
                indent=1,
                sort_keys=True,
            )
            + "\n"
        ).encode()
        digest = hashlib.sha512(data).hexdigest()
        sidecar = f"{digest} {layout.INVENTORY}\n".encode()
        for folder in (self.root, self.root / layout.VERSION):
            (folder / layout.INVENTORY).write_bytes(data)
            (folder / layout.SIDECAR).write_bytes(sidecar)
        (self.root / layout.NAMASTE).write_text(layout.NAMASTE_TEXT, encoding="utf-8")
        return digest


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    # The same object always makes the same tar: no owner, no local times.
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = 0
    info.mode = 0o755 if info.isdir() else 0o644
    return info


class DigestingWriter:
    """A file the tar is written to that hashes what it writes (SHA-256 here, SM3 in a
    thread), so the stored package is not read again to be hashed."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.digester = Digester()
        self._pending = bytearray()
        self._written = 0

    def write(self, data: bytes) -> int:
        self._pending += data
        self._written += len(data)
        if len(self._pending) >= _PIECE:
            self.flush()
        return len(data)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        if self._pending:
            chunk = bytes(self._pending)
            self._pending.clear()
            self.digester.update(chunk)
            self.out.write(chunk)

    def cancel(self) -> None:
        self.digester.cancel()


def write_tar(root: Path, out: BinaryIO | DigestingWriter) -> None:
    """The object as one uncompressed tar, members sorted, for the blob store."""
    fileobj = cast(BinaryIO, out)
    with tarfile.open(fileobj=fileobj, mode="w", format=tarfile.PAX_FORMAT) as tar:
        # Files are copied into the tar in large pieces, which the digests take best.
        tar.copybufsize = _PIECE  # type: ignore[attr-defined]  # (absent from the stubs)
        for path in sorted(root.rglob("*")):
            tar.add(
                path, arcname=path.relative_to(root).as_posix(), recursive=False, filter=_normalised
            )


def extract_tar(stream: IO[bytes], target: Path) -> None:
    """Unpack a stored package into ``target`` (regular files and folders only)."""
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        tar.extractall(target, filter="data")
