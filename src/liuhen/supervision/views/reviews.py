"""Case-file review pages 案卷评查 (R22.2): the plans, results per unit and officer, the
excellent and failed files; a plan with its assignments; the scoring page of one file
(tablet-friendly: one row per checklist item, a deduction and a note)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.models import Case
from liuhen.core import access, panels, rules
from liuhen.supervision.actions import reviews as actions
from liuhen.supervision.models import (
    CaseReview,
    ReviewAssignment,
    ReviewGrade,
    ReviewPlan,
)
from liuhen.supervision.perms import CaseReviewPerms
from liuhen.supervision.reviews import checklist, results
from liuhen.supervision.reviews.forms import AssignForm, PlanForm, not_assigned, read_marks

LISTED = 50


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def review_home(request: HttpRequest) -> HttpResponse:
    access.require(request.user, CaseReviewPerms.LIST, request=request)
    user = _user(request)
    can_plan = access.can(user, CaseReviewPerms.PLAN)
    form = PlanForm(request.POST or None) if can_plan else None
    if form is not None:
        plan = panels.submit(
            request,
            form,
            lambda data: actions.create_plan(user, request=request, **data),
            _("The review plan is made."),
        )
        if plan is not None:
            return redirect("supervision:review_plan", plan.pk)
    reviews = access.visible(user, CaseReview.objects.select_related("case", "unit", "by"))
    context: dict[str, Any] = {
        "plans": access.visible(user, ReviewPlan.objects.all())[:LISTED],
        "mine": access.visible(
            user,
            ReviewAssignment.objects.filter(reviewer=user, review__isnull=True).select_related(
                "case", "plan"
            ),
        ),
        "per_unit": results.per_unit(reviews),
        "per_officer": results.per_officer(reviews),
        "excellent": reviews.filter(grade=ReviewGrade.EXCELLENT)[:LISTED],
        "failed": reviews.filter(grade=ReviewGrade.FAIL)[:LISTED],
        "form": form,
        "excellent_score": rules.value("case_review_excellent_score"),
        "pass_score": rules.value("case_review_pass_score"),
    }
    return render(request, "supervision/reviews/home.html", context)


@login_required
def review_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_visible_or_404(
        request.user, ReviewPlan.objects.all(), action=CaseReviewPerms.LIST, request=request, pk=pk
    )
    user = _user(request)
    form = None
    if access.can(user, CaseReviewPerms.PLAN, plan):
        cases = not_assigned(access.visible(user, Case.objects.all()), plan)
        form = AssignForm(request.POST or None, cases=cases)
        done = panels.submit(
            request,
            form,
            lambda data: actions.assign_case(user, plan, request=request, **data),
            _("The case file is assigned."),
        )
        if done is not None:
            return redirect("supervision:review_plan", plan.pk)
    assignments = access.visible(
        user,
        plan.assignments.select_related("case", "case__unit", "reviewer", "review"),
    )
    return render(
        request,
        "supervision/reviews/plan.html",
        {"plan": plan, "assignments": assignments, "form": form},
    )


def _sections(data: Any, review: CaseReview | None) -> list[dict[str, Any]]:
    """The checklist with what was entered (a refused POST) or what the review holds."""
    marks = {mark.item: mark for mark in review.marks.all()} if review else {}
    sections = []
    for section in checklist.SECTIONS:
        items = []
        for item in section.items:
            mark = marks.get(item.code)
            items.append(
                {
                    "item": item,
                    "deduction": data.get(f"deduct_{item.code}", mark.deduction if mark else ""),
                    "vetoed": bool(data.get(f"veto_{item.code}")) or bool(mark and mark.vetoed),
                    "note": data.get(f"note_{item.code}", mark.note if mark else ""),
                }
            )
        sections.append({"section": section, "items": items})
    return sections


@login_required
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_visible_or_404(
        request.user,
        ReviewAssignment.objects.select_related("case", "case__unit", "plan", "reviewer"),
        action=CaseReviewPerms.LIST,
        request=request,
        pk=pk,
    )
    review: CaseReview | None = getattr(assignment, "review", None)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if review is None:
        access.require(request.user, CaseReviewPerms.SCORE, assignment, request=request)
        if request.method == "POST":
            try:
                actions.score_case(
                    _user(request),
                    assignment,
                    marks=read_marks(request.POST),
                    notes=request.POST.get("notes", ""),
                    request=request,
                )
            except ValidationError as refused:
                if hasattr(refused, "error_dict"):
                    errors = {
                        code: [str(m) for error in found for m in error.messages]
                        for code, found in refused.error_dict.items()
                    }
                else:
                    general = list(refused.messages)
            else:
                messages.success(request, _("The case file is scored."))
                return redirect("supervision:review_score", assignment.pk)
    data = request.POST if request.method == "POST" else {}
    context = {
        "assignment": assignment,
        "case": assignment.case,
        "review": review,
        "sections": _sections(data, review),
        "errors": errors,
        "general": general,
        "full_marks": checklist.FULL_MARKS,
        "notes": data.get("notes", review.notes if review else ""),
    }
    return render(request, "supervision/reviews/score.html", context)
