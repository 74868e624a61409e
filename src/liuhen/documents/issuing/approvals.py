"""The approval of an internal form 审批表 (R7.1): the step that approves it, the requests
of a draft, and the approved request whose opinions the form prints."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.cases import approvals
from liuhen.cases.models import ApprovalRequest, ApprovalStatus
from liuhen.documents.catalog.data import DOCUMENT_STEP
from liuhen.documents.models import Document
from liuhen.documents.spec import FormSpec


def approval_step(spec: FormSpec) -> str:
    return spec.approval_step or DOCUMENT_STEP


def requests_of(document: Document, step: str) -> list[ApprovalRequest]:
    """R7.1: the approvals of this draft (the generic "document" step), or of the case's
    own step that approves this form — newest first, rejected ones too."""
    found = document.case.approval_requests.filter(step=step)
    if step == DOCUMENT_STEP:
        found = found.filter(ref=approvals.ref_of(document))
    return list(found.select_related("requested_by").prefetch_related("approvals__approver"))


def approved_request(document: Document, spec: FormSpec) -> ApprovalRequest:
    """The approved request whose opinions the internal form prints, or a ValidationError."""
    step = approval_step(spec)
    found: ApprovalRequest | None
    if step == DOCUMENT_STEP:
        found = document.approval
        if found is None or found.status != ApprovalStatus.APPROVED:
            found = None
    else:
        found = (
            document.case.approval_requests.filter(step=step, status=ApprovalStatus.APPROVED)
            .order_by("-decided_at", "-id")
            .first()
        )
    if found is None:
        raise ValidationError(
            _(
                "This internal form can be issued only after its approval (basis: the recording "
                "rules, Art. 7)."
            ),
            code="not_approved",
        )
    return found
