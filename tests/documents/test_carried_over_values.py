"""What the case already records is not typed again (R6.1): the legal review 法制审核
(Art. 58) and the collective discussion 集体讨论 (R7.3) fill the 行政处罚决定审批表, the waiver
the party signed (R8.2) fills its statement field, and an activity's time, place, officers
present (R4.2) and party fill the records made of it — 现场检查（勘验）笔录, 询问笔录,
抽样取证凭证."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.activities import actions as activity_actions
from liuhen.activities.models import ActivityType
from liuhen.cases.actions import decisions as decision_actions
from liuhen.documents.actions import drafting
from liuhen.documents.catalog.prefill import format_date, format_datetime
from liuhen.subjects import actions as subject_actions
from liuhen.subjects.models import CaseParty

pytestmark = pytest.mark.django_db


def _certificate(officer) -> str:
    today = timezone.localdate()
    return officer.certificates.get(revoked=False, valid_to__gte=today).number


def _activity(case, officer, others, code: str, *, party=None, hours_ago: int = 3):
    start = (timezone.now() - dt.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    return activity_actions.record_activity(
        officer,
        case=case,
        type=ActivityType.objects.get(code=code),
        started_at=start,
        ended_at=start + dt.timedelta(minutes=45),
        place=f"大洼区田家街道8号（{code}）",
        officers=[officer, *others],
        party=party,
    )


# --- legal review and collective discussion fill the 审批表 ----------------------------------


def test_decision_approval_form_carries_the_legal_review_and_the_discussion(
    decided_case, officer_wang, head_zhang, agency_head_liu, reviewer_sun
) -> None:
    draft = drafting.create_draft(officer_wang, decided_case, "decision_approval")
    assert draft.data["legal_review"] == "" and draft.data["discussion"] == ""

    review = decision_actions.record_legal_review(
        reviewer_sun,
        decided_case,
        opinion="事实清楚，证据确凿，程序合法，建议罚款数额适当",
        result="amend",
    )
    held = timezone.now() - dt.timedelta(days=1)
    decision_actions.record_discussion(
        officer_wang,
        decided_case,
        held_at=held,
        attendees=[head_zhang, agency_head_liu],
        opinions="张伟：同意。刘建国：同意。",
        conclusion="同意给予警告，并处罚款人民币5000元",
    )
    draft = drafting.create_draft(officer_wang, decided_case, "decision_approval")
    reviewed_on = format_date(timezone.localdate(review.reviewed_at))
    assert draft.data["legal_review"] == (
        f"修改后同意。事实清楚，证据确凿，程序合法，建议罚款数额适当（审核人：孙丽，{reviewed_on}）"
    )
    assert draft.data["discussion"] == (
        f"同意给予警告，并处罚款人民币5000元（{format_date(timezone.localdate(held))}集体讨论决定）"
    )


def test_decision_approval_form_states_the_signed_waiver(decided_case, officer_wang) -> None:
    notice = decided_case.advance_notices.get()
    waiver = decision_actions.record_waiver(
        officer_wang,
        notice,
        rights=["statement", "defence"],
        statement="本人放弃陈述、申辩的权利。",
    )
    draft = drafting.create_draft(officer_wang, decided_case, "decision_approval")
    day = format_date(timezone.localdate(waiver.recorded_at))
    assert draft.data["statement"] == f"当事人于{day}签字放弃陈述、申辩的权利。"


# --- an activity fills the records made of it -----------------------------------------------


def test_inspection_transcript_drafted_from_an_activity_takes_its_time_place_officers_party(
    decided_case, officer_wang, head_zhang
) -> None:
    shop = CaseParty.objects.get(case=decided_case).subject
    activity = _activity(decided_case, officer_wang, [head_zhang], "inspection", party=shop)
    draft = drafting.create_draft(
        officer_wang, decided_case, "inspection_transcript", activity=activity
    )
    assert draft.activity == activity
    assert draft.data["started_at"] == format_datetime(activity.started_at)
    assert draft.data["ended_at"] == format_datetime(activity.ended_at)
    assert draft.data["place"] == "大洼区田家街道8号（inspection）"
    wang, zhang = _certificate(officer_wang), _certificate(head_zhang)
    assert draft.data["officers"] == f"王明（执法证号 {wang}）、张伟（执法证号 {zhang}）"
    assert draft.data["party_name"] == "丰收农资经营部"
    assert draft.data["legal_representative"] == "李四"


def test_the_activity_party_and_officers_present_win_over_the_case(
    decided_case, officer_wang, head_zhang
) -> None:
    """An inquiry of another person, by one of the case's officers: the transcript names that
    person and the officers present, not the case's first party and all its officers."""
    person = subject_actions.create_subject(
        officer_wang, kind="person", name="王五", address="大洼区东风镇3号", phone="13700000000"
    )
    activity = _activity(decided_case, head_zhang, [officer_wang], "inquiry", party=person)
    draft = drafting.create_draft(
        officer_wang, decided_case, "inquiry_transcript", activity=activity
    )
    assert draft.data["party_name"] == "王五"
    assert draft.data["interviewee_name"] == "王五"
    assert draft.data["interviewee_address"] == "大洼区东风镇3号"
    assert draft.data["officers"].startswith("张伟（执法证号 ")
    assert draft.data["place"] == "大洼区田家街道8号（inquiry）"


def test_a_record_drafted_without_an_activity_takes_the_latest_of_its_kind(
    decided_case, officer_wang, head_zhang
) -> None:
    _activity(decided_case, officer_wang, [head_zhang], "inspection", hours_ago=30)
    latest = _activity(decided_case, officer_wang, [head_zhang], "inspection", hours_ago=2)
    _activity(decided_case, officer_wang, [head_zhang], "inquiry", hours_ago=1)
    draft = drafting.create_draft(officer_wang, decided_case, "inspection_transcript")
    assert draft.data["started_at"] == format_datetime(latest.started_at)
    assert draft.data["place"] == "大洼区田家街道8号（inspection）"
    sampling = drafting.create_draft(officer_wang, decided_case, "sampling_voucher")
    assert sampling.data["place"] == ""  # no sampling activity: the officer types it


def test_a_record_of_no_activity_starts_now(decided_case, officer_wang) -> None:
    before = format_datetime(timezone.now())
    draft = drafting.create_draft(officer_wang, decided_case, "inspection_transcript")
    assert draft.data["started_at"] in (before, format_datetime(timezone.now()))
    assert draft.data["ended_at"] == "" and draft.data["place"] == ""
    assert draft.data["officers"].startswith("王明（执法证号 ")


def test_a_record_is_not_drafted_from_an_activity_of_another_kind(
    decided_case, officer_wang, head_zhang
) -> None:
    activity = _activity(decided_case, officer_wang, [head_zhang], "inquiry")
    with pytest.raises(ValidationError) as caught:
        drafting.create_draft(
            officer_wang, decided_case, "inspection_transcript", activity=activity
        )
    assert "activity" in caught.value.message_dict
