"""The stages of a case (R3.1): 启动 → 调查取证 → 审核决定 → 送达执行 → 归档.

Before a case leaves a stage, the workflow's own conditions and the blocking checks of
``liuhen.cases.compliance`` are asked; a refused move says why, in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.cases import approvals, compliance
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import Case, ClosingCondition, Decision, Procedure, Stage
from liuhen.cases.perms import CasePerms
from liuhen.core import access

if TYPE_CHECKING:
    from django.http import HttpRequest

ORDER: list[str] = list(Stage.values)


@dataclass(frozen=True)
class Blocker:
    """A reason the case cannot leave its stage."""

    code: str
    message: str
    article: str = ""


def next_stage(case: Case) -> str | None:
    index = ORDER.index(case.stage) if case.stage in ORDER else 0
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def _compliance_findings(case: Case) -> list[Blocker]:
    return [
        Blocker(str(f.code), str(f.message), f.article)
        for f in compliance.blocking_findings(case, case.stage)
    ]


def _has_decision(case: Case) -> bool:
    return Decision.objects.filter(case=case).exists()


def blockers(case: Case) -> list[Blocker]:
    """Everything that keeps ``case`` in its stage now (empty: it may move on)."""
    found: list[Blocker] = []
    if next_stage(case) is None:
        return [Blocker("last_stage", _("The case is in its last stage."))]
    from liuhen.cases import suspensions

    if suspensions.is_suspended(case):
        # 农业行政处罚程序规定: a suspended investigation is resumed (approved) first.
        found.append(
            Blocker(
                "suspended",
                _(
                    "The investigation is suspended (中止调查): it must be resumed, with "
                    "approval, before the case moves on."
                ),
            )
        )
    if case.stage == Stage.INITIATION and not approvals.is_approved(case, "filing"):
        found.append(
            Blocker("filing_not_approved", _("Filing (立案) has not been approved."), "54")
        )
    if (
        case.stage == Stage.DECISION
        and not _has_decision(case)
        and case.closing_condition
        not in (
            ClosingCondition.NO_PENALTY,
            ClosingCondition.REVOKED,
        )
    ):
        found.append(Blocker("no_decision", _("No penalty decision has been made."), "59"))
    if case.stage == Stage.SERVICE and case.closed_at is None:
        found.append(
            Blocker("not_closed", _("The case has not been closed (结案) with an approved report."))
        )
    found.extend(_compliance_findings(case))
    return found


def advance_stage(actor: Any, case: Case, *, request: HttpRequest | None = None) -> Case:
    """Move ``case`` to its next stage, or ValidationError with every reason it may not."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        found = blockers(case)
        if found:
            raise ValidationError([b.message for b in found], code="blocked")
        old, new = case.stage, next_stage(case)
        assert new is not None
        case.stage = new
        case.save(update_fields=["stage"])
        from liuhen.core import audit

        audit.record(
            CaseEvents.STAGE,
            actor=actor,
            request=request,
            obj=case,
            details={"from": old, "to": new},
        )
    return case


def close_case(
    actor: Any,
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
    if condition == ClosingCondition.EXECUTED and not _has_decision(case):
        raise ValidationError(_("There is no decision that could have been executed."))
    with transaction.atomic():
        case.closing_condition = condition
        case.closed_at = timezone.now()
        case.save(update_fields=["closing_condition", "closed_at"])
        from liuhen.core import audit

        audit.record(
            CaseEvents.CLOSE,
            actor=actor,
            request=request,
            obj=case,
            details={"condition": condition},
        )
    return case


def is_simple(case: Case) -> bool:
    return case.procedure == Procedure.SIMPLE


# R7.1, R7.2: steps whose approval the workflow asks for before it lets the step happen
# (``approvals.is_approved``); approving carries nothing out by itself.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        "advance_preservation",
        gettext_lazy("Advance registration and preservation"),
        needs_handler=False,
    ),
    approvals.ApprovalStep("decision", gettext_lazy("Penalty decision"), needs_handler=False),
    approvals.ApprovalStep(
        "closing", gettext_lazy("Closing report (结案报告)"), needs_handler=False
    ),
    approvals.ApprovalStep(
        "urgent_start_paperwork",
        gettext_lazy("Paperwork after an urgent start"),
        needs_handler=False,
    ),
)
