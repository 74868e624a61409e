"""/verify/<code>/: anyone holding a document checks it against the archive (no login).

The page shows what the document itself prints — title, 文号, date, issuing unit and bureau,
version — and the digests of its files, never the party: whoever has the code learns nothing
the paper does not say (R18.2). An uploaded PDF is hashed and compared with the files of
every version; a matching sealed PDF also has its seal checked against the trust roots of
the installed seal certificates. Every look-up is audited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from liuhen.core import audit
from liuhen.documents.events import DocumentEvents
from liuhen.documents.models import DocumentFile, IssuedDocument, SealCertificate
from liuhen.documents.seal import SealValidation, validate_pdf

VERIFY_MAX_BYTES = 50 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
MAX_VERSIONS = 100  # a remake chain longer than this is not a real document's history


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The PDF you hold (at most 50 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf", "class": "form-control"}
        ),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        upload.seek(0)
        head = upload.read(len(PDF_MAGIC))
        upload.seek(0)
        if head != PDF_MAGIC:
            raise forms.ValidationError(_("Upload the document as a PDF file."))
        return upload


@dataclass(frozen=True)
class FileDigest:
    file: DocumentFile
    version: int
    purpose: str
    sha256: str
    sm3: str


@dataclass(frozen=True)
class UploadCheck:
    matched: FileDigest | None
    seals: list[SealValidation]

    @property
    def result(self) -> str:
        return "match" if self.matched is not None else "mismatch"


def _versions(issued: IssuedDocument) -> list[IssuedDocument]:
    """Every version of the document, first to last (remakes before service)."""
    first = issued
    for _step in range(MAX_VERSIONS):
        if first.supersedes_id is None:
            break
        first = IssuedDocument.objects.get(pk=first.supersedes_id)
    chain = [first]
    for _step in range(MAX_VERSIONS):
        newer = IssuedDocument.objects.filter(supersedes=chain[-1]).order_by("issued_at").first()
        if newer is None:
            break
        chain.append(newer)
    return chain


def _digests(versions: list[IssuedDocument]) -> list[FileDigest]:
    files = (
        DocumentFile.objects.filter(issued__in=versions)
        .select_related("blob", "blob__late_sm3", "issued")
        .order_by("issued__version", "created_at", "id")
    )
    out = []
    for file in files:
        late = getattr(file.blob, "late_sm3", None)
        out.append(
            FileDigest(
                file=file,
                version=file.issued.version,
                purpose=file.get_purpose_display(),
                sha256=file.blob_id,
                sm3=file.blob.sm3 or (late.sm3 if late is not None else ""),
            )
        )
    return out


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _trust_roots() -> list[bytes]:
    pems = SealCertificate.objects.exclude(ca_pem="").values_list("ca_pem", flat=True)
    return [pem.encode("ascii") for pem in dict.fromkeys(pems)]


def _check_upload(upload: UploadedFile, digests: list[FileDigest]) -> UploadCheck:
    sha256 = _sha256(upload)
    matched = next((d for d in digests if d.sha256 == sha256), None)
    seals: list[SealValidation] = []
    if matched is not None and matched.file.sealed:
        # Only a file we issued is read whole: the seal check costs nothing for strangers.
        upload.seek(0)
        seals = validate_pdf(upload.read(), _trust_roots())
    return UploadCheck(matched=matched, seals=seals)


def _record(
    request: HttpRequest, code: str, result: str, issued: Any = None, **details: Any
) -> None:
    # The visitor is nobody we know: the system answers, the address is on record.
    audit.record(
        DocumentEvents.VERIFY,
        actor=audit.SYSTEM,
        request=request,
        obj=issued,
        object_type="" if issued is not None else "documents.issueddocument",
        details={"code": code[:64], "result": result, **details},
    )


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    _record(request, code, "unknown")
    return _private(render(request, "portal/not_found.html", status=404))


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    issued = IssuedDocument.objects.select_related("unit__bureau").filter(verify_code=code).first()
    if issued is None:
        return _not_found(request, code)
    versions = _versions(issued)
    digests = _digests(versions)
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    check: UploadCheck | None = None
    if request.method == "POST":
        if form.is_valid():
            check = _check_upload(form.cleaned_data["file"], digests)
            details: dict[str, Any] = {"size": form.cleaned_data["file"].size}
            if check.matched is not None:
                details |= {"version": check.matched.version, "sha256": check.matched.sha256}
            if check.seals:
                details["seals_intact"] = all(seal.intact for seal in check.seals)
                details["seals_trusted"] = all(seal.trusted for seal in check.seals)
            _record(request, code, check.result, issued, **details)
        else:
            _record(request, code, "refused", issued)
    else:
        _record(request, code, "shown", issued)
    newer = versions[versions.index(issued) + 1] if issued in versions[:-1] else None
    context = {
        "issued": issued,
        "issued_on": timezone.localdate(issued.issued_at),
        "newer": newer,
        "latest": versions[-1] if newer is not None else None,
        "corrections": list(issued.corrections.order_by("issued_at", "id")),
        "files": [d for d in digests if d.file.issued_id == issued.pk],
        "form": form,
        "check": check,
    }
    status = 400 if request.method == "POST" and check is None else 200
    return _private(render(request, "portal/verify.html", context, status=status))
