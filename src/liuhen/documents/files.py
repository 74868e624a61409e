"""The stored files of the text records (R18.4): an issued document's PDFs and scans, the
signature strokes and seal images, all in the blob store with SHA-256 and SM3."""

from __future__ import annotations

import io

from liuhen.core.blobs import get_store, store_blob
from liuhen.core.models import Blob
from liuhen.documents.models import DocumentFile, FilePurpose, IssuedDocument

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def store_bytes(data: bytes) -> Blob:
    return store_blob(io.BytesIO(data))


def read_blob(sha256: str) -> bytes:
    with get_store().open(sha256) as handle:
        return bytes(handle.read())


def current_file(issued: IssuedDocument) -> DocumentFile:
    """The signed version once there is one, else the file as issued (or the scan)."""
    files = {f.purpose: f for f in issued.files.all()}
    for purpose in (FilePurpose.SIGNED, FilePurpose.ISSUED, FilePurpose.SCAN):
        if purpose in files:
            return files[purpose]
    raise DocumentFile.DoesNotExist(f"issued document {issued.pk} has no file")
