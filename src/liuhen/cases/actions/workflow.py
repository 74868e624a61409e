"""Moving a case to its next stage (R3.1) and closing it 结案."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases import approvals, notices
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import Case, ClosingCondition, Stage
from liuhen.cases.perms import CasePerms
from liuhen.cases.workflow import blockers, has_decision, next_stage
from liuhen.core import access, audit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User


def advance_stage(actor: User, case: Case, *, request: HttpRequest | None = None) -> Case:
    """Move ``case`` to its next stage, or ValidationError with every reason it may not."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    refuse_if_archived(actor, case, "cases.advance_stage", request=request)
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case.pk)
        found = blockers(case)
        if found:
            raise ValidationError([b.message for b in found], code="blocked")
        old, new = case.stage, next_stage(case)
        assert new is not None
        case.stage = new
        case.save(update_fields=["stage"])
        audit.record(
            CaseEvents.STAGE,
            actor=actor,
            request=request,
            obj=case,
            details={"from": old, "to": new},
        )
        if new == Stage.DECISION and case.needs_legal_review:
            notices.legal_review_due(case)
    return case


def mark_review_grounds(
    actor: User,
    case: Case,
    *,
    complex_or_serious: bool,
    major_public_interest: bool,
    reason: str,
    request: HttpRequest | None = None,
) -> Case:
    """Whether ``case`` is complex or serious 案情疑难复杂、情节严重 or of major public
    interest: the grounds on which it needs 法制审核 (Art. 58) and, complex or serious,
    集体讨论 (Art. 57); the reviewer and the agency head find it in 我的待办 by them."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    refuse_if_archived(actor, case, "cases.mark_review_grounds", request=request)
    if case.closed_at is not None:
        raise ValidationError(_("The case is closed already."), code="state")
    if case.stage not in (Stage.INVESTIGATION, Stage.DECISION):
        raise ValidationError(
            _("The grounds are set while the case is investigated or decided."), code="state"
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason."), code="required")
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case.pk)
        needed_before = case.needs_legal_review
        before = {
            "complex_or_serious": case.complex_or_serious,
            "major_public_interest": case.major_public_interest,
        }
        case.complex_or_serious = complex_or_serious
        case.major_public_interest = major_public_interest
        case.save(update_fields=["complex_or_serious", "major_public_interest"])
        audit.record(
            CaseEvents.REVIEW_GROUNDS,
            actor=actor,
            request=request,
            obj=case,
            details={
                "from": before,
                "to": {
                    "complex_or_serious": complex_or_serious,
                    "major_public_interest": major_public_interest,
                },
                "reason": reason.strip(),
            },
        )
        # Already in the decision stage: the reviewers hear of it now, not at the change.
        if case.stage == Stage.DECISION and case.needs_legal_review and not needed_before:
            notices.legal_review_due(case)
    return case


def close_case(
    actor: User,
    case: Case,
    *,
    condition: str,
    request: HttpRequest | None = None,
) -> Case:
    """结案: a closing condition and an approved closing report 结案报告 (农业行政处罚程序规定)."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    refuse_if_archived(actor, case, "cases.close_case", request=request)
    if condition not in ClosingCondition.values:
        raise ValidationError(_("Choose a closing condition."), code="required")
    if case.closed_at is not None:
        raise ValidationError(_("The case is closed already."), code="state")
    if case.stage not in (Stage.DECISION, Stage.SERVICE):
        raise ValidationError(
            _("A case is closed after the review and decision stage has begun."), code="state"
        )
    if not approvals.is_approved(case, "closing"):
        raise ValidationError(
            _("The closing report (结案报告) has not been approved."), code="not_approved"
        )
    if condition == ClosingCondition.EXECUTED and not has_decision(case):
        raise ValidationError(_("There is no decision that could have been executed."))
    with transaction.atomic(durable=True):
        case.closing_condition = condition
        case.closed_at = timezone.now()
        case.save(update_fields=["closing_condition", "closed_at"])
        audit.record(
            CaseEvents.CLOSE,
            actor=actor,
            request=request,
            obj=case,
            details={"condition": condition},
        )
    return case
