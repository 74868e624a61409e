"""The stages of a case (R3.1): 启动 → 调查取证 → 审核决定 → 送达执行 → 归档.

Before a case leaves a stage, the workflow's own conditions and the blocking checks of
``liuhen.cases.compliance`` are asked (:func:`blockers`); a refused move says why, in
Chinese. Moving on and closing are actions (``cases.actions.workflow``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.cases import approvals, compliance, suspensions
from liuhen.cases.models import Case, ClosingCondition, Decision, Procedure, Stage
from liuhen.core.rule_types import Citation, Law

ORDER: list[str] = list(Stage.values)

# R7.2: the case steps that may begin before their approval (因情况紧急先启动程序).
URGENT_STEPS = ("advance_preservation", "seizure", "decision", "closing")

# R7.1: the case steps whose approval is asked for on the case itself, by a note to the
# approvers (the case's pages, the 审批表 drafts, POST /cases/{id}/approval-requests). Lead
# steps go through the lead; a suspension, a deferral, an AV exemption through their own
# actions, which record more than the request.
CASE_STEPS = (
    "filing",
    "advance_preservation",
    "seizure",
    "seizure_extension",
    "handling_opinion",
    "decision",
    "closing",
)


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


def has_decision(case: Case) -> bool:
    return Decision.objects.filter(case=case).exists()


def blockers(case: Case) -> list[Blocker]:
    """Everything that keeps ``case`` in its stage now (empty: it may move on)."""
    found: list[Blocker] = []
    if next_stage(case) is None:
        return [Blocker("last_stage", _("The case is in its last stage."))]
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
        and not has_decision(case)
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


def is_simple(case: Case) -> bool:
    return case.procedure == Procedure.SIMPLE


# R7.1, R7.2: steps whose approval the workflow asks for before it lets the step happen
# (``approvals.is_approved``); approving carries nothing out by itself.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        "advance_preservation",
        gettext_lazy("Advance registration and preservation"),
        needs_handler=False,
        urgent_report_rule="urgent_preservation_report_hours",
    ),
    # 行政强制法 Art. 18(一): reported to the head and approved before it is carried out
    # (Art. 19: on the spot in an emergency, approved within 24 hours); recording the
    # seizure asks for it.
    approvals.ApprovalStep(
        "seizure",
        gettext_lazy("Seizure or detention (查封、扣押)"),
        needs_handler=False,
        urgent_report_rule="urgent_seizure_report_hours",
        citations=(Citation(Law.COERCION, "18(1)"), Citation(Law.COERCION, "19")),
    ),
    # Art. 25: extended once, approved by the head; the seizure's clock reads it.
    approvals.ApprovalStep(
        "seizure_extension",
        gettext_lazy("Extension of a seizure or detention"),
        needs_handler=False,
        once=True,
        citations=(Citation(Law.COERCION, "25"),),
    ),
    # The case handling opinion 案件处理意见书 approved by the head: the proposed penalty
    # the advance notices 行政处罚事先告知书 announce (they are issued after it, R8.1).
    approvals.ApprovalStep(
        "handling_opinion",
        gettext_lazy("Case handling opinion (案件处理意见书)"),
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
