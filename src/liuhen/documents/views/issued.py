"""The issued document (write-once, R6.1, R18.2): its page with files and digests, and each
file for download. Any method but GET and HEAD answers 405 and is audited
("document.modify"); a document the person may not see answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _

from liuhen.core import access
from liuhen.core.blobs import get_store
from liuhen.documents.actions import issuing, reading
from liuhen.documents.catalog import catalog
from liuhen.documents.files import current_file
from liuhen.documents.issuing import versions
from liuhen.documents.issuing.rendering import verify_url
from liuhen.documents.models import DocumentFile, FilePurpose, IssuedDocument, Origin
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.printing import watermark
from liuhen.documents.sections import OPEN_STATUSES
from liuhen.documents.views.helpers import acting_user, safe_name
from liuhen.media.playback import serving as playback

SERVICES_TEMPLATE = "delivery/issued_services.html"  # the service records' block, when present
_READ_METHODS = ("GET", "HEAD")
WATERMARKED_TYPES = ("application/pdf", *watermark.IMAGE_FORMATS)
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _refuse_change(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Nothing issued is ever changed: the attempt is refused and audited."""
    issuing.refuse_change(acting_user(request), pk, f"{request.method} {what}", request=request)
    return HttpResponseNotAllowed(
        _READ_METHODS,
        _("An issued document is write-once: it cannot be changed or deleted."),
        content_type="text/plain; charset=utf-8",
    )


def _services_template() -> str:
    try:
        get_template(SERVICES_TEMPLATE)
    except TemplateDoesNotExist:
        return ""
    return SERVICES_TEMPLATE


@login_required
def issued(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method not in _READ_METHODS:
        return _refuse_change(request, pk, "issued")
    document = access.get_visible_or_404(
        request.user,
        IssuedDocument.objects.select_related(
            "case", "case__unit", "unit", "issued_by", "supersedes", "corrects", "document"
        ),
        action=DocumentPerms.VIEW,
        request=request,
        pk=pk,
    )
    reading.view_issued(acting_user(request), document, request=request)
    return render(request, "documents/issued.html", _issued_context(request, document))


def _issued_context(request: HttpRequest, document: IssuedDocument) -> dict[str, Any]:
    user = request.user
    served = versions.is_served(document)
    replaced_by = list(document.superseded_by.order_by("issued_at", "id"))
    remake_drafts = list(document.remakes.filter(status__in=OPEN_STATUSES))
    correction_drafts = list(document.correction_drafts.filter(status__in=OPEN_STATUSES))
    may_draft = access.can(user, DocumentPerms.DRAFT, document)
    finalisation = getattr(document, "finalisation", None)
    files = list(document.files.select_related("blob", "blob__late_sm3", "created_by"))
    return {
        "issued": document,
        "case": document.case,
        # The form as it was issued (a bureau form may have changed since).
        "spec": catalog.spec_of_issued(document),
        "files": files,
        "current_file": current_file(document) if files else None,
        "served": served,
        "replaced_by": replaced_by,
        "corrections": list(document.corrections.order_by("issued_at", "id")),
        "remake_drafts": remake_drafts,
        "correction_drafts": correction_drafts,
        # Drafting rules: before service a wrong document is remade (new version, same 文号);
        # after service it is corrected in writing (补正).
        "may_remake": may_draft
        and not served
        and not replaced_by
        and not remake_drafts
        and document.origin == Origin.GENERATED,
        "may_correct": may_draft and served,
        "verify_url": verify_url(document.verify_code),
        "signatures": list(document.signatures.select_related("recorded_by")),
        "officer_signatures": list(document.officer_signatures.order_by("signed_at", "id")),
        "refusals": list(
            document.refusals.select_related("recorded_by").prefetch_related("recordings__record")
        ),
        "finalisation": finalisation,
        # The hearing's chair and clerk come here to sign their own lines (OFFICER_SIGN).
        "may_sign": document.needs_signature
        and finalisation is None
        and (
            access.can(user, DocumentPerms.SIGN, document)
            or access.can(user, DocumentPerms.OFFICER_SIGN, document)
        ),
        "sign_url": reverse("documents:sign", args=[document.pk]),
        "may_download": access.can(user, DocumentPerms.DOWNLOAD, document),
        "services_template": _services_template(),
    }


def _file_name(document: IssuedDocument, file: DocumentFile) -> str:
    stem = document.title
    if document.number:
        stem += f"_{document.number}"
    if document.version > 1:
        stem += f"_v{document.version}"
    if file.purpose == FilePurpose.SIGNED:
        stem += "_signed"
    return safe_name(stem, _EXTENSIONS.get(file.content_type, "bin"))


@login_required
def issued_file(request: HttpRequest, pk: int, purpose: str) -> HttpResponseBase:
    """One file of an issued document, streamed from the blob store; the download is
    audited by ``reading.open_file``. ``?inline=1`` shows it in the browser instead."""
    if request.method not in _READ_METHODS:
        return _refuse_change(request, pk, f"file {purpose}")
    if purpose not in FilePurpose.values:
        raise Http404("no such file")
    document = access.get_visible_or_404(
        request.user, IssuedDocument, action=DocumentPerms.DOWNLOAD, request=request, pk=pk
    )
    try:
        file = reading.open_file(acting_user(request), document, purpose=purpose, request=request)
    except DocumentFile.DoesNotExist:
        raise Http404("no such file") from None
    kind = "inline" if request.GET.get("inline") else "attachment"
    copy = _watermarked(request, document, file)
    if copy is not None:
        answer = HttpResponse(copy, content_type=file.content_type)
        answer["Content-Disposition"] = playback.disposition(kind, _file_name(document, file))
        answer["Cache-Control"] = "private, no-store"
        return answer
    return playback.serve_blob(
        request,
        file.blob_id,
        content_type=file.content_type,
        disposition_value=playback.disposition(kind, _file_name(document, file)),
    )


def _watermarked(
    request: HttpRequest, document: IssuedDocument, file: DocumentFile
) -> bytes | None:
    """R21.1: the copy handed out carries who took it, when, and under which 调阅 grant;
    the stored file stays as it is. None for a file that is no PDF or image."""
    if file.content_type not in WATERMARKED_TYPES:
        return None
    user: Any = request.user
    number = access.used_grant(user, DocumentPerms.DOWNLOAD, document).get("grant", "")
    with get_store().open(file.blob_id) as handle:
        original = handle.read()
    return watermark.stamp_copy(original, file.content_type, user, number)
