"""Playback and download of stored AV files over HTTP (R21.1): Range requests and streaming.

- ``Accept-Ranges: bytes`` on every answer. One range (``bytes=a-b``, ``a-``, ``-n``)
  gets 206 Partial Content with its ``Content-Range``; a range beyond the end, or a
  malformed one, gets 416 with ``Content-Range: bytes */size`` (RFC 9110 §14, §15.5.17).
- No Range, a unit other than bytes, or an ``If-Range`` that is not this file's ETag:
  200 with the whole file.
- Several ranges (``bytes=0-1,5-6``): 200 with the whole file. RFC 9110 §14.2 lets a
  server ignore Range; players ask for one range at a time, and a multipart answer
  would buy nothing but code.
- Bytes are streamed in chunks from the store — a file handle for the filesystem, one
  ranged GET for S3 — never read whole into memory.
- ``LIUHEN_SENDFILE=nginx`` with the filesystem store: after the access check and the
  audit, an empty answer with ``X-Accel-Redirect`` hands the bytes (and the Range
  handling) to nginx. With S3 the app streams (see docs/storage.md).

The ETag is the SHA-256: a stored file never changes (R14.1).

Images (photos, previews, scanned proofs) are the exception: ``serve_copy`` hands out a
copy with the viewer's watermark drawn on it (R21.1), made for that one delivery, whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from liuhen.core import registry
from liuhen.core.blobs import BlobStore, FilesystemStore, get_store

STREAM_CHUNK = 256 * 1024
_RANGE = re.compile(r"^(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    """Bytes ``start`` to ``end`` inclusive, as HTTP counts them."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class RangeNotSatisfiable(Exception):
    """The Range asks for nothing this file has, or cannot be read: answer 416."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one range asked for, or None for the whole file.

    Raises :class:`RangeNotSatisfiable` for a malformed byte range or one that starts
    past the end.
    """
    if header is None or not header.strip():
        return None
    unit, sep, ranges = header.strip().partition("=")
    if not sep:
        raise RangeNotSatisfiable(header)
    if unit.strip().lower() != "bytes":
        return None  # a unit we do not know: ignore the header (RFC 9110 §14.2)
    specs = [spec.strip() for spec in ranges.split(",")]
    if any(not _RANGE.match(spec) or spec == "-" for spec in specs):
        raise RangeNotSatisfiable(header)
    if len(specs) > 1:
        return None  # several ranges: the whole file (see the module's docstring)
    first, last = _RANGE.match(specs[0]).groups()  # type: ignore[union-attr]
    if first == "":
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if end < start or start >= size:
        raise RangeNotSatisfiable(header)
    return ByteRange(start, min(end, size - 1))


def etag(sha256: str) -> str:
    return f'"{sha256}"'


def wanted_range(request: HttpRequest, sha256: str, size: int) -> ByteRange | None:
    """The request's range; None (the whole file) when ``If-Range`` names another version."""
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag(sha256):
        return None
    return parse_range(request.headers.get("Range"), size)


def _chunks(handle: BinaryIO, length: int) -> Iterator[bytes]:
    try:
        while length > 0:
            chunk = handle.read(min(STREAM_CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def open_bytes(store: BlobStore, sha256: str, start: int, end: int) -> BinaryIO:
    """A stream of bytes ``start`` up to ``end`` (exclusive), read lazily."""
    if isinstance(store, FilesystemStore):
        handle = store.open(sha256)  # the default open_range would read it into memory
        handle.seek(start)
        return handle
    return store.open_range(sha256, start, end)


def disposition(kind: str, name: str) -> str:
    """``inline`` or ``attachment`` with the original name: an ASCII ``filename`` for old
    clients and the exact name, UTF-8, in ``filename*`` (RFC 6266, RFC 5987)."""
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    ascii_stem = re.sub(r'[^\x20-\x7e]|["\\]', "", stem).strip() or "download"
    ascii_suffix = re.sub(r"[^A-Za-z0-9]", "", suffix)
    fallback = f"{ascii_stem}.{ascii_suffix}" if dot and ascii_suffix else ascii_stem
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _common_headers(response: HttpResponseBase, sha256: str, disposition_value: str) -> None:
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag(sha256)
    # Enforcement recordings are not kept in shared caches or on a tablet's disk.
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = disposition_value


def serve_blob(
    request: HttpRequest,
    sha256: str,
    *,
    content_type: str,
    disposition_value: str,
    store: BlobStore | None = None,
) -> HttpResponseBase:
    """Answer a GET or HEAD for a stored file, honouring one Range. Access and audit are
    the caller's: call this only after both."""
    store = store or get_store()
    if settings.SENDFILE == "nginx" and isinstance(store, FilesystemStore):
        return _accel_redirect(sha256, content_type, disposition_value)
    size = store.size(sha256)
    try:
        byte_range = wanted_range(request, sha256, size)
    except RangeNotSatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        refused["Accept-Ranges"] = "bytes"
        return refused
    start, length, status = 0, size, 200
    if byte_range is not None:
        start, length, status = byte_range.start, byte_range.length, 206
    response: HttpResponseBase
    if request.method == "HEAD" or length == 0:
        response = HttpResponse(status=status, content_type=content_type)
    else:
        handle = open_bytes(store, sha256, start, start + length)
        response = StreamingHttpResponse(
            _chunks(handle, length), status=status, content_type=content_type
        )
    _common_headers(response, sha256, disposition_value)
    response["Content-Length"] = str(length)
    if byte_range is not None:
        response["Content-Range"] = byte_range.content_range(size)
    return response


def accel_path(sha256: str) -> str:
    """Where nginx finds the blob: the prefix, then the store's ``ab/cd/<sha256>``."""
    return f"{settings.SENDFILE_PREFIX}{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _accel_redirect(sha256: str, content_type: str, disposition_value: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = accel_path(sha256)
    _common_headers(response, sha256, disposition_value)
    return response


# The kinds of image a watermark is drawn on; others (HEIC) are not decoded here.
WATERMARKED_IMAGES = ("image/jpeg", "image/png")


def serve_copy(
    sha256: str,
    *,
    content_type: str,
    disposition_value: str,
    user: Any,
    request_number: str = "",
) -> HttpResponse | None:
    """The watermarked copy of a stored image for ``user`` (R21.1), or None for a file that
    is no image: the stored file is read, never written, so its digest stays. The copy
    differs on every delivery, so it has no ETag and no ranges."""
    if content_type not in WATERMARKED_IMAGES:
        return None
    with get_store().open(sha256) as handle:
        original = handle.read()
    copy = registry.copy_watermarks["stamp"](original, content_type, user, request_number)
    if copy is None:
        return None
    response = HttpResponse(copy, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = disposition_value
    response["Content-Length"] = str(len(copy))
    return response
