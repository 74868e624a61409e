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
from liuhen.cases.models import ApprovalRequest
from liuhen.core import access, audit
from liuhen.core.audit import Actor
from liuhen.documents.actions import guards
from liuhen.documents.catalog import values
from liuhen.documents.events import DocumentEvents
from liuhen.documents.issuing.approvals import DOCUMENT_STEP, approval_step
from liuhen.documents.models import Document, DocumentStatus
from liuhen.documents.perms import DocumentPerms


def submit_for_approval(
    actor: User, document: Document, *, note: str = "", request: HttpRequest | None = None
) -> ApprovalRequest:
    """R7.1: an internal form goes to its approvers, who sign opinions that are printed on
    it. A form tied to a case step (filing, decision, closing …) is approved by that step's
    own request; only the generic forms are asked for here."""
    access.require(actor, DocumentPerms.DRAFT, document, request=request)
    spec = guards.form(document.form_code)
    if not spec.internal:
        raise ValidationError(_("Only internal forms need approval."), code="not_internal")
    values.clean(spec, document.data, require=True)
    step = approval_step(spec)
    if step != DOCUMENT_STEP:
        raise ValidationError(
            _("This form is approved through the case's own %(step)s approval.")
            % {"step": approvals.step_label(step)},
            code="case_step",
        )
    with transaction.atomic(durable=True):
        document = Document.objects.select_for_update().get(pk=document.pk)
        guards.require_draft(document)
        approval_request = approval_actions.request_approval_about(
            actor, document.case, DOCUMENT_STEP, note=note, about=document, request=request
        )
        document.approval = approval_request
        document.status = DocumentStatus.PENDING
        document.save(update_fields=["approval", "status"])
        audit.record(
            DocumentEvents.SUBMIT,
            actor=actor,
            request=request,
            obj=document,
            case_id=document.case_id,
            details={"approval": approval_request.pk},
        )
    return approval_request


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
