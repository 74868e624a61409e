"""Each check both ways: finding present, finding absent (architecture rule 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from liuhen.activities import actions
from liuhen.cases import compliance
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import Stage
from liuhen.core import registry
from tests.activities.helpers import record

pytestmark = pytest.mark.usefixtures("activity_types")

REASON = "根据实际情况，执法记录仪故障，现场以文字和照片记录。"


def codes(case) -> list[str]:
    return [f.code for f in compliance.findings_for_case(case)]


def test_registry_names_articles():
    articles = {c.code: c.article for c in compliance.all_checks()}
    assert articles["av_missing"] == "R5.2"
    assert articles["officers_uncertified"] == "R4.2"
    assert articles["urgent_paperwork_overdue"] == "R7.2"
    assert articles["urgent_report_late"] == "R7.2"
    assert articles["advance_notice_missing"] == "R8.1"
    assert articles["collective_discussion_missing"] == "R7.3"


def test_no_activities_no_findings(case_a_two_officers):
    assert codes(case_a_two_officers) == []


def test_missing_av_is_a_blocking_finding(case_a_two_officers, inspection):
    [finding] = compliance.findings_for_case(case_a_two_officers)
    assert (finding.code, finding.article, finding.blocking) == ("av_missing", "R5.2", True)
    assert finding.object == inspection and finding.stage == Stage.INVESTIGATION
    assert compliance.blocking_findings(case_a_two_officers, Stage.INVESTIGATION) == [finding]
    assert compliance.blocking_findings(case_a_two_officers, Stage.DECISION) == []


def test_missing_av_message_in_chinese(case_a_two_officers, inspection):
    with translation.override("zh-hans"):
        [finding] = compliance.findings_for_case(case_a_two_officers)
        assert "音像记录" in str(finding.message)


def test_linked_av_clears_the_finding(case_a_two_officers, inspection):
    def one(activity):
        return 1

    with registry.av_counters.temporarily("test", one):
        assert codes(case_a_two_officers) == []


def test_requested_exemption_does_not_clear_approved_does(
    officer_wang, head_zhang, case_a_two_officers, inspection
):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    assert codes(case_a_two_officers) == ["av_missing"]
    approval_actions.decide(head_zhang, exemption.approval, approve=True, opinion="同意")
    assert codes(case_a_two_officers) == []


def test_rejected_exemption_does_not_clear(
    officer_wang, head_zhang, case_a_two_officers, inspection
):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    approval_actions.decide(head_zhang, exemption.approval, approve=False, opinion="应补录音像")
    assert codes(case_a_two_officers) == ["av_missing"]
    again = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    approval_actions.decide(head_zhang, again.approval, approve=True, opinion="同意")
    assert codes(case_a_two_officers) == []


def test_type_without_av_has_no_finding(officer_wang, case_a_two_officers):
    record(officer_wang, case_a_two_officers, [officer_wang], code="other")
    assert codes(case_a_two_officers) == []


def test_activity_in_a_later_stage_blocks_that_stage(officer_wang, officer_ma, case_a_two_officers):
    case_a_two_officers.stage = Stage.SERVICE
    case_a_two_officers.save()
    record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], code="service_by_leaving")
    assert [f.stage for f in compliance.blocking_findings(case_a_two_officers, Stage.SERVICE)] == [
        Stage.SERVICE
    ]


@pytest.mark.finding_kind("officers_uncertified")
def test_revoked_certificate_after_recording(
    officer_wang, officer_ma, case_a_two_officers, inspection
):
    def one(activity):
        return 1

    with registry.av_counters.temporarily("test", one):
        assert codes(case_a_two_officers) == []
        officer_ma.certificates.update(revoked=True)
        [finding] = compliance.findings_for_case(case_a_two_officers)
        assert (finding.code, finding.article, finding.blocking) == (
            "officers_uncertified",
            "R4.2",
            True,
        )


def test_non_site_activity_needs_no_second_officer(officer_wang, case_a_two_officers):
    record(officer_wang, case_a_two_officers, [officer_wang], non_site=True)
    assert "officers_uncertified" not in codes(case_a_two_officers)


# --- the workflow's records (cases.ApprovalRequest, AdvanceNotice, CollectiveDiscussion) ---


def test_urgent_paperwork_overdue(officer_wang, case_a_two_officers):
    from liuhen.cases.models import ApprovalRequest

    today = timezone.localdate()
    request = ApprovalRequest.objects.create(
        case=case_a_two_officers,
        step="advance_preservation",
        requested_by=officer_wang,
        urgent_reason="证据可能灭失",
        urgent_started_at=timezone.now() - dt.timedelta(days=5),
        paperwork_due=today - dt.timedelta(days=1),
    )
    [finding] = compliance.findings_for_case(case_a_two_officers)
    assert (finding.code, finding.article, finding.blocking) == (
        "urgent_paperwork_overdue",
        "R7.2",
        False,
    )
    request.paperwork_due = today + dt.timedelta(days=1)
    request.save()
    assert codes(case_a_two_officers) == []


@pytest.mark.parametrize("step", ["advance_preservation", "seizure"])
def test_urgent_report_late_both_ways(
    step, officer_wang, head_zhang, agency_head_liu, case_a_two_officers, time_machine
):
    """农业行政处罚程序规定 (先行登记保存, 情况紧急) and 行政强制法 Art. 19: started
    urgently, the head's approval is due within 24 hours — found when the hour passes
    unapproved or the approval comes later; none when approved in time."""
    from liuhen.cases.models import ApprovalRequest

    case = case_a_two_officers
    started = timezone.now()
    request = approval_actions.start_urgently(officer_wang, case, step, "证据可能灭失")
    assert request.report_due_at is not None
    assert request.report_due_at - request.urgent_started_at == dt.timedelta(hours=24)
    time_machine.move_to(started + dt.timedelta(hours=23), tick=False)
    assert "urgent_report_late" not in codes(case)  # still within the hours
    time_machine.move_to(started + dt.timedelta(hours=25), tick=False)
    [finding] = [f for f in compliance.findings_for_case(case) if f.code == "urgent_report_late"]
    assert (finding.article, finding.blocking) == ("R7.2", False)
    assert "urgent_paperwork_overdue" not in codes(case)  # counted in hours, not days
    # Approved after the hour: still late.
    for approver in (head_zhang, agency_head_liu):
        approval_actions.decide(approver, request, approve=True, opinion="同意")
        request.refresh_from_db()
    assert request.status == "approved"
    assert "urgent_report_late" in codes(case)
    # Approved within the hour: no finding.
    ApprovalRequest.objects.filter(pk=request.pk).update(
        decided_at=started + dt.timedelta(hours=20)
    )
    assert "urgent_report_late" not in codes(case)


def test_advance_notice_missing_before_decision(officer_wang, case_a_two_officers):
    from liuhen.cases.models import AdvanceNotice

    assert codes(case_a_two_officers) == []  # not yet at the decision
    case_a_two_officers.stage = Stage.DECISION
    case_a_two_officers.save()
    [finding] = compliance.blocking_findings(case_a_two_officers, Stage.DECISION)
    assert (finding.code, finding.article) == ("advance_notice_missing", "R8.1")
    AdvanceNotice.objects.create(
        case=case_a_two_officers,
        notified_at=timezone.now(),
        notified_by=officer_wang,
        notified_to="某农资店",
        method="直接送达",
    )
    assert codes(case_a_two_officers) == []


def test_simple_procedure_needs_no_written_notice(case_a_two_officers):
    case_a_two_officers.stage = Stage.DECISION
    case_a_two_officers.procedure = "simple"
    case_a_two_officers.save()
    assert codes(case_a_two_officers) == []


def test_collective_discussion_missing(officer_wang, agency_head_liu, case_a_two_officers):
    """R7.3, 行政处罚法 Art. 57: a record, with the agency head among its attendees."""
    from liuhen.cases.models import AdvanceNotice, CollectiveDiscussion

    case_a_two_officers.stage = Stage.DECISION
    case_a_two_officers.save()
    AdvanceNotice.objects.create(
        case=case_a_two_officers,
        notified_at=timezone.now(),
        notified_by=officer_wang,
        notified_to="某农资店",
        method="直接送达",
    )
    assert codes(case_a_two_officers) == []  # an ordinary case needs no discussion
    case_a_two_officers.complex_or_serious = True
    case_a_two_officers.save()
    assert codes(case_a_two_officers) == ["collective_discussion_missing"]
    # An imported record without the agency head is a finding still.
    discussion = CollectiveDiscussion.objects.create(
        case=case_a_two_officers,
        held_at=timezone.now(),
        opinions="同意",
        conclusion="给予行政处罚",
        recorded_by=officer_wang,
    )
    discussion.attendees.set([officer_wang])
    with translation.override("zh-hans"):
        [finding] = compliance.findings_for_case(case_a_two_officers)
        assert finding.code == "collective_discussion_missing" and "负责人" in str(finding.message)
    discussion.attendees.add(agency_head_liu)
    assert codes(case_a_two_officers) == []
