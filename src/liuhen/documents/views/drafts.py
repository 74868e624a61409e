"""The officer's drafting screens (R6.1, R7.1): start a document, fill it in, have it
approved and issue it.

- ``new_document``: the form picker (GET) and creating a draft (POST) — a new document (a
  record of one of the case's activities, ``activity``, takes its time, place, officers and
  party), a new version of an issued one not yet served (``supersedes``), or a written
  correction 补正 of a served one (``corrects``);
- ``draft``: the form with Save, Preview, Submit for approval, Issue, Discard;
- ``preview``: the draft as it would print, a PDF shown inline (a tablet's browser opens
  it in its own viewer).

A case or draft the person may not see answers 404; one they see but may not work, 403.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liuhen.activities.models import Activity
from liuhen.activities.perms import ActivityPerms
from liuhen.cases import approvals, hearings
from liuhen.cases.models import ApprovalStatus, Case
from liuhen.cases.perms import ApprovalPerms
from liuhen.cases.workflow import CASE_STEPS
from liuhen.core import access, panels
from liuhen.documents.actions import approval, drafting, issuing
from liuhen.documents.catalog import catalog
from liuhen.documents.forms import DocumentForm
from liuhen.documents.issuing.approvals import DOCUMENT_STEP, approval_step, requests_of
from liuhen.documents.issuing.rendering import preview_context
from liuhen.documents.models import Document, DocumentStatus, IssuedDocument
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.printing.pdf import render_pdf
from liuhen.documents.sections import case_activities, forms_by_stage, may_start
from liuhen.documents.spec import FormSpec
from liuhen.documents.views.helpers import acting_user, error_text, safe_name
from liuhen.media.playback import serving as playback


def _spec(form_code: str) -> FormSpec:
    try:
        return catalog.get(form_code)
    except KeyError:
        raise Http404("unknown form") from None


# --- new document -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def new_document(request: HttpRequest, case_id: int) -> HttpResponse:
    # The chair of a hearing held on the case, who does not work it, starts its report.
    case = access.get_visible_or_404(
        request.user,
        Case.objects.select_related("unit"),
        action=DocumentPerms.VIEW,
        request=request,
        pk=case_id,
    )
    works = access.can(request.user, DocumentPerms.DRAFT, case)
    if not works and not access.can(request.user, DocumentPerms.DRAFT_AS_CHAIR, case):
        # Neither works the case nor chaired a hearing held on it: 403, audited.
        access.require(request.user, DocumentPerms.DRAFT, case, request=request)
    startable = may_start(request.user, case)
    if request.method == "POST":
        return _create(request, case)
    code = request.GET.get("form", "")
    chosen = None
    if code:
        try:
            chosen = catalog.get(code)
        except KeyError:
            messages.error(request, _("There is no such form."))
    activity = _activity_of(request, case, request.GET.get("activity"))
    return render(
        request,
        "documents/new.html",
        {
            "case": case,
            "groups": forms_by_stage(
                case.stage,
                hearing_required=bool(hearings.case_hearing_right(case)),
                only=startable,
            ),
            "chosen": chosen if chosen is not None and startable(chosen) else None,
            "activities": case_activities(request.user, case) if works else [],
            "may_scan": works and access.can(request.user, DocumentPerms.SCAN, case),
            "chosen_activity": activity,
        },
    )


def _activity_of(request: HttpRequest, case: Case, raw: str | None) -> Activity | None:
    """The activity of ``case`` a new record is made of, seen by the user."""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("bad activity id")
    return access.get_visible_or_404(
        request.user,
        Activity.objects.filter(case=case).select_related("type", "party"),
        action=ActivityPerms.VIEW,
        request=request,
        pk=int(raw),
    )


def _issued_of(request: HttpRequest, case: Case, raw: str | None) -> IssuedDocument | None:
    """The issued document of ``case`` a new draft remakes or corrects, seen by the user."""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("bad document id")
    return access.get_visible_or_404(
        request.user,
        IssuedDocument.objects.filter(case=case),
        action=DocumentPerms.VIEW,
        request=request,
        pk=int(raw),
    )


def _correction_form() -> str:
    found = catalog.first_where(lambda spec: spec.written_correction)
    return found.code if found is not None else ""


def _create(request: HttpRequest, case: Case) -> HttpResponse:
    supersedes = _issued_of(request, case, request.POST.get("supersedes"))
    corrects = _issued_of(request, case, request.POST.get("corrects"))
    if supersedes is not None:
        form_code = supersedes.form_code
    elif corrects is not None:
        form_code = _correction_form()
    else:
        form_code = request.POST.get("form", "")
    activity = _activity_of(request, case, request.POST.get("activity"))
    try:
        document = drafting.create_draft(
            acting_user(request),
            case,
            form_code,
            activity=activity,
            supersedes=supersedes,
            corrects=corrects,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        origin = supersedes or corrects
        if origin is not None:
            return redirect("documents:issued", pk=origin.pk)
        again = urlencode({"form": form_code, **({"activity": activity.pk} if activity else {})})
        return redirect(f"{reverse('documents:new', args=[case.pk])}?{again}")
    return redirect("documents:draft", pk=document.pk)


# --- the draft ------------------------------------------------------------------------------


def _document(request: HttpRequest, pk: int) -> Document:
    return access.get_visible_or_404(
        request.user,
        Document.objects.select_related(
            "case", "case__unit", "supersedes", "corrects", "created_by", "approval"
        ),
        action=DocumentPerms.VIEW,
        request=request,
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
    document = _document(request, pk)
    spec = _spec(document.form_code)
    if request.method == "POST":
        return _act(request, document, spec)
    return _draft_page(request, document, spec, _form(request, document, spec))


def _act(request: HttpRequest, document: Document, spec: FormSpec) -> HttpResponse:
    """Save what was typed, then do what the button says."""
    user = acting_user(request)
    do = request.POST.get("do", "save")
    if do == "discard":
        try:
            drafting.discard_draft(user, document, request=request)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("documents:draft", pk=document.pk)
        messages.success(request, _("The draft has been discarded."))
        return redirect("cases:detail", pk=document.case_id)
    form = _form(request, document, spec, bound=True)
    try:
        # An approved draft is frozen: it is issued as approved, not saved again.
        if document.status == DocumentStatus.DRAFT or do == "save":
            document = drafting.save_draft(user, document, form.values(), request=request)
        if do == "preview":
            return redirect("documents:preview", pk=document.pk)
        if do == "submit":
            approval.submit_for_approval(
                user, document, note=request.POST.get("note", ""), request=request
            )
            messages.success(request, _("The document has been submitted for approval."))
        elif do == "issue":
            issued = issuing.issue(user, document, request=request)
            messages.success(request, _("The document has been issued."))
            return redirect("documents:issued", pk=issued.pk)
        else:
            messages.success(request, _("The draft has been saved."))
    except ValidationError as exc:
        panels.show_refusal(form, exc)
        document.refresh_from_db()
        return _draft_page(request, document, spec, form, status=400)
    return redirect("documents:draft", pk=document.pk)


def _draft_page(
    request: HttpRequest,
    document: Document,
    spec: FormSpec,
    form: DocumentForm,
    *,
    status: int = 200,
) -> HttpResponse:
    user = acting_user(request)
    # R7.1: an internal form waits for its own step; a served form may wait for a step of
    # the case (the advance notices for the case handling opinion's).
    step = approval_step(spec) if spec.internal else spec.issued_after_approval
    requests = requests_of(document, step) if step else []
    approved = not step or any(r.status == ApprovalStatus.APPROVED for r in requests)
    if step == DOCUMENT_STEP:
        approved = document.status == DocumentStatus.APPROVED
        may_ask = document.status == DocumentStatus.DRAFT
    elif step in CASE_STEPS:
        may_ask = approvals.chain_state(document.case, step).may_ask and access.can(
            user, ApprovalPerms.REQUEST, document.case
        )
    else:
        may_ask = False
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
        # Submitting the draft asks for its case step (not for a suspension's, which its
        # own page asks for with what it records).
        "asked_here": step in CASE_STEPS,
        "approval_requests": requests,
        # Who approves, in order, before anyone has asked (R7.1).
        "chain_roles": [] if requests or not step else approvals.chain_for(step),
        "approved": approved,
        "may_decide": any(approvals.may_decide(user, r) for r in requests),
        "may_submit": bool(step)
        and document.status == DocumentStatus.DRAFT
        and may_draft
        and may_ask
        and not approved,
        "may_issue": open_draft and access.can(user, DocumentPerms.ISSUE, document),
        "issued_versions": list(document.issues.order_by("-issued_at", "-id")),
    }
    return render(request, "documents/draft.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as it would print (watermarked 草稿, no number, no QR codes)."""
    document = _document(request, pk)
    rendered = render_pdf(preview_context(document, _spec(document.form_code)))
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    name = safe_name(f"{document.title}_draft_{document.pk}", "pdf")
    response["Content-Disposition"] = playback.disposition("inline", name)
    response["Cache-Control"] = "private, no-store"
    return response
