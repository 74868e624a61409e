"""The one door of 案卷评查 (R22.2): a review plan, the assignment of a closed or archived
case to a reviewer (never their own unit's case, nor one they worked), and the scoring of
the file against the checklist. A failed veto item raises a finding on the case."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.cases.policy import may_read_case
from liuhen.core import access, audit
from liuhen.supervision.actions.findings import raise_finding
from liuhen.supervision.events import CaseReviewEvents
from liuhen.supervision.models import (
    CaseReview,
    CaseReviewMark,
    ReviewAssignment,
    ReviewPlan,
    Severity,
)
from liuhen.supervision.perms import CaseReviewPerms
from liuhen.supervision.policy import has_conflict, may_review
from liuhen.supervision.rectification import catalogue
from liuhen.supervision.reviews import checklist, grading
from liuhen.supervision.reviews.marks import Mark

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User
    from liuhen.cases.models import Case


def create_plan(
    actor: User, *, title: str, period: str, notes: str = "", request: HttpRequest | None = None
) -> ReviewPlan:
    access.require(actor, CaseReviewPerms.PLAN, request=request)
    title, period = title.strip(), period.strip()
    if not title:
        raise ValidationError({"title": _("Give the plan a title.")})
    if not period:
        raise ValidationError({"period": _("Say which period the plan reviews.")})
    with transaction.atomic(durable=True):
        plan = ReviewPlan.objects.create(
            title=title, period=period, notes=notes.strip(), created_by=actor
        )
        audit.record(CaseReviewEvents.PLAN, actor=actor, request=request, obj=plan)
    return plan


def assign_case(
    actor: User,
    plan: ReviewPlan,
    *,
    case: Case,
    reviewer: User,
    request: HttpRequest | None = None,
) -> ReviewAssignment:
    access.require(actor, CaseReviewPerms.PLAN, plan, request=request)
    if case.closed_at is None:
        raise ValidationError(
            {"case": _("Only a closed or archived case's file is reviewed.")}, code="open"
        )
    if not may_review(reviewer) or not may_read_case(reviewer, case):
        raise ValidationError(
            {"reviewer": _("This person does not review case files or may not read this case.")},
            code="reviewer",
        )
    if has_conflict(reviewer, case):
        raise ValidationError(
            {
                "reviewer": _(
                    "Conflict of interest: a reviewer does not score a case of their own "
                    "unit or one they worked."
                )
            },
            code="conflict",
        )
    if plan.assignments.filter(case=case).exists():
        raise ValidationError({"case": _("This case is in the plan already.")}, code="twice")
    with transaction.atomic(durable=True):
        assignment = ReviewAssignment.objects.create(
            plan=plan, case=case, reviewer=reviewer, assigned_by=actor
        )
        audit.record(
            CaseReviewEvents.ASSIGN,
            actor=actor,
            request=request,
            obj=assignment,
            case_id=case.pk,
            details={"plan": plan.pk, "reviewer": reviewer.pk},
        )
    return assignment


def _checked_marks(marks: Mapping[str, Mark]) -> dict[str, Mark]:
    errors: dict[str, str] = {}
    checked: dict[str, Mark] = {}
    for code, mark in marks.items():
        item = checklist.ITEMS.get(code)
        if item is None:
            raise ValidationError(_("Unknown checklist item."), code="item")
        try:
            deduction = Decimal(mark.deduction)
        except InvalidOperation:
            deduction = Decimal(-1)
        if item.veto:
            deduction = Decimal(0)
        if deduction < 0 or deduction > item.points:
            errors[code] = _("Take off between 0 and %(points)s points.") % {"points": item.points}
            continue
        vetoed = item.veto and mark.vetoed
        note = mark.note.strip()[:300]
        if (deduction > 0 or vetoed) and not note:
            errors[code] = _("Say why points are taken off or the veto item is failed.")
            continue
        checked[code] = Mark(deduction=deduction, vetoed=vetoed, note=note)
    if errors:
        raise ValidationError(errors)
    return checked


def score_case(
    actor: User,
    assignment: ReviewAssignment,
    *,
    marks: Mapping[str, Mark],
    notes: str = "",
    request: HttpRequest | None = None,
) -> CaseReview:
    """Score the assigned file once: the total is full marks less the deductions."""
    access.require(actor, CaseReviewPerms.SCORE, assignment, request=request)
    if CaseReview.objects.filter(assignment=assignment).exists():
        raise ValidationError(_("This case file is scored already."), code="done")
    checked = _checked_marks(marks)
    total = checklist.FULL_MARKS - sum((m.deduction for m in checked.values()), Decimal(0))
    vetoed = [code for code, mark in checked.items() if mark.vetoed]
    grade = grading.grade(total, vetoed=bool(vetoed))
    case = assignment.case
    with transaction.atomic(durable=True):
        review = CaseReview.objects.create(
            assignment=assignment,
            case=case,
            unit=case.unit,
            total=total,
            grade=grade,
            vetoed=bool(vetoed),
            notes=notes.strip(),
            by=actor,
        )
        CaseReviewMark.objects.bulk_create(
            CaseReviewMark(
                review=review,
                item=code,
                deduction=mark.deduction,
                vetoed=mark.vetoed,
                note=mark.note,
            )
            for code, mark in checked.items()
            if mark.deduction or mark.vetoed or mark.note
        )
        audit.record(
            CaseReviewEvents.SCORE,
            actor=actor,
            request=request,
            obj=review,
            case_id=case.pk,
            details={"total": str(total), "grade": str(grade), "vetoed": vetoed},
        )
        for code in vetoed:
            item = checklist.ITEMS[code]
            raise_finding(
                actor,
                kind=catalogue.CASE_REVIEW_VETO,
                article="R22.2",
                summary=_("Case-file review of %(case)s failed a veto item: %(item)s (%(note)s)")
                % {"case": case.number, "item": item.text, "note": checked[code].note},
                dedupe_key=f"case_review:{review.pk}:{code}",
                severity=Severity.SERIOUS,
                case=case,
                about=review,
            )
    return review
