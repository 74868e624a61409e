"""API: list a case's activities (case.view), record one with a user token (R4.2), ask for
an AV exemption (R5.2) signed through the approvals endpoints (R7.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.activities.models import Activity
from liuhen.core.models import AuditEvent, Outcome
from tests.activities.helpers import record
from tests.factories import denial
from tests.fixtures.api import ApiClient, token_for

pytestmark = pytest.mark.usefixtures("activity_types")


def _payload(case, *usernames, **extra):
    start = timezone.now() - dt.timedelta(hours=1)
    body = {
        "case_id": case.pk if case else None,
        "type": "inspection",
        "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(minutes=30)).isoformat(),
        "place": "大洼区某农资店",
        "officers": list(usernames),
        "gps_lat": "40.5",
        "gps_lon": "122.25",
    }
    body.update(extra)
    return body


def test_terminal_records_an_activity(officer_wang, officer_ma, case_a_two_officers):
    api = ApiClient(token_for(officer_wang))
    response = api.post("/activities", _payload(case_a_two_officers, "officer_wang", "officer_ma"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_id"] == case_a_two_officers.pk and body["needs_av"] and body["av_count"] == 0
    assert [o["username"] for o in body["officers"]] == ["officer_wang", "officer_ma"]
    assert all(o["certificate_number"] for o in body["officers"])


def test_one_officer_is_422(officer_wang, case_a_two_officers):
    api = ApiClient(token_for(officer_wang))
    response = api.post("/activities", _payload(case_a_two_officers, "officer_wang"))
    assert response.status_code == 422 and not Activity.objects.exists()
    assert "officers" in response.json()["error"]["details"]


def test_bad_gps_is_422(officer_wang, officer_ma, case_a_two_officers):
    api = ApiClient(token_for(officer_wang))
    response = api.post(
        "/activities", _payload(case_a_two_officers, "officer_wang", "officer_ma", gps_lat="99")
    )
    assert response.status_code == 422


def test_unknown_type_and_officer_are_422(officer_wang, officer_li, case_a_two_officers):
    api = ApiClient(token_for(officer_wang))
    assert (
        api.post(
            "/activities", _payload(case_a_two_officers, "officer_wang", type="nope")
        ).status_code
        == 422
    )
    # An officer of another unit, not on the case, is not found (no probing of accounts).
    response = api.post("/activities", _payload(case_a_two_officers, "officer_wang", "officer_li"))
    assert response.status_code == 422


def test_case_of_another_unit_is_404(officer_li, officer_wang, officer_ma, case_a_two_officers):
    api = ApiClient(token_for(officer_li))
    assert (
        api.post(
            "/activities", _payload(case_a_two_officers, "officer_wang", "officer_ma")
        ).status_code
        == 404
    )
    assert api.get(f"/cases/{case_a_two_officers.pk}/activities").status_code == 404
    # Both attempts on the hidden case are audited as denials of reading it.
    denied = AuditEvent.objects.filter(
        action="case.view", outcome=Outcome.DENIED, object_id=str(case_a_two_officers.pk)
    )
    assert denied.count() == 2 and {e.actor_name for e in denied} == {"officer_li"}


def test_visible_case_without_change_right_is_403(supervisor_zheng, case_a_two_officers):
    api = ApiClient(token_for(supervisor_zheng))
    assert api.post("/activities", _payload(case_a_two_officers, "officer_wang")).status_code == 403


def test_list_and_read(officer_wang, officer_ma, officer_li, case_a_two_officers):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    api = ApiClient(token_for(officer_wang))
    listing = api.get(f"/cases/{case_a_two_officers.pk}/activities").json()
    assert [item["id"] for item in listing["items"]] == [activity.pk]
    assert api.get(f"/activities/{activity.pk}").json()["type"] == "inspection"
    assert AuditEvent.objects.get(action="activity.view").outcome == Outcome.OK
    other = ApiClient(token_for(officer_li))
    assert other.get(f"/activities/{activity.pk}").status_code == 404
    assert denial("activity.view", object_id=str(activity.pk)).actor_name == "officer_li"


REASON = "根据实际情况，执法记录仪故障，现场以文字和照片记录。"


def test_exemption_asked_and_signed_through_the_api(
    officer_wang, officer_ma, head_zhang, case_a_two_officers
):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    officer = ApiClient(token_for(officer_wang))
    response = officer.post(f"/activities/{activity.pk}/av-exemption", {"reason": REASON})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["activity_id"] == activity.pk and body["reason"] == REASON
    assert body["status"] == "pending" and body["current_role"] == "unit_head"
    assert body["requested_by"] == "officer_wang" and body["approvals"] == []
    request_id = body["approval_request_id"]
    shown = officer.get(f"/activities/{activity.pk}").json()
    assert shown["exemption"]["approval_request_id"] == request_id
    assert shown["exemption"]["status"] == "pending" and not shown["exemption_approved"]
    # The approval request is an ordinary one: the requester may not sign it.
    decision = f"/approvals/{request_id}/decision"
    assert officer.post(decision, {"approved": True, "opinion": "同意"}).status_code == 403
    head = ApiClient(token_for(head_zhang))
    assert request_id in [item["id"] for item in head.get("/approvals").json()["items"]]
    assert head.post(decision, {"approved": True, "opinion": " "}).status_code == 422  # R7.1
    signed = head.post(decision, {"approved": True, "opinion": "同意，情况属实"})
    assert signed.status_code == 201, signed.content
    assert signed.json()["step"] == "av_exemption" and signed.json()["status"] == "approved"
    shown = officer.get(f"/activities/{activity.pk}").json()
    assert shown["exemption_approved"] and shown["exemption"]["status"] == "approved"
    [opinion] = shown["exemption"]["approvals"]
    assert (opinion["approver"], opinion["opinion"]) == ("head_zhang", "同意，情况属实")
    # Approved: no second request.
    again = officer.post(f"/activities/{activity.pk}/av-exemption", {"reason": REASON})
    assert again.status_code == 422


def test_exemption_rejected_then_asked_again(
    officer_wang, officer_ma, head_zhang, case_a_two_officers
):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    officer = ApiClient(token_for(officer_wang))
    first = officer.post(f"/activities/{activity.pk}/av-exemption", {"reason": REASON}).json()
    # One pending request per activity.
    duplicate = officer.post(f"/activities/{activity.pk}/av-exemption", {"reason": REASON})
    assert duplicate.status_code == 422
    head = ApiClient(token_for(head_zhang))
    rejected = head.post(
        f"/approvals/{first['approval_request_id']}/decision",
        {"approved": False, "opinion": "理由不充分"},
    )
    assert rejected.json()["status"] == "rejected"
    assert officer.get(f"/activities/{activity.pk}").json()["exemption"]["status"] == "rejected"
    second = officer.post(f"/activities/{activity.pk}/av-exemption", {"reason": REASON + "补充"})
    assert second.status_code == 201
    assert second.json()["approval_request_id"] != first["approval_request_id"]
    shown = officer.get(f"/activities/{activity.pk}").json()["exemption"]
    assert shown["id"] == second.json()["id"] and shown["status"] == "pending"


def test_exemption_refused(
    officer_wang, officer_ma, officer_li, supervisor_zheng, case_a_two_officers
):
    activity = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    path = f"/activities/{activity.pk}/av-exemption"
    # Another unit's officer does not see the activity; a supervisor sees but may not ask.
    assert ApiClient(token_for(officer_li)).post(path, {"reason": REASON}).status_code == 404
    assert ApiClient(token_for(supervisor_zheng)).post(path, {"reason": REASON}).status_code == 403
    officer = ApiClient(token_for(officer_wang))
    short = officer.post(path, {"reason": "设备故障"})
    assert short.status_code == 422 and "reason" in short.json()["error"]["details"]
    assert officer.post("/activities/999999/av-exemption", {"reason": REASON}).status_code == 404
    assert not activity.av_exemptions.exists()
