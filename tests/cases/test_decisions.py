from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from liuhen.cases import decisions
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import workflow as workflow_actions
from liuhen.cases.models import Procedure
from liuhen.core import calendar
from liuhen.core.access import AccessDenied, can
from liuhen.subjects.models import Subject

pytestmark = pytest.mark.django_db


def _approve(actor, case, step, *people):
    request = approval_actions.request_approval(actor, case, step)
    for person in people:
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")


@pytest.fixture
def person_zhao_liu(officer_wang):
    return Subject.objects.create(kind="person", name="赵六")


@pytest.fixture
def company(officer_wang):
    return Subject.objects.create(kind="unit", name="某农资有限公司")


def _spot(officer, unit, subject, amount, kind="fine", *, officers, **act):
    return decision_actions.decide_on_the_spot(
        officer,
        unit=unit,
        subject=subject,
        officers=officers,
        penalty_kind=kind,
        amount_fen=amount,
        facts="未按规定标注",
        basis="《农药管理条例》",
        field="农药",
        place=act.pop("place", "某农资店门前"),
        **act,
    )


def test_simple_procedure_person_limit(officer_wang, unit_a, person_zhao_liu, officer_ma):
    case = _spot(officer_wang, unit_a, person_zhao_liu, 200_00, officers=[officer_ma])
    assert case.procedure == Procedure.SIMPLE and "罚" in case.number
    assert case.decision.number == case.number and case.decision.fine_fen == 200_00
    assert case.simple_filing_due == calendar.add_working_days(timezone.localdate(), 2)
    with pytest.raises(ValidationError) as refused:
        _spot(officer_wang, unit_a, person_zhao_liu, 201_00, officers=[officer_ma])
    assert "普通程序" in str(refused.value) or "ordinary" in str(refused.value)


def test_simple_procedure_organisation_limit(officer_wang, unit_a, company, officer_ma):
    assert (
        _spot(officer_wang, unit_a, company, 3_000_00, officers=[officer_ma]).decision.fine_fen
        == 3_000_00
    )
    with pytest.raises(ValidationError):
        _spot(officer_wang, unit_a, company, 3_000_01, officers=[officer_ma])


def test_simple_procedure_warning_and_other_kinds(
    officer_wang, unit_a, person_zhao_liu, officer_ma
):
    assert (
        _spot(
            officer_wang, unit_a, person_zhao_liu, 0, kind="warning", officers=[officer_ma]
        ).decision.fine_fen
        == 0
    )
    with pytest.raises(ValidationError):
        _spot(
            officer_wang, unit_a, person_zhao_liu, 0, kind="licence_revoke", officers=[officer_ma]
        )


def test_simple_procedure_access_and_filing(
    officer_wang, officer_li, unit_a, person_zhao_liu, officer_ma
):
    with pytest.raises(AccessDenied):
        _spot(officer_li, unit_a, person_zhao_liu, 50_00, officers=[officer_ma])
    case = _spot(officer_wang, unit_a, person_zhao_liu, 50_00, officers=[officer_ma])
    decision_actions.file_simple_case(officer_wang, case)
    case.refresh_from_db()
    assert case.simple_filed_at is not None
    with pytest.raises(ValidationError):
        decision_actions.file_simple_case(officer_wang, case)


@override("zh-hans")
def test_on_the_spot_penalty_needs_two_certified_officers_and_is_an_av_activity(
    officer_wang, officer_ma, unit_a, person_zhao_liu
):
    """行政处罚法 Art. 42, 52, 农业行政处罚程序规定 Art. 6: the penalty on the spot is imposed
    by at least two officers holding a certificate valid on the day of the act; regulation
    Art. 5(一), R5.1: it is recorded as an activity that needs AV, like any other."""
    from liuhen.activities.models import Activity
    from liuhen.cases.compliance import findings_for_case
    from liuhen.cases.models import Case
    from liuhen.core.models import AuditEvent

    with pytest.raises(ValidationError) as alone:
        _spot(officer_wang, unit_a, person_zhao_liu, 50_00, officers=[])
    reason = alone.value.message_dict["officers"][0]
    assert "当场处罚" in reason and "执法证" in reason and "第四十二条" in reason
    # The colleague's certificate ran out before the day of the act: named in the reason.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    officer_ma.certificates.update(valid_from=yesterday - dt.timedelta(days=30), valid_to=yesterday)
    with pytest.raises(ValidationError) as expired:
        _spot(officer_wang, unit_a, person_zhao_liu, 50_00, officers=[officer_ma])
    assert "马骏" in expired.value.message_dict["officers"][0]
    assert not Case.objects.exists() and not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action="case.decide_on_the_spot").exists()

    # Valid on the day of the act (yesterday), though not today.
    began = timezone.now() - dt.timedelta(days=1)
    case = _spot(
        officer_wang, unit_a, person_zhao_liu, 50_00, officers=[officer_ma], started_at=began
    )
    activity = Activity.objects.get(case=case)
    assert activity.type.code == "on_the_spot_penalty" and activity.type.needs_av
    assert activity.place == "某农资店门前" and activity.party == person_zhao_liu
    assert activity.started_at == began and activity.date == yesterday
    assert set(activity.officers.all()) == {officer_wang, officer_ma}
    assert all(p.certificate_number for p in activity.presences.all())
    # No AV linked and no exemption: the case is flagged like any activity without AV.
    assert "av_missing" in {finding.code for finding in findings_for_case(case)}


def _notice(case, officer, fine_fen, kinds=("fine",)):
    return decision_actions.record_advance_notice(
        officer,
        case,
        notified_at=timezone.now(),
        notified_to="某农资店 法定代表人",
        method="直接送达",
        penalty_kinds=kinds,
        proposed_fine_fen=fine_fen,
    )


def test_decision_needs_advance_notice(case_in_decision, officer_wang, head_zhang, agency_head_liu):
    _approve(officer_wang, case_in_decision, "decision", head_zhang, agency_head_liu)
    with pytest.raises(ValidationError) as refused:
        decision_actions.record_decision(
            officer_wang,
            case_in_decision,
            penalty_kinds=["fine"],
            fine_fen=1000_00,
            facts="f",
            basis="b",
        )
    assert "事先告知" in str(refused.value)


def test_decision_may_not_exceed_notified(
    case_in_decision, officer_wang, head_zhang, agency_head_liu
):
    _approve(officer_wang, case_in_decision, "decision", head_zhang, agency_head_liu)
    _notice(case_in_decision, officer_wang, 1000_00)
    with pytest.raises(ValidationError):
        decision_actions.record_decision(
            officer_wang,
            case_in_decision,
            penalty_kinds=["fine"],
            fine_fen=1000_01,
            facts="f",
            basis="b",
        )
    with pytest.raises(ValidationError):
        decision_actions.record_decision(
            officer_wang,
            case_in_decision,
            penalty_kinds=["fine", "licence_revoke"],
            fine_fen=10,
            facts="f",
            basis="b",
        )
    decision = decision_actions.record_decision(
        officer_wang,
        case_in_decision,
        penalty_kinds=["fine"],
        fine_fen=800_00,
        facts="f",
        basis="b",
    )
    assert "罚" in decision.number


def test_decision_needs_approval(case_in_decision, officer_wang):
    _notice(case_in_decision, officer_wang, 1000_00)
    with pytest.raises(ValidationError):
        decision_actions.record_decision(
            officer_wang,
            case_in_decision,
            penalty_kinds=["fine"],
            fine_fen=10,
            facts="f",
            basis="b",
        )


def test_notice_must_name_statement_and_defence(case_in_decision, officer_wang):
    with pytest.raises(ValidationError):
        decision_actions.record_advance_notice(
            officer_wang,
            case_in_decision,
            notified_at=timezone.now(),
            notified_to="x",
            method="y",
            penalty_kinds=["fine"],
            rights=["hearing"],
        )


def test_waiver(case_in_decision, officer_wang, officer_li):
    notice = _notice(case_in_decision, officer_wang, 100_00)
    with pytest.raises(AccessDenied):
        decision_actions.record_waiver(officer_li, notice, rights=["hearing"], statement="放弃")
    with pytest.raises(ValidationError):
        decision_actions.record_waiver(officer_wang, notice, rights=["hearing"], statement="")
    waiver = decision_actions.record_waiver(
        officer_wang, notice, rights=["statement", "hearing"], statement="本人放弃陈述和听证权利"
    )
    assert waiver.rights == ["statement", "hearing"]


def test_legal_review_gate_and_reviewer(
    case_in_decision, officer_wang, reviewer_sun, head_zhang, agency_head_liu
):
    case_in_decision.major_public_interest = True
    case_in_decision.save()
    _approve(officer_wang, case_in_decision, "decision", head_zhang, agency_head_liu)
    _notice(case_in_decision, officer_wang, 1000_00)
    with pytest.raises(ValidationError) as refused:
        decision_actions.record_decision(
            officer_wang,
            case_in_decision,
            penalty_kinds=["fine"],
            fine_fen=10,
            facts="f",
            basis="b",
        )
    assert "法制审核" in str(refused.value)
    assert can(reviewer_sun, "case.legal_review", case_in_decision)
    assert not can(officer_wang, "case.legal_review", case_in_decision)
    decision_actions.record_legal_review(
        reviewer_sun, case_in_decision, opinion="事实清楚", result="agree"
    )
    decision_actions.record_decision(
        officer_wang, case_in_decision, penalty_kinds=["fine"], fine_fen=10, facts="f", basis="b"
    )


def test_investigator_may_not_review(case_in_decision, reviewer_sun):
    case_in_decision.officers.add(reviewer_sun)
    assert not can(reviewer_sun, "case.legal_review", case_in_decision)
    with pytest.raises(AccessDenied):
        decision_actions.record_legal_review(
            reviewer_sun, case_in_decision, opinion="同意", result="agree"
        )


def test_collective_discussion_required(
    case_in_decision, officer_wang, head_zhang, agency_head_liu, reviewer_sun
):
    case_in_decision.complex_or_serious = True
    case_in_decision.save()
    _approve(officer_wang, case_in_decision, "decision", head_zhang, agency_head_liu)
    _notice(case_in_decision, officer_wang, 1000_00)
    decision_actions.record_legal_review(
        reviewer_sun, case_in_decision, opinion="同意", result="agree"
    )
    with pytest.raises(ValidationError) as refused:
        decision_actions.record_decision(
            officer_wang,
            case_in_decision,
            penalty_kinds=["fine"],
            fine_fen=10,
            facts="f",
            basis="b",
        )
    assert "集体讨论" in str(refused.value)
    with pytest.raises(ValidationError):
        decision_actions.record_discussion(
            officer_wang,
            case_in_decision,
            held_at=timezone.now(),
            attendees=[head_zhang],
            opinions="",
            conclusion="",
        )
    discussion = decision_actions.record_discussion(
        officer_wang,
        case_in_decision,
        held_at=timezone.now(),
        attendees=[head_zhang, agency_head_liu],
        opinions="一致同意",
        conclusion="处以罚款",
        attendee_opinions={head_zhang.pk: "同意", agency_head_liu.pk: "同意罚款"},
    )
    # R7.3: recorded is not concluded — each attendee confirms their own opinion first.
    with pytest.raises(ValidationError) as refused:
        decision_actions.record_decision(
            officer_wang,
            case_in_decision,
            penalty_kinds=["fine"],
            fine_fen=10,
            facts="f",
            basis="b",
        )
    assert "确认" in str(refused.value)
    for opinion in discussion.attendee_opinions.select_related("attendee"):
        decision_actions.confirm_opinion(opinion.attendee, opinion, text=opinion.drafted)
    decision_actions.record_decision(
        officer_wang, case_in_decision, penalty_kinds=["fine"], fine_fen=10, facts="f", basis="b"
    )


@override("zh-hans")
def test_collective_discussion_needs_the_agency_head(
    case_in_decision, officer_wang, head_zhang, agency_head_liu
):
    """R7.3, 行政处罚法 Art. 57: the agency's heads decide by collective discussion, so a
    record without the agency head (or the deputy designated, who holds the agency-head
    role) among the attendees is refused with the reason."""
    from liuhen.cases.models import CollectiveDiscussion

    meeting = dict(held_at=timezone.now(), opinions="一致同意", conclusion="处以罚款")
    with pytest.raises(ValidationError) as refused:
        decision_actions.record_discussion(
            officer_wang, case_in_decision, attendees=[officer_wang, head_zhang], **meeting
        )
    reason = refused.value.message_dict["attendees"][0]
    assert "负责人" in reason and "第五十七条" in reason
    assert not CollectiveDiscussion.objects.exists()
    discussion = decision_actions.record_discussion(
        officer_wang, case_in_decision, attendees=[head_zhang, agency_head_liu], **meeting
    )
    assert agency_head_liu in discussion.attendees.all()


@pytest.mark.finding_kind("collective_discussion_missing")
def test_heavier_penalty_needs_collective_discussion(
    case_in_decision, officer_wang, head_zhang, agency_head_liu, sysadmin_zhao
):
    """R7.3: a penalty on the configured list needs the discussion even in a plain case."""
    from liuhen.cases.compliance import findings_for_case
    from liuhen.core.actions import configuration

    _approve(officer_wang, case_in_decision, "decision", head_zhang, agency_head_liu)
    _notice(case_in_decision, officer_wang, 0, kinds=("licence_revoke",))
    assert decisions.needs_collective_discussion(case_in_decision)
    assert "collective_discussion_missing" in {f.code for f in findings_for_case(case_in_decision)}
    with pytest.raises(ValidationError) as refused:
        decision_actions.record_decision(
            officer_wang,
            case_in_decision,
            penalty_kinds=["licence_revoke"],
            fine_fen=0,
            facts="f",
            basis="b",
        )
    assert "集体讨论" in str(refused.value)
    # A fine is not on the default list; the administrator may add it.
    assert not decisions.needs_collective_discussion(case_in_decision, ["fine"])
    configuration.set_rule(
        sysadmin_zhao,
        "collective_discussion_penalty_kinds",
        ["licence_suspend", "licence_revoke", "restrict", "fine"],
        "本局规定罚款案件均经集体讨论",
    )
    assert decisions.needs_collective_discussion(case_in_decision, ["fine"])


def test_closing_needs_approval_and_condition(
    case_in_decision, officer_wang, head_zhang, agency_head_liu
):
    with pytest.raises(ValidationError):
        workflow_actions.close_case(officer_wang, case_in_decision, condition="no_penalty")
    _approve(officer_wang, case_in_decision, "closing", head_zhang, agency_head_liu)
    with pytest.raises(ValidationError):
        workflow_actions.close_case(officer_wang, case_in_decision, condition="whatever")
    with pytest.raises(ValidationError):
        workflow_actions.close_case(
            officer_wang, case_in_decision, condition="executed"
        )  # nothing to execute
    workflow_actions.close_case(officer_wang, case_in_decision, condition="no_penalty")
    case_in_decision.refresh_from_db()
    assert (
        case_in_decision.closed_at is not None
        and case_in_decision.closing_condition == "no_penalty"
    )


@pytest.mark.finding_kind("expert_record_missing")
def test_experts_taking_part_need_their_minutes_or_opinion(
    case_in_decision, officer_wang, head_zhang, agency_head_liu
):
    """R7.4: 邀请专家、法律顾问等参与的，应当制作会议纪要或者出具书面意见."""
    from liuhen.cases.compliance import findings_for_case
    from liuhen.cases.models import CollectiveDiscussion

    meeting = dict(
        held_at=timezone.now(),
        attendees=[head_zhang, agency_head_liu],
        opinions="一致同意",
        conclusion="处以罚款",
    )
    with pytest.raises(ValidationError) as refused:
        decision_actions.record_discussion(
            officer_wang, case_in_decision, experts="法律顾问 李律师", **meeting
        )
    assert "expert_opinion" in refused.value.message_dict
    assert not CollectiveDiscussion.objects.exists()
    discussion = decision_actions.record_discussion(
        officer_wang,
        case_in_decision,
        experts="法律顾问 李律师",
        expert_opinion="书面意见：事实清楚，适用法律正确",
        **meeting,
    )
    assert discussion.experts == "法律顾问 李律师"
    assert "expert_record_missing" not in {f.code for f in findings_for_case(case_in_decision)}
    # A record that came in another way (an import) without the opinion is a finding.
    imported = CollectiveDiscussion.objects.create(
        case=case_in_decision,
        held_at=timezone.now(),
        opinions="o",
        conclusion="c",
        experts="专家 王教授",
        recorded_by=officer_wang,
    )
    [finding] = [
        f for f in findings_for_case(case_in_decision) if f.code == "expert_record_missing"
    ]
    assert finding.article == "R7.4" and finding.blocking and finding.object == imported
