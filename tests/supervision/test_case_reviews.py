"""Case-file review 案卷评查 (R22.2): the checklist as data, a plan assigning closed cases
to reviewers (never their own unit's case or one they worked), scoring with deductions
and notes, the grade by the configured thresholds, a failed veto item (a finding), and the
results per unit and officer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from liuhen.supervision.actions import reviews as actions
from liuhen.supervision.events import CaseReviewEvents
from liuhen.supervision.models import CaseReview, Finding, ReviewGrade
from liuhen.supervision.perms import CaseReviewPerms
from liuhen.supervision.reviews import checklist, grading, results
from liuhen.supervision.reviews.marks import Mark
from tests.factories import CaseFactory, denial, sign_in
from tests.fixtures.personas import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_cases_of_both_units(unit_a, unit_b, officer_wang, officer_li):
    """Two closed cases of unit B (李强's) and one of unit A (王明's)."""
    closed = timezone.now()
    return {
        "b1": CaseFactory(unit=unit_b, officers=[officer_li], closed_at=closed),
        "b2": CaseFactory(unit=unit_b, officers=[officer_li], closed_at=closed),
        "a1": CaseFactory(unit=unit_a, officers=[officer_wang], closed_at=closed),
    }


@pytest.fixture
def legal_reviewer_of_unit_a(unit_a):
    """A legal reviewer posted in unit A: unit A's files are not theirs to score."""
    return make_person("legal_reviewer_qin", "秦悦", [Role.LEGAL_REVIEWER], unit_a)


@pytest.fixture
def review_plan_q4(supervisor_zheng):
    return actions.create_plan(
        supervisor_zheng, title="2026年第四季度案卷评查", period="2026年第四季度"
    )


def _assign(supervisor, plan, case, reviewer):
    return actions.assign_case(supervisor, plan, case=case, reviewer=reviewer)


def test_checklist_has_the_six_sections_and_full_marks_of_100():
    assert [section.code for section in checklist.SECTIONS] == [
        "filing",
        "investigation",
        "decision",
        "service",
        "archiving",
        "documents",
    ]
    assert checklist.FULL_MARKS == 100
    assert any(item.veto for item in checklist.ITEMS.values())
    assert all(item.points == 0 for item in checklist.ITEMS.values() if item.veto)


@pytest.mark.parametrize(
    ("deductions", "total", "grade"),
    [
        ({"filing_timely": "5"}, Decimal("95"), ReviewGrade.EXCELLENT),
        (
            {"evidence_sufficient": "8", "law_applied": "7", "served": "4.5"},
            Decimal("80.5"),
            ReviewGrade.PASS,
        ),
        (
            {"evidence_sufficient": "8", "law_applied": "7", "two_officers": "6", "served": "6"},
            Decimal("73"),
            ReviewGrade.FAIL,
        ),
    ],
)
def test_score_and_grade(
    supervisor_zheng, review_plan_q4, closed_cases_of_both_units, deductions, total, grade
):
    assignment = _assign(
        supervisor_zheng, review_plan_q4, closed_cases_of_both_units["b1"], supervisor_zheng
    )
    marks = {code: Mark(Decimal(points), note="扣分理由") for code, points in deductions.items()}
    review = actions.score_case(supervisor_zheng, assignment, marks=marks)
    assert (review.total, review.grade, review.vetoed) == (total, grade, False)
    assert review.unit == closed_cases_of_both_units["b1"].unit
    assert review.marks.count() == len(deductions)
    event = AuditEvent.objects.get(action=CaseReviewEvents.SCORE)
    assert event.case_id == closed_cases_of_both_units["b1"].pk
    assert not Finding.objects.exists()


def test_grade_thresholds_are_rules():
    assert grading.grade(Decimal("90"), vetoed=False) == ReviewGrade.EXCELLENT
    assert grading.grade(Decimal("89.5"), vetoed=False) == ReviewGrade.PASS
    assert grading.grade(Decimal("75"), vetoed=False) == ReviewGrade.PASS
    assert grading.grade(Decimal("74.5"), vetoed=False) == ReviewGrade.FAIL
    assert grading.grade(Decimal("100"), vetoed=True) == ReviewGrade.FAIL


@pytest.mark.finding_kind("case_review_veto")
def test_a_failed_veto_item_fails_the_file_and_raises_a_finding(
    supervisor_zheng, review_plan_q4, closed_cases_of_both_units
):
    case = closed_cases_of_both_units["b1"]
    assignment = _assign(supervisor_zheng, review_plan_q4, case, supervisor_zheng)
    review = actions.score_case(
        supervisor_zheng,
        assignment,
        marks={"veto_facts_unclear": Mark(vetoed=True, note="无检验报告，违法事实不清")},
    )
    assert (review.total, review.grade, review.vetoed) == (100, ReviewGrade.FAIL, True)
    finding = Finding.objects.get(kind="case_review_veto")
    assert (finding.case, finding.unit, finding.article) == (case, case.unit, "R22.2")


def test_deductions_need_a_note_and_stay_within_the_points(
    supervisor_zheng, review_plan_q4, closed_cases_of_both_units
):
    assignment = _assign(
        supervisor_zheng, review_plan_q4, closed_cases_of_both_units["b1"], supervisor_zheng
    )
    with pytest.raises(ValidationError) as refused:
        actions.score_case(
            supervisor_zheng, assignment, marks={"filing_timely": Mark(Decimal(6), note="超期")}
        )
    assert "filing_timely" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        actions.score_case(supervisor_zheng, assignment, marks={"filing_timely": Mark(Decimal(2))})
    assert "filing_timely" in refused.value.error_dict
    actions.score_case(supervisor_zheng, assignment, marks={})
    with pytest.raises(ValidationError, match="已评分"):
        actions.score_case(supervisor_zheng, assignment, marks={})


def test_reviewer_never_scores_their_own_units_or_own_case(
    supervisor_zheng,
    review_plan_q4,
    closed_cases_of_both_units,
    legal_reviewer_of_unit_a,
    head_zhang,
):
    with pytest.raises(ValidationError, match="利益冲突"):
        _assign(
            supervisor_zheng,
            review_plan_q4,
            closed_cases_of_both_units["a1"],
            legal_reviewer_of_unit_a,
        )
    _assign(
        supervisor_zheng, review_plan_q4, closed_cases_of_both_units["b1"], legal_reviewer_of_unit_a
    )
    with pytest.raises(ValidationError):  # a unit head is no reviewer
        _assign(supervisor_zheng, review_plan_q4, closed_cases_of_both_units["b2"], head_zhang)


def test_the_case_officer_is_excluded_even_from_another_unit(
    supervisor_zheng, review_plan_q4, unit_b, reviewer_sun
):
    case = CaseFactory(unit=unit_b, officers=[reviewer_sun], closed_at=timezone.now())
    with pytest.raises(ValidationError, match="利益冲突"):
        _assign(supervisor_zheng, review_plan_q4, case, reviewer_sun)


def test_only_closed_cases_are_assigned(supervisor_zheng, review_plan_q4, case_b):
    with pytest.raises(ValidationError, match="已结案"):
        _assign(supervisor_zheng, review_plan_q4, case_b, supervisor_zheng)


def test_results_per_unit_and_officer(
    client, supervisor_zheng, reviewer_sun, review_plan_q4, closed_cases_of_both_units
):
    cases = closed_cases_of_both_units
    scored = {
        "b1": {"filing_timely": Mark(Decimal(5), note="超期立案")},  # 95 excellent
        "b2": {"veto_wrong_law": Mark(vetoed=True, note="适用法律错误")},  # fail
        "a1": {
            "law_applied": Mark(Decimal(7), note="引用条款错误"),
            "served": Mark(Decimal(6), note="无回证"),
        },  # 87 pass
    }
    for key, marks in scored.items():
        assignment = _assign(supervisor_zheng, review_plan_q4, cases[key], reviewer_sun)
        actions.score_case(reviewer_sun, assignment, marks=marks)
    rows = {row.name: row for row in results.per_unit(_all_reviews())}
    unit_b = rows[cases["b1"].unit.name]
    assert (unit_b.reviewed, unit_b.average, unit_b.excellent, unit_b.failed) == (
        2,
        Decimal("97.5"),
        1,
        1,
    )
    unit_a = rows[cases["a1"].unit.name]
    assert (unit_a.reviewed, unit_a.average, unit_a.excellent, unit_a.failed) == (
        1,
        Decimal("87.0"),
        0,
        0,
    )
    officers = {row.name: row for row in results.per_officer(_all_reviews())}
    assert officers["李强"].reviewed == 2 and officers["王明"].reviewed == 1

    sign_in(client, supervisor_zheng)
    page = client.get(reverse("supervision:reviews")).content.decode()
    assert page.count('data-testid="excellent-files-row"') == 1
    assert page.count('data-testid="failed-files-row"') == 1
    assert page.count('data-testid="results-unit-row"') == 2


def _all_reviews():
    return CaseReview.objects.all()


def test_scoring_page_both_ways(
    client,
    supervisor_zheng,
    reviewer_sun,
    agency_head_liu,
    review_plan_q4,
    closed_cases_of_both_units,
):
    assignment = _assign(
        supervisor_zheng, review_plan_q4, closed_cases_of_both_units["b1"], reviewer_sun
    )
    url = reverse("supervision:review_score", args=[assignment.pk])
    sign_in(client, agency_head_liu)  # sees every assignment, scores none of them
    assert client.get(url).status_code == 403
    denial(CaseReviewPerms.SCORE)
    sign_in(client, reviewer_sun)
    assert client.get(url).status_code == 200
    answer = client.post(url, {"deduct_filing_timely": "9", "note_filing_timely": "超期"})
    assert answer.status_code == 200
    assert "扣分应在0至5" in answer.content.decode()
    answer = client.post(url, {"deduct_filing_timely": "2", "note_filing_timely": "超期两日"})
    assert answer.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="review-total">98.0<' in page
    assert "优秀" in page


def test_plans_are_the_supervisors(
    client, supervisor_zheng, reviewer_sun, officer_wang, review_plan_q4
):
    sign_in(client, officer_wang)
    assert client.get(reverse("supervision:reviews")).status_code == 403
    plan_url = reverse("supervision:review_plan", args=[review_plan_q4.pk])
    assert client.get(plan_url).status_code == 404
    sign_in(client, reviewer_sun)
    assert client.get(reverse("supervision:reviews")).status_code == 200
    assert (
        'data-testid="plan-form"' not in client.get(reverse("supervision:reviews")).content.decode()
    )
    with pytest.raises(AccessDenied):
        actions.create_plan(reviewer_sun, title="x", period="y")
    sign_in(client, supervisor_zheng)
    answer = client.post(
        reverse("supervision:reviews"), {"title": "2027年第一季度评查", "period": "2027年第一季度"}
    )
    assert answer.status_code == 302
