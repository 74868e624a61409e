"""Spot checks of recorders and footage (R22.3): a plan samples a unit's footage
reproducibly (the seed and the population's digest recompute it in another process), a
reviewer never reviews footage they have a conflict of interest in, a missing Art. 13
item or a breached Art. 14 prohibition raises a finding, and the ledger exports."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.core.models import AuditEvent
from liuhen.media.actions import curation
from liuhen.supervision.actions import spot_checks as actions
from liuhen.supervision.models import Answer, Finding, PlanPeriod, SpotCheckItem
from liuhen.supervision.spot_checks import checklist, sampling
from liuhen.supervision.spot_checks.population import population
from tests.factories import CaseFactory, UserFactory, sign_in
from tests.media.linking import activity, av

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types")]

MAY_15 = timezone.make_aware(dt.datetime(2026, 5, 15, 10, 0))
Q2 = dt.date(2026, 5, 1)


@pytest.fixture
def reviewer_of_unit_b(unit_b):
    return UserFactory(
        username="supervisor_wei", full_name="魏明", unit=unit_b, roles=[Role.SUPERVISOR]
    )


@pytest.fixture
def reviewer_of_unit_a(unit_a):
    return UserFactory(
        username="supervisor_han", full_name="韩青", unit=unit_a, roles=[Role.SUPERVISOR]
    )


@pytest.fixture
def unit_a_footage(officer_wang, officer_li):
    """Twenty records of unit A in the second quarter; others that are not its population."""
    ids = [
        av(officer_wang, officer=officer_wang, captured_at=MAY_15 + dt.timedelta(hours=i)).pk
        for i in range(20)
    ]
    av(officer_wang, officer=officer_wang, captured_at=MAY_15 + dt.timedelta(days=60))  # Q3
    av(officer_li, officer=officer_li, captured_at=MAY_15)  # unit B
    return ids


def quarterly_plan(actor, units, **size):
    return actions.create_plan(
        actor,
        title="2026年第二季度执法记录仪抽查",
        period=PlanPeriod.QUARTERLY,
        period_start=dt.date(2026, 5, 20),
        units=units,
        **(size or {"sample_percent": 10}),
    )


def recompute_elsewhere(ids: list[int], seed: int, size: int) -> tuple[str, list[int]]:
    """Digest and sample computed by a separate Python process from the recorded values."""
    script = (
        "import json, sys\n"
        "from liuhen.supervision.spot_checks.sampling import draw, population_digest\n"
        "ids = json.loads(sys.argv[1])\n"
        "sample = draw(ids, int(sys.argv[2]), int(sys.argv[3]))\n"
        "print(json.dumps([population_digest(ids), sample]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(ids), str(seed), str(size)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    digest, sample = json.loads(done.stdout)
    return digest, sample


def test_a_quarterly_plan_samples_10_percent_reproducibly(supervisor_zheng, unit_a, unit_a_footage):
    plan = quarterly_plan(supervisor_zheng, [unit_a])
    assert plan.period_start == dt.date(2026, 4, 1) and plan.period_end == dt.date(2026, 7, 1)
    [sample] = actions.draw_sample(supervisor_zheng, plan)
    assert sample.population_size == 20 and sample.size == 2
    assert set(sample.record_ids) <= set(unit_a_footage)
    assert (
        sorted(SpotCheckItem.objects.filter(sample=sample).values_list("record_id", flat=True))
        == sample.record_ids
    )
    assert sample.population_digest == sampling.population_digest(unit_a_footage)
    # Anyone recomputes it: another process, the ids in another order, the recorded seed.
    shuffled = list(unit_a_footage)
    random.Random(7).shuffle(shuffled)
    digest, again = recompute_elsewhere(shuffled, sample.seed, sample.size)
    assert (digest, again) == (sample.population_digest, sample.record_ids)
    assert actions.recompute(sample, population(plan, unit_a)) == sample.record_ids
    event = AuditEvent.objects.get(action="spot_check.draw")
    assert event.details["seed"] == str(sample.seed)
    assert event.details["population_digest"] == sample.population_digest


def test_a_different_population_is_refused_when_recomputing(
    supervisor_zheng, unit_a, unit_a_footage
):
    plan = quarterly_plan(supervisor_zheng, [unit_a])
    [sample] = actions.draw_sample(supervisor_zheng, plan)
    with pytest.raises(ValidationError):
        actions.recompute(sample, unit_a_footage[1:])


def test_the_sample_is_drawn_once(supervisor_zheng, unit_a, unit_a_footage):
    plan = quarterly_plan(supervisor_zheng, [unit_a])
    actions.draw_sample(supervisor_zheng, plan)
    with pytest.raises(ValidationError):
        actions.draw_sample(supervisor_zheng, plan)


def test_sample_size_by_count_and_percentage():
    assert sampling.sample_size(20, percent=10) == 2
    assert sampling.sample_size(21, percent=10) == 3  # rounded up
    assert sampling.sample_size(3, percent=10) == 1
    assert sampling.sample_size(0, percent=10) == 0
    assert sampling.sample_size(5, count=8) == 5


def test_a_plan_needs_one_size(supervisor_zheng, unit_a):
    with pytest.raises(ValidationError):
        quarterly_plan(supervisor_zheng, [unit_a], sample_count=3, sample_percent=10)


@pytest.fixture
def sampled_inspection(supervisor_zheng, officer_wang, officer_ma, unit_a):
    """One record of unit A, linked to an inspection of its case, sampled."""
    case = CaseFactory(unit=unit_a, officers=[officer_wang, officer_ma])
    act = activity(officer_wang, case, [officer_wang, officer_ma], MAY_15, 30, code="inspection")
    record = av(officer_wang, officer=officer_wang, captured_at=MAY_15)
    curation.link(officer_wang, record, activity=act)
    plan = quarterly_plan(supervisor_zheng, [unit_a], sample_count=1)
    actions.draw_sample(supervisor_zheng, plan)
    return SpotCheckItem.objects.get(record=record)


def all_filmed(item_codes):
    return {code: Answer.FILMED for code in item_codes}


@pytest.mark.finding_kind("spot_check_item_missing")
def test_a_missing_art_13_item_raises_a_finding(
    reviewer_of_unit_b, officer_wang, sampled_inspection
):
    items = checklist.items_for("inspection")
    assert "coercion_penalty" not in [item.code for item in items]  # not for an inspection
    answers = all_filmed(item.code for item in items)
    answers["obstruction"] = Answer.NOT_APPLICABLE
    answers["rights_documents"] = Answer.MISSING
    review = actions.review_record(reviewer_of_unit_b, sampled_inspection, answers=answers)
    assert review.passed is False and review.score == 80  # 4 of 5 applicable items
    [finding] = Finding.objects.all()
    assert finding.kind == "spot_check_item_missing" and finding.article == "R13.2"
    assert finding.unit == sampled_inspection.record.unit and finding.officer == officer_wang
    assert finding.raised_by == reviewer_of_unit_b and finding.case is not None
    assert finding.object_type == "media.avrecord"
    assert AuditEvent.objects.filter(action="spot_check.review").count() == 1
    with pytest.raises(ValidationError):
        actions.review_record(reviewer_of_unit_b, sampled_inspection, answers=answers)


@pytest.mark.finding_kind("spot_check_prohibited_act")
def test_a_prohibited_act_raises_a_serious_finding(reviewer_of_unit_b, sampled_inspection):
    answers = all_filmed(item.code for item in checklist.items_for("inspection"))
    review = actions.review_record(
        reviewer_of_unit_b, sampled_inspection, answers=answers, prohibitions=["not_worn"]
    )
    assert review.passed is False and review.score == 100
    [finding] = Finding.objects.all()
    assert (finding.kind, finding.article, finding.severity) == (
        "spot_check_prohibited_act",
        "R14.1",
        "serious",
    )


def test_a_clean_review_passes_without_findings(reviewer_of_unit_b, sampled_inspection):
    answers = all_filmed(item.code for item in checklist.items_for("inspection"))
    review = actions.review_record(reviewer_of_unit_b, sampled_inspection, answers=answers)
    assert review.passed and review.score == 100 and not Finding.objects.exists()


def test_every_item_is_answered(reviewer_of_unit_b, sampled_inspection):
    with pytest.raises(ValidationError):
        actions.review_record(reviewer_of_unit_b, sampled_inspection, answers={"scene": "filmed"})


# --- conflict of interest ----------------------------------------------------------


def test_a_reviewer_never_reviews_their_own_units_footage(
    client, reviewer_of_unit_a, reviewer_of_unit_b, sampled_inspection
):
    answers = all_filmed(item.code for item in checklist.items_for("inspection"))
    with pytest.raises(PermissionDenied):
        actions.review_record(reviewer_of_unit_a, sampled_inspection, answers=answers)
    sign_in(client, reviewer_of_unit_a)
    assert (
        client.get(f"/supervision/spot-checks/review/{sampled_inspection.pk}/").status_code == 403
    )
    sign_in(client, reviewer_of_unit_b)
    assert (
        client.get(f"/supervision/spot-checks/review/{sampled_inspection.pk}/").status_code == 200
    )


def test_nor_the_footage_of_a_case_they_work_on(
    reviewer_of_unit_b, officer_wang, sampled_inspection
):
    case = CaseFactory(
        unit=sampled_inspection.record.unit, officers=[officer_wang, reviewer_of_unit_b]
    )
    curation.link(officer_wang, sampled_inspection.record, case=case)
    answers = all_filmed(item.code for item in checklist.items_for("inspection"))
    with pytest.raises(PermissionDenied):
        actions.review_record(reviewer_of_unit_b, sampled_inspection, answers=answers)


def test_the_plan_page_sends_a_conflicted_reviewer_to_no_review(
    client, reviewer_of_unit_a, sampled_inspection
):
    sign_in(client, reviewer_of_unit_a)
    html = client.get(
        f"/supervision/spot-checks/{sampled_inspection.sample.plan_id}/",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert 'data-testid="conflict"' in html and 'data-testid="review-link"' not in html


# --- pages and access ---------------------------------------------------------------


def test_the_supervisor_creates_a_plan_draws_and_reviews_on_the_pages(
    client, reviewer_of_unit_b, unit_a, unit_a_footage
):
    sign_in(client, reviewer_of_unit_b)
    response = client.post(
        "/supervision/spot-checks/",
        {
            "title": "二季度抽查",
            "period": "quarterly",
            "period_start": "2026-05-03",
            "units": [unit_a.pk],
            "sample_percent": "10",
        },
    )
    assert response.status_code == 302
    plan_url = response["Location"]
    assert client.post(plan_url + "draw/").status_code == 302
    item = SpotCheckItem.objects.first()
    page = client.get(f"/supervision/spot-checks/review/{item.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert 'data-testid="review-player"' in html and "（一）执法现场环境" in html
    assert "禁止行为" in html and "依据：制度第十三条" in html
    data = {f"item_{entry.code}": "filmed" for entry in checklist.items_for(None)}
    data["item_violation"] = "missing"
    assert client.post(f"/supervision/spot-checks/review/{item.pk}/", data).status_code == 302
    assert Finding.objects.get().kind == "spot_check_item_missing"
    ledger = client.get(
        "/supervision/spot-checks/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert ledger.count('data-testid="ledger-row"') == 2 and "不合格" in ledger


def test_the_ledger_exports_as_csv_and_xlsx_audited(
    client, supervisor_zheng, unit_a, unit_a_footage
):
    plan = quarterly_plan(supervisor_zheng, [unit_a])
    [sample] = actions.draw_sample(supervisor_zheng, plan)
    sign_in(client, supervisor_zheng)
    response = client.get("/supervision/spot-checks/ledger.csv")
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode("utf-8-sig")
    assert all(f"AV-{pk}" in body for pk in sample.record_ids)
    assert client.get("/supervision/spot-checks/ledger.xlsx").status_code == 200
    assert AuditEvent.objects.filter(action="spot_check.export").count() == 2


@pytest.mark.parametrize(
    "persona", ["officer_wang", "head_zhang", "custodian_zhou", "sysadmin_zhao"]
)
def test_others_may_not_open_spot_checks(client, request, persona):
    sign_in(client, request.getfixturevalue(persona))
    assert client.get("/supervision/spot-checks/").status_code == 403
    assert client.get("/supervision/spot-checks/ledger.csv").status_code == 403


def test_the_agency_head_sees_them_but_does_not_plan(client, agency_head_liu, unit_a):
    sign_in(client, agency_head_liu)
    response = client.get("/supervision/spot-checks/")
    assert response.status_code == 200 and b'data-testid="plan-form"' not in response.content
    with pytest.raises(PermissionDenied):
        quarterly_plan(agency_head_liu, [unit_a])


def test_the_agency_head_may_not_review(agency_head_liu, sampled_inspection):
    answers = all_filmed(item.code for item in checklist.items_for("inspection"))
    with pytest.raises(PermissionDenied):
        actions.review_record(agency_head_liu, sampled_inspection, answers=answers)


def test_an_officer_may_not_draw(client, officer_wang, supervisor_zheng, unit_a, unit_a_footage):
    plan = quarterly_plan(supervisor_zheng, [unit_a])
    sign_in(client, officer_wang)
    assert client.post(f"/supervision/spot-checks/{plan.pk}/draw/").status_code == 404
    assert not plan.samples.exists()


def test_the_resample_command_recomputes_the_plan(supervisor_zheng, unit_a, unit_a_footage, capsys):
    from django.core.management import CommandError, call_command

    plan = quarterly_plan(supervisor_zheng, [unit_a])
    [sample] = actions.draw_sample(supervisor_zheng, plan)
    call_command("supervision", "resample", str(plan.pk))
    assert f"same {sample.record_ids}" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("supervision", "resample", str(plan.pk + 100))
