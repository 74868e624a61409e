"""Moving a case to its next stage (R3.1) and closing it 结案."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases import approvals, notices
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


def close_case(
    actor: User,
    case: Case,
    *,
    condition: str,
    request: HttpRequest | None = None,
) -> Case:
    """结案: a closing condition and an approved closing report 结案报告 (农业行政处罚程序规定)."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
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
