"""The officer's document screens (R6.1, R7.1, R3.2): start a document, fill and issue it,
see what was issued, upload a paper scan. Views only call ``documents.actions``.

- ``new_document``: the form picker (GET) and creating a draft (POST) — a new document, a
  new version of an issued one not yet served (``supersedes``), or a written correction
  补正 of a served one (``corrects``);
- ``draft``: the form with Save, Preview, Submit for approval, Issue, Discard;
- ``preview``: the draft as it would print, a PDF shown inline (a tablet's browser opens
  it in its own viewer);
- ``issued`` and ``issued_file``: the issued document, its files and digests. Issued is
  write-once: any method but GET and HEAD answers 405 and is audited ("document.modify");
- ``scan``: a scanned paper record (PDF, JPEG, PNG).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liuhen.accounts.models import User
from liuhen.cases import approvals
from liuhen.cases.models import ApprovalRequest, ApprovalStatus, Case
from liuhen.core import access
from liuhen.documents import actions, catalog, issuing
from liuhen.documents.forms import DocumentForm, ScanForm, show_errors, sniff_content_type
from liuhen.documents.models import (
    Document,
    DocumentFile,
    DocumentStatus,
    FilePurpose,
    IssuedDocument,
    Origin,
)
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.section import OPEN_STATUSES, forms_by_stage
from liuhen.documents.spec import FormSpec
from liuhen.media.playback import serving as playback

CORRECTION_FORM = "document_correction"  # drafting rules: a served document is corrected in writing
SERVICES_TEMPLATE = "delivery/issued_services.html"  # the service records' block, when present
_READ_METHODS = ("GET", "HEAD")
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _spec(form_code: str) -> FormSpec:
    try:
        return catalog.get(form_code)
    except KeyError:
        raise Http404("unknown form") from None


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- new document -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def new_document(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("unit"), pk=case_id)
    if request.method == "POST":
        return _create(request, case)
    access.require(request.user, DocumentPerms.DRAFT, case, request=request)
    code = request.GET.get("form", "")
    chosen = None
    if code:
        try:
            chosen = catalog.get(code)
        except KeyError:
            messages.error(request, _("There is no such form."))
    return render(
        request,
        "documents/new.html",
        {"case": case, "groups": forms_by_stage(case.stage), "chosen": chosen},
    )


def _issued_of(case: Case, raw: str | None) -> IssuedDocument | None:
    if not raw:
        return None
    try:
        return get_object_or_404(IssuedDocument, pk=int(raw), case=case)
    except ValueError:
        raise Http404("bad document id") from None


def _create(request: HttpRequest, case: Case) -> HttpResponse:
    supersedes = _issued_of(case, request.POST.get("supersedes"))
    corrects = _issued_of(case, request.POST.get("corrects"))
    if supersedes is not None:
        form_code = supersedes.form_code
    elif corrects is not None:
        form_code = CORRECTION_FORM
    else:
        form_code = request.POST.get("form", "")
    try:
        document = actions.create_draft(
            request.user,
            case,
            form_code,
            supersedes=supersedes,
            corrects=corrects,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        origin = supersedes or corrects
        if origin is not None:
            return redirect("documents:issued", pk=origin.pk)
        return redirect(f"{reverse('documents:new', args=[case.pk])}?form={form_code}")
    return redirect("documents:draft", pk=document.pk)


# --- the draft ------------------------------------------------------------------------------


def _document(pk: int) -> Document:
    return get_object_or_404(
        Document.objects.select_related(
            "case", "case__unit", "supersedes", "corrects", "created_by", "approval"
        ),
        pk=pk,
    )


def _form(
    request: HttpRequest, document: Document, spec: FormSpec, *, bound: bool = False
) -> DocumentForm:
    editable = document.status == DocumentStatus.DRAFT and access.can(
        request.user, DocumentPerms.DRAFT, document
    )
    data = request.POST if bound else None
    return DocumentForm(spec, document.data, data, read_only=not editable)


@login_required
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    access.require(request.user, DocumentPerms.VIEW, document, request=request)
    spec = _spec(document.form_code)
    if request.method == "POST":
        return _act(request, document, spec)
    return _draft_page(request, document, spec, _form(request, document, spec))


def _act(request: HttpRequest, document: Document, spec: FormSpec) -> HttpResponse:
    """Save what was typed, then do what the button says."""
    user = request.user
    do = request.POST.get("do", "save")
    if do == "discard":
        try:
            actions.discard_draft(user, document, request=request)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect("documents:draft", pk=document.pk)
        messages.success(request, _("The draft has been discarded."))
        return redirect("cases:detail", pk=document.case_id)
    form = _form(request, document, spec, bound=True)
    try:
        # An approved draft is frozen: it is issued as approved, not saved again.
        if document.status == DocumentStatus.DRAFT or do == "save":
            document = actions.save_draft(user, document, form.values(), request=request)
        if do == "preview":
            return redirect("documents:preview", pk=document.pk)
        if do == "submit":
            actions.submit_for_approval(
                user, document, note=request.POST.get("note", ""), request=request
            )
            messages.success(request, _("The document has been submitted for approval."))
        elif do == "issue":
            issued = actions.issue(user, document, request=request)
            messages.success(request, _("The document has been issued."))
            return redirect("documents:issued", pk=issued.pk)
        else:
            messages.success(request, _("The draft has been saved."))
    except ValidationError as exc:
        show_errors(form, exc)
        document.refresh_from_db()
        return _draft_page(request, document, spec, form, status=400)
    return redirect("documents:draft", pk=document.pk)


def _approval_requests(document: Document, step: str) -> list[ApprovalRequest]:
    """R7.1: the approvals of this draft (the generic "document" step), or of the case's
    own step that approves this form — newest first, rejected ones too."""
    found = ApprovalRequest.objects.filter(case=document.case, step=step)
    if step == "document":
        found = found.filter(ref=approvals.ref_of(document))
    return list(found.select_related("requested_by").prefetch_related("approvals__approver"))


def _draft_page(
    request: HttpRequest,
    document: Document,
    spec: FormSpec,
    form: DocumentForm,
    *,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    step = actions.approval_step(spec) if spec.internal else ""
    requests = _approval_requests(document, step) if step else []
    approved = not spec.internal or any(r.status == ApprovalStatus.APPROVED for r in requests)
    if step == "document":
        approved = document.status == DocumentStatus.APPROVED
    open_draft = document.status in (DocumentStatus.DRAFT, DocumentStatus.APPROVED)
    may_draft = access.can(user, DocumentPerms.DRAFT, document)
    context: dict[str, Any] = {
        "document": document,
        "case": document.case,
        "spec": spec,
        "form": form,
        "editable": document.status == DocumentStatus.DRAFT and may_draft,
        "may_discard": open_draft and may_draft,
        "approval_step": step,
        "approval_step_label": approvals.step_label(step) if step else "",
        "approval_requests": requests,
        "approved": approved,
        "may_decide": isinstance(user, User)
        and any(approvals.may_decide(user, r) for r in requests),
        "may_submit": step == "document" and document.status == DocumentStatus.DRAFT and may_draft,
        "may_issue": open_draft and access.can(user, DocumentPerms.ISSUE, document),
        "issued_versions": list(document.issues.order_by("-issued_at", "-id")),
    }
    return render(request, "documents/draft.html", context, status=status)


def _safe_name(stem: str, extension: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem).strip("_") + f".{extension}"


@login_required
@require_http_methods(["GET", "HEAD"])
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as it would print (watermarked 草稿, no number, no QR codes)."""
    from liuhen.documents.pdf import render_pdf

    document = _document(pk)
    access.require(request.user, DocumentPerms.VIEW, document, request=request)
    rendered = render_pdf(issuing.preview_context(document, _spec(document.form_code)))
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    name = _safe_name(f"{document.title}_draft_{document.pk}", "pdf")
    response["Content-Disposition"] = playback.disposition("inline", name)
    response["Cache-Control"] = "private, no-store"
    return response


# --- the issued document (write-once) -----------------------------------------------------


def _refuse_change(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Nothing issued is ever changed: the attempt is refused and audited."""
    actions.refuse_change(request.user, pk, f"{request.method} {what}", request=request)
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
    document = get_object_or_404(
        IssuedDocument.objects.select_related(
            "case", "case__unit", "unit", "issued_by", "supersedes", "corrects", "document"
        ),
        pk=pk,
    )
    actions.view_issued(request.user, document, request=request)
    return render(request, "documents/issued.html", _issued_context(request, document))


def _issued_context(request: HttpRequest, document: IssuedDocument) -> dict[str, Any]:
    user = request.user
    served = issuing.is_served(document)
    replaced_by = list(document.superseded_by.order_by("issued_at", "id"))
    open_drafts = Document.objects.filter(status__in=OPEN_STATUSES)
    remake_drafts = list(open_drafts.filter(supersedes=document))
    correction_drafts = list(open_drafts.filter(corrects=document))
    may_draft = access.can(user, DocumentPerms.DRAFT, document)
    finalisation = getattr(document, "finalisation", None)
    files = list(document.files.select_related("blob", "blob__late_sm3", "created_by"))
    return {
        "issued": document,
        "case": document.case,
        # The form as it was issued (a bureau form may have changed since).
        "spec": catalog.spec_of_issued(document),
        "files": files,
        "current_file": issuing.current_file(document) if files else None,
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
        "verify_url": issuing.verify_url(document.verify_code),
        "signatures": list(document.signatures.select_related("recorded_by")),
        "refusals": list(
            document.refusals.select_related("recorded_by").prefetch_related("recordings__record")
        ),
        "finalisation": finalisation,
        "may_sign": document.needs_signature
        and finalisation is None
        and access.can(user, DocumentPerms.SIGN, document),
        "sign_url": f"/documents/issued/{document.pk}/sign/",
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
    return _safe_name(stem, _EXTENSIONS.get(file.content_type, "bin"))


@login_required
def issued_file(request: HttpRequest, pk: int, purpose: str) -> HttpResponseBase:
    """One file of an issued document, streamed from the blob store; the download is
    audited by ``actions.open_file``. ``?inline=1`` shows it in the browser instead."""
    if request.method not in _READ_METHODS:
        return _refuse_change(request, pk, f"file {purpose}")
    if purpose not in FilePurpose.values:
        raise Http404("no such file")
    document = get_object_or_404(IssuedDocument, pk=pk)
    try:
        file = actions.open_file(request.user, document, purpose=purpose, request=request)
    except DocumentFile.DoesNotExist:
        raise Http404("no such file") from None
    kind = "inline" if request.GET.get("inline") else "attachment"
    return playback.serve_blob(
        request,
        file.blob_id,
        content_type=file.content_type,
        disposition_value=playback.disposition(kind, _file_name(document, file)),
    )


# --- paper scans (R3.2) -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("unit"), pk=case_id)
    access.require(request.user, DocumentPerms.SCAN, case, request=request)
    groups = [(group.label, group.forms) for group in forms_by_stage(case.stage)]
    form = ScanForm(
        groups,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"form_code": request.GET.get("form", "")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte over the limit is enough for the action to refuse a file too large.
        content = upload.read(actions.SCAN_MAX_BYTES + 1)
        try:
            issued_scan = actions.upload_scan(
                request.user,
                case,
                form.cleaned_data["form_code"],
                content=content,
                content_type=sniff_content_type(content[:8], upload.content_type or ""),
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The scan has been stored."))
            return redirect("documents:issued", pk=issued_scan.pk)
    return render(
        request,
        "documents/scan.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )
