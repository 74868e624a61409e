"""Approval of an internal form 审批表 before it is issued (R7.1): a form no case step covers
goes to its approvers under the step "document", whose opinions it prints."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.accounts.models import User
from liuhen.cases import approvals
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.models import ApprovalRequest
from liuhen.cases.perms import ApprovalPerms
from liuhen.cases.workflow import CASE_STEPS
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.documents.actions import guards
from liuhen.documents.catalog import values
from liuhen.documents.events import DocumentEvents
from liuhen.documents.issuing.approvals import DOCUMENT_STEP, approval_step
from liuhen.documents.models import Document, DocumentStatus
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.spec import FormSpec


def submit_for_approval(
    actor: User, document: Document, *, note: str = "", request: HttpRequest | None = None
) -> ApprovalRequest:
    """R7.1: a draft goes to the approvers of the step it waits for.

    An internal form (审批表) no case step covers goes under the step "document", whose
    opinions it prints. The 审批表 of a case step (filing, decision, closing …) is that
    step's request: submitting it asks for the step, or joins the request already asked for
    on the case's pages, linked to the draft. A served form issued after a step's approval
    (the advance notices after the case handling opinion's) asks for that step."""
    access.require(actor, DocumentPerms.DRAFT, document, request=request)
    refuse_if_archived(actor, document.case, "documents.submit_for_approval", request=request)
    spec = guards.form(document.form_code)
    step = approval_step(spec) if spec.internal else spec.issued_after_approval
    if not step:
        raise ValidationError(_("This form needs no approval."), code="not_internal")
    if step not in (DOCUMENT_STEP, *CASE_STEPS):
        # A suspension, a resumption …: their own action records more than a request.
        raise ValidationError(
            _("This form is approved through the case's own %(step)s approval.")
            % {"step": approvals.step_label(step)},
            code="case_step",
        )
    if spec.internal:
        values.clean(spec, document.data, require=True)
    if step != DOCUMENT_STEP:
        return _submit_for_case_step(actor, document, spec, step, note=note, request=request)
    with transaction.atomic(durable=True):
        document = Document.objects.select_for_update().get(pk=document.pk)
        guards.require_draft(document)
        approval_request = approval_actions.request_approval_about(
            actor, document.case, DOCUMENT_STEP, note=note, about=document, request=request
        )
        document.approval = approval_request
        document.status = DocumentStatus.PENDING
        document.save(update_fields=["approval", "status"])
        _record_submit(actor, document, approval_request, request)
    return approval_request


def _submit_for_case_step(
    actor: User,
    document: Document,
    spec: FormSpec,
    step: str,
    *,
    note: str,
    request: HttpRequest | None,
) -> ApprovalRequest:
    """The case's own request of ``step``; an internal form is linked to it and stays a
    draft, issued once the step is approved (the case's pages may ask for it too)."""
    access.require(actor, ApprovalPerms.REQUEST, document.case, request=request)
    with transaction.atomic(durable=True):
        document = Document.objects.select_for_update().get(pk=document.pk)
        guards.require_draft(document)
        if approvals.is_approved(document.case, step):
            raise ValidationError(
                _("“%(step)s” has been approved already: the document can be issued.")
                % {"step": approvals.step_label(step)},
                code="approved",
            )
        approval_request = approval_actions.request_or_join(
            actor, document.case, step, note=note, request=request
        )
        if spec.internal:
            taken = Document.objects.filter(approval=approval_request).exclude(pk=document.pk)
            if taken.exists():
                raise ValidationError(
                    _("This step is already awaiting approval with another draft of the form."),
                    code="duplicate",
                )
            document.approval = approval_request
            document.save(update_fields=["approval"])
        _record_submit(actor, document, approval_request, request)
    return approval_request


def _record_submit(
    actor: User,
    document: Document,
    approval_request: ApprovalRequest,
    request: HttpRequest | None,
) -> None:
    audit.record(
        DocumentEvents.SUBMIT,
        actor=actor,
        request=request,
        obj=document,
        case_id=document.case_id,
        details={"approval": approval_request.pk, "step": approval_request.step},
    )


def _document_approved(
    actor: User | Actor, approval_request: ApprovalRequest, request: HttpRequest | None
) -> None:
    Document.objects.filter(approval=approval_request).update(status=DocumentStatus.APPROVED)


def _document_rejected(
    actor: User | Actor, approval_request: ApprovalRequest, request: HttpRequest | None
) -> None:
    # Back to draft: the officer revises it and asks again (the rejection stays on record).
    Document.objects.filter(approval=approval_request).update(
        status=DocumentStatus.DRAFT, approval=None
    )


# R7.1: an internal form (审批表) is approved before it is issued.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        DOCUMENT_STEP,
        gettext_lazy("Internal document (审批表)"),
        on_approved=_document_approved,
        on_rejected=_document_rejected,
    ),
)
