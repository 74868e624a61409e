"""API: hearings 听证 (行政处罚法 Art. 63–65, 85; R8.1, R8.2) and the suspension 中止调查 and
resumption 恢复调查 of the investigation (农业行政处罚程序规定, approved by the heads).

Each endpoint allowed and refused: invisible cases are 404 like missing ones, forbidden
actions 403, refused steps 422 with the action's own message (in Chinese when asked for).
A suspension signed through POST /approvals/{id}/decision pauses the decision clock that
GET /cases/{id}/deadlines shows. Dates are relative to today and run on the real
working-day calendar, so the expected days come from the actions' own helpers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from liuhen.cases import hearings, suspensions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import hearings as hearing_actions
from liuhen.cases.models import ApprovalRequest, Case, Hearing, HearingSchedule, Stage, Suspension
from liuhen.core import calendar, rules
from liuhen.core.models import AuditEvent, Outcome
from tests.api.test_approvals_api import Api, refused
from tests.factories import CaseFactory
from tests.fixtures.clock import at
from tests.scenarios.helpers import refusal_reason

pytestmark = pytest.mark.django_db


def local(value: dt.datetime) -> str:
    """As a client sends it: local time without an offset."""
    return timezone.localtime(value).replace(tzinfo=None).isoformat()


# Far enough back that the request window (5 working days) and the hearing notice
# (7 working days) both lie in the past, whatever holidays fall in between.
NOTICE_DAY = timezone.localdate() - dt.timedelta(days=40)


@pytest.fixture
def case_in_decision_60_days(unit_a, officer_wang) -> Case:
    """An ordinary case of unit A in review and decision, opened 60 days ago."""
    return CaseFactory(
        unit=unit_a,
        officers=[officer_wang],
        stage=Stage.DECISION,
        field="农药",
        opened_at=at(timezone.localdate() - dt.timedelta(days=60)),
    )


@pytest.fixture
def notice_with_hearing_rights(case_in_decision_60_days, officer_wang):
    return decision_actions.record_advance_notice(
        officer_wang,
        case_in_decision_60_days,
        notified_at=at(NOTICE_DAY, 9),
        notified_to="某农资经营部 法定代表人张三",
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=20_000_00,
        rights=["statement", "defence", "hearing"],
    )


REQUEST = {"requested_by_party": "张三（法定代表人）", "request_method": "书面申请"}


@pytest.fixture
def requested_hearing(notice_with_hearing_rights, officer_wang) -> Hearing:
    return hearing_actions.request_hearing(
        officer_wang, notice_with_hearing_rights, requested_at=at(NOTICE_DAY, 11), **REQUEST
    )


def _told() -> dt.datetime:
    return at(NOTICE_DAY, 15)


def _schedule_body(day: dt.date, chair: str = "reviewer_sun", **extra: Any) -> dict[str, Any]:
    return {
        "scheduled_at": local(at(day, 9)),
        "place": "局三楼听证室",
        "chair": chair,
        "notified_at": local(_told()),
        **extra,
    }


def _scheduled(hearing: Hearing, officer: Any, chair: Any) -> HearingSchedule:
    return hearing_actions.schedule_hearing(
        officer,
        hearing,
        scheduled_at=at(hearings.earliest_hearing_day(_told()), 9),
        place="局三楼听证室",
        chair=chair,
        notified_at=_told(),
    )


HELD = {"summary": "当事人对违法事实无异议，请求从轻处罚", "outcome": "建议按告知内容处罚"}


# --- hearings: the whole way through -------------------------------------------------------


def test_a_hearing_requested_scheduled_rescheduled_and_held(
    case_in_decision_60_days, notice_with_hearing_rights, officer_wang, head_zhang, reviewer_sun
) -> None:
    wang = Api(officer_wang)
    closes = hearings.request_window_closes(notice_with_hearing_rights)
    listed = wang.get(f"/cases/{case_in_decision_60_days.pk}/hearings").json()
    assert listed["items"] == [] and listed["count"] == 0
    assert listed["request_windows"] == [
        {
            "notice_id": notice_with_hearing_rights.pk,
            "notified_at": listed["request_windows"][0]["notified_at"],
            "closes_on": closes.isoformat(),
            "closed": True,
        }
    ]

    response = wang.post(
        f"/advance-notices/{notice_with_hearing_rights.pk}/hearing-requests",
        {"requested_at": local(at(NOTICE_DAY, 11)), **REQUEST},
    )
    assert response.status_code == 201, response.content
    asked = response.json()
    assert asked["status"] == "requested" and asked["status_label"] == "Requested, not scheduled"
    assert asked["schedule"] is None and asked["record"] is None and asked["rescheduled"] == 0
    assert (
        asked["notice_id"] == notice_with_hearing_rights.pk
        and asked["recorded_by"] == "officer_wang"
    )
    assert asked["request_window_closes"] == closes.isoformat()
    assert (
        wang.get(f"/cases/{case_in_decision_60_days.pk}/hearings").json()["request_windows"] == []
    )
    path = f"/hearings/{asked['id']}"

    # Art. 64(2): told at least 7 working days before; a second schedule reschedules.
    earliest = hearings.earliest_hearing_day(_told())
    later = calendar.add_working_days(earliest, 2)
    response = wang.post(f"{path}/schedules", _schedule_body(later, clerk="officer_wang"))
    assert response.status_code == 201, response.content
    first = response.json()["schedule"]
    assert first["chair"] == "reviewer_sun" and first["chair_name"] == "孙丽"
    assert first["clerk"] == "officer_wang" and first["public"] is True
    response = wang.post(f"{path}/schedules", _schedule_body(earliest))
    assert response.status_code == 201, response.content
    one = Api(head_zhang).get(path).json()
    assert one["status"] == "scheduled" and one["rescheduled"] == 1
    assert one["schedule"]["id"] != first["id"] and one["schedule"]["clerk"] == ""
    scheduled_at = dt.datetime.fromisoformat(one["schedule"]["scheduled_at"])
    assert timezone.localtime(scheduled_at) == at(earliest, 9)  # sent as local time

    # The chair records the hearing held; the case then needs legal review (Art. 58).
    response = Api(reviewer_sun).post(
        f"{path}/record", {"held_at": local(at(earliest, 11)), **HELD}
    )
    assert response.status_code == 201, response.content
    held = response.json()
    assert held["status"] == "held" and held["record"]["recorded_by"] == "reviewer_sun"
    assert held["record"]["schedule_id"] == one["schedule"]["id"]
    assert held["record"]["outcome"] == HELD["outcome"]
    case_in_decision_60_days.refresh_from_db()
    assert case_in_decision_60_days.hearing_held and case_in_decision_60_days.needs_legal_review
    listed = Api(head_zhang).get(f"/cases/{case_in_decision_60_days.pk}/hearings?limit=1").json()
    assert listed["count"] == 1 and listed["limit"] == 1 and listed["items"][0] == held
    logged = list(
        AuditEvent.objects.filter(
            case_id=case_in_decision_60_days.pk, action__startswith="case.hearing"
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert logged == [
        "case.hearing_request",
        "case.hearing_schedule",
        "case.hearing_schedule",
        "case.hearing_held",
    ]


# --- refusals: 422 with the action's own message, in Chinese ------------------------------


def _zh(func: Any, *args: Any, **kwargs: Any) -> str:
    """The action's refusal, in Chinese, called directly (it changes nothing)."""
    with override("zh-hans"):
        return refusal_reason(func, *args, **kwargs)


def test_a_late_request_is_422_with_the_closing_day(
    case_in_decision_60_days, notice_with_hearing_rights, officer_wang
) -> None:
    closes = hearings.request_window_closes(notice_with_hearing_rights)
    late = at(closes + dt.timedelta(days=1), 9)
    expected = _zh(
        hearing_actions.request_hearing,
        officer_wang,
        notice_with_hearing_rights,
        requested_at=late,
        **REQUEST,
    )
    error = refused(
        Api(officer_wang, language="zh-hans").post(
            f"/advance-notices/{notice_with_hearing_rights.pk}/hearing-requests",
            {"requested_at": local(late), **REQUEST},
        ),
        422,
        "validation_error",
    )
    assert error["message"] == expected
    assert "逾期" in expected and closes.isoformat() in expected and "第六十四条" in expected
    # The party's name and the method are required too.
    error = refused(
        Api(officer_wang).post(
            f"/advance-notices/{notice_with_hearing_rights.pk}/hearing-requests",
            {"requested_at": local(at(NOTICE_DAY, 11))},
        ),
        422,
        "validation_error",
    )
    assert error["message"] == "Say who asked for the hearing and how (in writing, orally…)."
    assert not Hearing.objects.exists()


def test_a_chair_who_investigates_is_422(requested_hearing, officer_wang) -> None:
    told, day = _told(), hearings.earliest_hearing_day(_told())
    expected = _zh(
        hearing_actions.schedule_hearing,
        officer_wang,
        requested_hearing,
        scheduled_at=at(day, 9),
        place="局三楼听证室",
        chair=officer_wang,
        notified_at=told,
    )
    error = refused(
        Api(officer_wang, language="zh-hans").post(
            f"/hearings/{requested_hearing.pk}/schedules", _schedule_body(day, chair="officer_wang")
        ),
        422,
        "validation_error",
    )
    assert error["message"] == expected and "王明" in expected and "主持" in expected
    assert not HearingSchedule.objects.exists()


def test_notice_shorter_than_seven_working_days_is_422(
    requested_hearing, officer_wang, reviewer_sun
) -> None:
    earliest = hearings.earliest_hearing_day(_told())
    # The day before, even a rest day: a Monday's eve must not roll forward onto it.
    too_soon = calendar.add_days(earliest, -1, roll_forward=False)
    expected = _zh(
        hearing_actions.schedule_hearing,
        officer_wang,
        requested_hearing,
        scheduled_at=at(too_soon, 9),
        place="局三楼听证室",
        chair=reviewer_sun,
        notified_at=_told(),
    )
    error = refused(
        Api(officer_wang, language="zh-hans").post(
            f"/hearings/{requested_hearing.pk}/schedules", _schedule_body(too_soon)
        ),
        422,
        "validation_error",
    )
    assert error["message"] == expected
    assert str(rules.value("hearing_notice")) in expected and earliest.isoformat() in expected
    assert not HearingSchedule.objects.exists()


def test_chair_and_clerk_are_named_among_the_hearing_staff(
    requested_hearing, officer_wang, reviewer_sun, sysadmin_zhao
) -> None:
    client = Api(officer_wang)
    day = hearings.earliest_hearing_day(_told())
    path = f"/hearings/{requested_hearing.pk}/schedules"
    # An administrator takes no part in cases (R21.2); an unknown name is not probed.
    error = refused(
        client.post(path, _schedule_body(day, chair="sysadmin_zhao")), 422, "validation_error"
    )
    assert error["details"] == {"chair": ["Unknown chair: sysadmin_zhao"]}
    error = refused(
        client.post(path, _schedule_body(day, clerk="nobody_here")), 422, "validation_error"
    )
    assert error["details"] == {"clerk": ["Unknown clerk: nobody_here"]}
    error = refused(client.post(path, _schedule_body(day, public=False)), 422, "validation_error")
    assert "Art. 64(3)" in error["message"]
    # Recording a hearing never scheduled.
    error = refused(
        client.post(
            f"/hearings/{requested_hearing.pk}/record", {"held_at": local(at(day, 9)), **HELD}
        ),
        422,
        "validation_error",
    )
    assert error["message"] == "The hearing has not been scheduled and notified to the party."
    assert not HearingSchedule.objects.exists()


# --- suspension and resumption --------------------------------------------------------------


def _decision_clock(client: Api, case: Case) -> dict[str, Any]:
    response = client.get(f"/cases/{case.pk}/deadlines")
    assert response.status_code == 200, response.content
    [clock] = [c for c in response.json() if c["code"] == "decision"]
    return clock


def _sign(request_id: int, *heads: Any, approved: bool = True) -> dict[str, Any]:
    for head in heads:
        response = Api(head).post(
            f"/approvals/{request_id}/decision", {"approved": approved, "opinion": "同意"}
        )
        assert response.status_code == 201, response.content
    return response.json()


def test_an_approved_suspension_pauses_the_decision_clock(
    case_in_decision_60_days, officer_wang, head_zhang, agency_head_liu
) -> None:
    wang = Api(officer_wang)
    plain = _decision_clock(wang, case_in_decision_60_days)
    assert "paused" not in plain["label"]

    response = wang.post(
        f"/cases/{case_in_decision_60_days.pk}/suspensions",
        {"ground": "related_case", "reason": "等待农药质量检验结果"},
    )
    assert response.status_code == 201, response.content
    asked = response.json()
    assert asked["status"] == "pending" and asked["status_label"] == "Awaiting approval"
    assert asked["ground_label"] == "Awaiting another case or decision it depends on"
    assert asked["start"] is None and asked["days"] is None and asked["resumptions"] == []
    # Asked for, not approved: nothing pauses yet.
    assert _decision_clock(wang, case_in_decision_60_days) == plain
    request_id = asked["approval_request_id"]
    approval = wang.get(f"/approvals/{request_id}").json()
    assert approval["step"] == "suspension" and approval["current_role"] == "unit_head"

    signed = _sign(request_id, head_zhang, agency_head_liu)
    assert signed["status"] == "approved"
    # Date the approval ten days back, as if signed then (the clock counts whole days).
    ApprovalRequest.objects.filter(pk=request_id).update(
        decided_at=timezone.now() - dt.timedelta(days=10)
    )
    [running] = wang.get(f"/cases/{case_in_decision_60_days.pk}/suspensions").json()["items"]
    assert running["status"] == "running" and running["days"] == 10 and running["end"] is None
    clock = _decision_clock(wang, case_in_decision_60_days)
    assert "paused: investigation suspended" in clock["label"] and clock["paused"]
    opened = case_in_decision_60_days.opened_at.astimezone(timezone.get_current_timezone()).date()
    shifted = calendar.deadline(opened + dt.timedelta(days=10), clock["rule_key"]).due
    assert clock["due"] == shifted.isoformat() and clock["due"] > plain["due"]
    blockers = {
        b["code"]
        for b in wang.get(f"/cases/{case_in_decision_60_days.pk}/workflow").json()["blockers"]
    }
    assert "suspended" in blockers

    # The resumption, approved the same way, ends it; the ten days stay uncounted.
    response = wang.post(
        f"/cases/{case_in_decision_60_days.pk}/resumptions", {"reason": "检验报告已出具"}
    )
    assert response.status_code == 201, response.content
    resumption = response.json()
    assert resumption["approval_status"] == "pending" and resumption["resumed_on"] is None
    _sign(resumption["approval_request_id"], head_zhang, agency_head_liu)
    [over] = (
        Api(head_zhang).get(f"/cases/{case_in_decision_60_days.pk}/suspensions").json()["items"]
    )
    assert over["status"] == "resumed" and over["end"] == timezone.localdate().isoformat()
    assert over["days"] == 10 and over["resumptions"][0]["approval_status"] == "approved"
    clock = _decision_clock(wang, case_in_decision_60_days)
    assert "paused" not in clock["label"] and clock["due"] == shifted.isoformat()
    assert not clock["paused"] and clock["paused_days"] == 10
    assert not suspensions.is_suspended(case_in_decision_60_days)
    logged = set(
        AuditEvent.objects.filter(case_id=case_in_decision_60_days.pk).values_list(
            "action", flat=True
        )
    )
    assert {
        "case.suspend",
        "case.investigation_suspended",
        "case.resume",
        "case.investigation_resumed",
    } <= logged


def test_suspension_refusals(case_in_decision_60_days, officer_wang, head_zhang) -> None:
    wang = Api(officer_wang)
    path = f"/cases/{case_in_decision_60_days.pk}/suspensions"
    error = refused(
        wang.post(path, {"ground": "related_case", "reason": " "}), 422, "validation_error"
    )
    assert error["message"] == "Give the ground and the reason for suspending the investigation."
    refused(wang.post(path, {"ground": "boredom", "reason": "x"}), 422, "validation_error")
    error = refused(
        wang.post(f"/cases/{case_in_decision_60_days.pk}/resumptions", {"reason": "原因消除"}),
        422,
        "validation_error",
    )
    assert error["message"] == "The investigation is not suspended."
    # Not through the generic approval door: the suspension records more than the request.
    error = refused(
        wang.post(
            f"/cases/{case_in_decision_60_days.pk}/approval-requests", {"step": "suspension"}
        ),
        422,
        "validation_error",
    )
    assert error["details"] == {"step": ["Approval of this step is not requested here."]}
    asked = wang.post(path, {"ground": "force_majeure", "reason": "洪涝灾害，无法现场调查"}).json()
    error = refused(
        wang.post(path, {"ground": "force_majeure", "reason": "x"}), 422, "validation_error"
    )
    assert error["message"] == "A suspension of this investigation is awaiting approval already."
    # Rejected by the unit head: listed as rejected, nothing paused, a new request may follow.
    _sign(asked["approval_request_id"], head_zhang, approved=False)
    [rejected] = wang.get(path).json()["items"]
    assert rejected["status"] == "rejected" and rejected["start"] is None
    assert wang.post(path, {"ground": "force_majeure", "reason": "洪涝灾害持续"}).status_code == 201
    assert wang.get(path).json()["count"] == 2


# --- access, both ways ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_li", "sysadmin_zhao", "auditor_chen"])
def test_an_invisible_case_is_404_on_every_endpoint(
    request,
    case_in_decision_60_days,
    notice_with_hearing_rights,
    requested_hearing,
    officer_wang,
    persona,
) -> None:
    user = request.getfixturevalue(persona)
    client = Api(user)
    day = hearings.earliest_hearing_day(_told())
    for path in (
        f"/cases/{case_in_decision_60_days.pk}/hearings",
        f"/cases/{case_in_decision_60_days.pk}/suspensions",
        f"/hearings/{requested_hearing.pk}",
        "/hearings/987654",
        "/cases/987654/hearings",
    ):
        refused(client.get(path), 404, "not_found")
    for path, body in (
        (
            f"/advance-notices/{notice_with_hearing_rights.pk}/hearing-requests",
            {"requested_at": local(at(NOTICE_DAY, 11)), **REQUEST},
        ),
        (f"/hearings/{requested_hearing.pk}/schedules", _schedule_body(day)),
        (f"/hearings/{requested_hearing.pk}/record", {"held_at": local(at(day, 9)), **HELD}),
        (f"/cases/{case_in_decision_60_days.pk}/suspensions", {"ground": "other", "reason": "x"}),
        (f"/cases/{case_in_decision_60_days.pk}/resumptions", {"reason": "x"}),
        ("/hearings/987654/schedules", _schedule_body(day)),
        ("/advance-notices/987654/hearing-requests", {"requested_at": local(at(NOTICE_DAY))}),
    ):
        refused(client.post(path, body), 404, "not_found")
    assert not HearingSchedule.objects.exists() and not Suspension.objects.exists()
    # Every attempt is audited as a denial, under the object it named.
    denied = AuditEvent.objects.filter(outcome=Outcome.DENIED, actor_id=user.pk)
    assert (
        denied.filter(object_type="cases.case", object_id=str(case_in_decision_60_days.pk)).count()
        == 4
    )
    assert (
        denied.filter(object_type="cases.hearing", object_id=str(requested_hearing.pk)).count() == 3
    )
    assert (
        denied.filter(
            object_type="cases.advancenotice", object_id=str(notice_with_hearing_rights.pk)
        ).count()
        == 1
    )


def test_seeing_a_case_is_not_changing_it(
    case_in_decision_60_days, notice_with_hearing_rights, requested_hearing, custodian_zhou
) -> None:
    """The AV custodian of unit A reads the case; every change is refused and audited."""
    client = Api(custodian_zhou)
    assert client.get(f"/cases/{case_in_decision_60_days.pk}/hearings").json()["count"] == 1
    assert client.get(f"/hearings/{requested_hearing.pk}").json()["id"] == requested_hearing.pk
    assert client.get(f"/cases/{case_in_decision_60_days.pk}/suspensions").json()["count"] == 0
    day = hearings.earliest_hearing_day(_told())
    for path, body, action in (
        (
            f"/advance-notices/{notice_with_hearing_rights.pk}/hearing-requests",
            {"requested_at": local(at(NOTICE_DAY, 11)), **REQUEST},
            "case.hearing",
        ),
        (f"/hearings/{requested_hearing.pk}/schedules", _schedule_body(day), "case.hearing"),
        (
            f"/hearings/{requested_hearing.pk}/record",
            {"held_at": local(at(day, 9)), **HELD},
            "case.hearing_record",
        ),
        (
            f"/cases/{case_in_decision_60_days.pk}/suspensions",
            {"ground": "other", "reason": "x"},
            "case.suspend",
        ),
        (f"/cases/{case_in_decision_60_days.pk}/resumptions", {"reason": "x"}, "case.suspend"),
    ):
        error = refused(client.post(path, body), 403, "forbidden")
        assert error["details"] == {"action": action}, path
    assert (
        AuditEvent.objects.filter(outcome=Outcome.DENIED, actor_name="custodian_zhou").count() == 5
    )
    assert Hearing.objects.count() == 1 and not Suspension.objects.exists()


def test_the_chair_records_the_hearing_but_arranges_nothing(
    case_in_decision_60_days, requested_hearing, officer_wang, reviewer_sun, supervisor_zheng
) -> None:
    schedule = _scheduled(requested_hearing, officer_wang, reviewer_sun)
    day = timezone.localtime(schedule.scheduled_at).date()
    sun = Api(reviewer_sun)
    error = refused(
        sun.post(f"/hearings/{requested_hearing.pk}/schedules", _schedule_body(day)),
        403,
        "forbidden",
    )
    assert error["details"] == {"action": "case.hearing"}
    error = refused(
        sun.post(
            f"/cases/{case_in_decision_60_days.pk}/suspensions", {"ground": "other", "reason": "x"}
        ),
        403,
        "forbidden",
    )
    assert error["details"] == {"action": "case.suspend"}
    # The supervisor reads the case, but neither chairs nor works it.
    record = {"held_at": local(at(day, 11)), **HELD}
    error = refused(
        Api(supervisor_zheng).post(f"/hearings/{requested_hearing.pk}/record", record),
        403,
        "forbidden",
    )
    assert error["details"] == {"action": "case.hearing_record"}
    response = sun.post(f"/hearings/{requested_hearing.pk}/record", record)
    assert response.status_code == 201, response.content
    error = refused(
        sun.post(f"/hearings/{requested_hearing.pk}/record", record), 422, "validation_error"
    )
    assert error["message"] == "This hearing has been held already."


def test_the_endpoints_are_in_the_openapi_document(db) -> None:
    from django.test import Client
    from openapi_spec_validator import validate

    spec = Client().get("/api/v1/openapi.json").json()
    validate(spec)
    for path in (
        "/cases/{case_id}/hearings",
        "/advance-notices/{notice_id}/hearing-requests",
        "/hearings/{hearing_id}",
        "/hearings/{hearing_id}/schedules",
        "/hearings/{hearing_id}/record",
        "/cases/{case_id}/suspensions",
        "/cases/{case_id}/resumptions",
    ):
        assert f"/api/v1{path}" in spec["paths"], path
    responses = spec["paths"]["/api/v1/hearings/{hearing_id}/schedules"]["post"]["responses"]
    assert {"201", "403", "404", "422"} <= set(responses)
    listed = spec["paths"]["/api/v1/cases/{case_id}/hearings"]["get"]["parameters"]
    assert {"limit", "offset"} <= {p["name"] for p in listed}
