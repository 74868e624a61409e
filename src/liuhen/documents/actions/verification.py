"""Checking a document against the archive by its public code (R18.2): the audited look-up
behind the verification page (/verify/<code>/, no login).

The facts returned are what the document itself prints — title, 文号, date, issuing unit and
bureau, version — and the digests of its files, never the party: whoever has the code learns
nothing the paper does not say. An uploaded PDF is hashed and compared with the files of
every version; a matching sealed PDF also has its seal checked against the trust roots of
the installed seal certificates. Every look-up is audited; the visitor is nobody we know,
so the system answers, with the visitor's address on record.

An anonymous address gets ``VERIFY_LOOKUP_LIMIT`` look-ups per
``VERIFY_LOOKUP_WINDOW_SECONDS`` (counted in the audit log itself, so every server process
and a restart agree): beyond it the look-up is refused and only the first refusal is
recorded, so a script guessing codes can neither fill the audit log nor enumerate codes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from liuhen.core import audit
from liuhen.core.models import AuditEvent
from liuhen.documents.events import DocumentEvents
from liuhen.documents.issuing import versions
from liuhen.documents.models import DocumentFile, IssuedDocument
from liuhen.documents.seal.certificate import trust_roots
from liuhen.documents.seal.sealing import SealValidation, validate_pdf


@dataclass(frozen=True)
class PublicFile:
    """A file of one version as the archive holds it: its digests, never its bytes."""

    version: int
    purpose: str
    pages: int
    sealed: bool
    sha256: str
    sm3: str


@dataclass(frozen=True)
class PublicVersion:
    """Another document the page points to: a newer version or a written correction."""

    title: str
    number: str
    version: int
    issued_on: dt.date
    verify_code: str


@dataclass(frozen=True)
class PublicDocument:
    title: str
    number: str
    version: int
    issued_on: dt.date
    unit_name: str
    bureau_name: str
    files: list[PublicFile]  # this version's
    newer: PublicVersion | None  # the latest version, when this one was replaced
    corrections: list[PublicVersion]


@dataclass(frozen=True)
class UploadCheck:
    matched: PublicFile | None
    seals: list[SealValidation] = field(default_factory=list)

    @property
    def result(self) -> str:
        return "match" if self.matched is not None else "mismatch"


@dataclass(frozen=True)
class Verification:
    document: PublicDocument
    check: UploadCheck | None  # None: nothing was uploaded (or the upload was refused)


class TooManyLookups(Exception):
    """This address made more look-ups than the limit allows; ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many look-ups; retry after {retry_after}s")
        self.retry_after = retry_after


def _refuse_beyond_limit(request: HttpRequest | None, code: str) -> None:
    """Raise TooManyLookups when this anonymous address is over its limit, recording only
    the first refusal of the window."""
    if request is None or request.user.is_authenticated:
        return
    source = audit.client_ip(request)
    window = settings.VERIFY_LOOKUP_WINDOW_SECONDS
    recent = AuditEvent.objects.filter(
        action=DocumentEvents.VERIFY,
        ip=source,
        time__gte=timezone.now() - dt.timedelta(seconds=window),
    ).count()
    if recent < settings.VERIFY_LOOKUP_LIMIT:
        return
    if recent == settings.VERIFY_LOOKUP_LIMIT:
        _record(request, code, "throttled")
    raise TooManyLookups(window)


def verify_document(
    code: str,
    *,
    upload: UploadedFile | None = None,
    upload_refused: bool = False,
    request: HttpRequest | None = None,
) -> Verification | None:
    """The public facts of the document with verification code ``code`` (None: there is
    none), and the check of ``upload`` against its files. Audited: the result ("unknown",
    "shown", "match", "mismatch", or "refused" for an upload the page would not take).
    Raises TooManyLookups for an anonymous address over its limit."""
    _refuse_beyond_limit(request, code)
    issued = IssuedDocument.objects.select_related("unit__bureau").filter(verify_code=code).first()
    if issued is None:
        _record(request, code, "unknown")
        return None
    chain = versions.versions(issued)
    files = _files(chain)
    check: UploadCheck | None = None
    if upload is not None:
        check = _check_upload(upload, files)
        details: dict[str, Any] = {"size": upload.size}
        if check.matched is not None:
            details |= {"version": check.matched.version, "sha256": check.matched.sha256}
        if check.seals:
            details["seals_intact"] = all(seal.intact for seal in check.seals)
            details["seals_trusted"] = all(seal.trusted for seal in check.seals)
        _record(request, code, check.result, issued, **details)
    else:
        _record(request, code, "refused" if upload_refused else "shown", issued)
    return Verification(document=_public(issued, chain, files), check=check)


def _record(
    request: HttpRequest | None,
    code: str,
    result: str,
    issued: IssuedDocument | None = None,
    **details: Any,
) -> None:
    with transaction.atomic(durable=True):
        audit.record(
            DocumentEvents.VERIFY,
            actor=audit.SYSTEM,
            request=request,
            obj=issued,
            object_type="" if issued is not None else "documents.issueddocument",
            details={"code": code[:64], "result": result, **details},
        )


def _version(issued: IssuedDocument) -> PublicVersion:
    return PublicVersion(
        title=issued.title,
        number=issued.number,
        version=issued.version,
        issued_on=timezone.localdate(issued.issued_at),
        verify_code=issued.verify_code,
    )


def _public(
    issued: IssuedDocument, chain: list[IssuedDocument], files: dict[int, list[PublicFile]]
) -> PublicDocument:
    replaced = issued in chain[:-1]
    return PublicDocument(
        title=issued.title,
        number=issued.number,
        version=issued.version,
        issued_on=timezone.localdate(issued.issued_at),
        unit_name=issued.unit.name,
        bureau_name=issued.unit.bureau.name,
        files=files.get(issued.pk, []),
        newer=_version(chain[-1]) if replaced else None,
        corrections=[_version(c) for c in issued.corrections.order_by("issued_at", "id")],
    )


def _files(chain: list[IssuedDocument]) -> dict[int, list[PublicFile]]:
    """The files of every version, by the version's id, first to last."""
    rows = (
        DocumentFile.objects.filter(issued__in=chain)
        .select_related("blob", "blob__late_sm3", "issued")
        .order_by("issued__version", "created_at", "id")
    )
    found: dict[int, list[PublicFile]] = {}
    for row in rows:
        late = getattr(row.blob, "late_sm3", None)
        found.setdefault(row.issued_id, []).append(
            PublicFile(
                version=row.issued.version,
                purpose=str(row.get_purpose_display()),
                pages=row.pages,
                sealed=row.sealed,
                sha256=row.blob_id,
                sm3=row.blob.sm3 or (late.sm3 if late is not None else ""),
            )
        )
    return found


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _check_upload(upload: UploadedFile, files: dict[int, list[PublicFile]]) -> UploadCheck:
    sha256 = _sha256(upload)
    every = [file for version in files.values() for file in version]
    matched = next((f for f in every if f.sha256 == sha256), None)
    seals: list[SealValidation] = []
    if matched is not None and matched.sealed:
        # Only a file we issued is read whole: the seal check costs nothing for strangers.
        upload.seek(0)
        seals = validate_pdf(upload.read(), trust_roots())
    return UploadCheck(matched=matched, seals=seals)
