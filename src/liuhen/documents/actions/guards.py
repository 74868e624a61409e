"""What the document actions check first: the form exists, a draft is still a draft (an
archived case is refused by ``liuhen.cases.actions.frozen``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases import approvals, decisions, hearings
from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.documents.catalog import catalog
from liuhen.documents.models import Document, DocumentStatus
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.spec import FormSpec


def form(code: str) -> FormSpec:
    """The form ``code``, or a ValidationError on the field that named it."""
    try:
        return catalog.get(code)
    except KeyError:
        raise ValidationError(
            {"form_code": [_("There is no such form.")]}, code="invalid"
        ) from None


def drafted_by_chair(code: str) -> bool:
    """The form ``code`` is one the hearing's chair writes (the 听证会报告书)."""
    try:
        return catalog.get(code).drafted_by_hearing_chair
    except KeyError:
        return False


def draft_permission(user: User, case: Case, code: str) -> str:
    """What starting a new ``code`` draft on ``case`` asks of ``user``: working the case,
    or, for a form the hearing's chair writes, having chaired a hearing held on it."""
    if drafted_by_chair(code) and not access.can(user, DocumentPerms.DRAFT, case):
        return DocumentPerms.DRAFT_AS_CHAIR
    return DocumentPerms.DRAFT


def require_hearing_variant(case: Case, spec: FormSpec) -> None:
    """An advance notice without the hearing right is refused when the proposed penalty
    carries that right (Art. 63; 农业行政处罚程序规定 Art. 59): the 听证 variant is used."""
    if not spec.advance_notice or spec.hearing_right:
        return
    required = hearings.case_hearing_right(case)
    if required:
        raise ValidationError(
            {"form_code": [decisions.hearing_right_missing(required.reasons)]},
            code="hearing_right_required",
        )


def require_prior_approval(case: Case, spec: FormSpec) -> None:
    """R7.1: a served form issued after a case step's approval (the advance notices after
    the case handling opinion's) is refused until that step is approved."""
    step = spec.issued_after_approval
    if step and not approvals.is_approved(case, step):
        raise ValidationError(
            _(
                "%(form)s is issued only after “%(step)s” has been approved: ask for that "
                "approval first."
            )
            % {"form": spec.title, "step": approvals.step_label(step)},
            code="prior_approval_missing",
        )


def require_draft(document: Document) -> None:
    """Only a draft is changed: submitted, approved or issued, its values are frozen."""
    if document.status not in (DocumentStatus.DRAFT,):
        raise ValidationError(
            _("Only a draft can be changed; this document is %(status)s.")
            % {"status": document.get_status_display()},
            code="not_draft",
        )
