"""API: approvals (R7.1), urgent start (R7.2), leads and the filing decision (issue 3, items
2 and 10) — each endpoint allowed and refused, under the same access policy as the screens.

Invisible objects are 404 like missing ones; forbidden actions 403; refused input 422 with
the action's own message (requests here ask for English, so messages are the source text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.cases import policy
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import filing as filing_actions
from liuhen.cases.actions import registration
from liuhen.cases.models import ApprovalRequest, ApprovalStatus, Case, Lead, LeadStatus, Stage
from liuhen.core import rules
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects import actions as subjects
from tests.factories import CertificateFactory, UserFactory
from tests.fixtures.api import API, ApiClient, assert_error, bearer, token_for

pytestmark = pytest.mark.django_db


class Api(ApiClient):
    """A persona's token; English messages so assertions can quote the actions."""

    def __init__(self, user: Any, language: str = "en") -> None:
        super().__init__(token_for(user))
        self.headers = {**bearer(self.token), "Accept-Language": language}

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(API + path, headers=self.headers, **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self.client.post(
            API + path, data or {}, content_type="application/json", headers=self.headers
        )


def refused(response: Any, status: int, code: str) -> dict[str, Any]:
    return assert_error(response, status, code)


@pytest.fixture
def inspection_lead(officer_wang, unit_a) -> Lead:
    return filing_actions.record_lead(
        officer_wang, source="inspection", summary="检查发现某农资店疑似销售假农药", unit=unit_a
    )


@pytest.fixture
def filing(inspection_lead, officer_wang, officer_ma):
    item, _warnings = filing_actions.propose_filing(
        officer_wang,
        inspection_lead,
        title="某农资店销售假农药案",
        field="农药",
        officers=[officer_ma],
    )
    return item


@pytest.fixture
def registered_case_in_investigation(unit_a, officer_wang, head_zhang) -> Case:
    return registration.create_case(
        head_zhang,
        title="某农资店案",
        field="农药",
        unit=unit_a,
        officers=[officer_wang],
        stage=Stage.INVESTIGATION,
    )


@pytest.fixture
def head_of_b(unit_b):
    user = UserFactory(
        username="head_zhao_b", full_name="赵刚", unit=unit_b, roles=[Role.UNIT_HEAD]
    )
    CertificateFactory(officer=user)
    return user


# --- the inbox ------------------------------------------------------------------------


def test_inbox_lists_what_it_is_my_turn_to_sign(
    filing, officer_wang, head_zhang, agency_head_liu, head_of_b
) -> None:
    body = Api(head_zhang).get("/approvals").json()
    assert body["count"] == 1 and body["limit"] == 20 and body["offset"] == 0
    item = body["items"][0]
    assert item["id"] == filing.pk and item["step"] == "filing" and item["may_decide"] is True
    assert item["chain"] == ["unit_head", "agency_head"] and item["current_role"] == "unit_head"
    # Not yet the agency head's turn; another unit's head never.
    assert Api(agency_head_liu).get("/approvals").json()["count"] == 0
    assert Api(head_of_b).get("/approvals").json()["count"] == 0
    approval_actions.decide(head_zhang, filing, approve=True, opinion="同意")
    assert Api(head_zhang).get("/approvals").json()["count"] == 0
    assert [i["id"] for i in Api(agency_head_liu).get("/approvals").json()["items"]] == [filing.pk]


@pytest.mark.parametrize("persona", ["officer_wang", "reviewer_sun", "sysadmin_zhao"])
def test_inbox_is_refused_to_those_who_approve_nothing(request, persona) -> None:
    user = request.getfixturevalue(persona)
    error = refused(Api(user).get("/approvals"), 403, "forbidden")
    assert error["details"] == {"action": "approval.list"}
    denied = AuditEvent.objects.get(action="approval.list")
    assert denied.outcome == Outcome.DENIED and denied.actor_name == persona


# --- one request ----------------------------------------------------------------------


def test_one_request_with_its_chain_and_signatures(
    filing, officer_wang, head_zhang, agency_head_liu
) -> None:
    approval_actions.decide(head_zhang, filing, approve=True, opinion="同意立案")
    for persona in (officer_wang, head_zhang, agency_head_liu):
        response = Api(persona).get(f"/approvals/{filing.pk}")
        assert response.status_code == 200, response.content
    body = Api(officer_wang).get(f"/approvals/{filing.pk}").json()
    assert body["lead_id"] == filing.lead_id and body["case_id"] is None
    assert body["requested_by"] == "officer_wang" and body["status"] == "pending"
    assert body["chain_labels"] == ["Unit head", "Agency head"]
    assert body["may_decide"] is False  # nobody approves their own request
    [signed] = body["approvals"]
    assert signed["role"] == "unit_head" and signed["approver"] == "head_zhang"
    assert signed["approver_name"] == "张伟" and signed["opinion"] == "同意立案"
    assert signed["approved"] is True and signed["signed_at"].startswith(str(timezone.now().year))
    assert Api(agency_head_liu).get(f"/approvals/{filing.pk}").json()["may_decide"] is True


@pytest.mark.parametrize("persona", ["officer_li", "sysadmin_zhao", "auditor_chen"])
def test_a_request_i_may_not_see_is_404_like_a_missing_one(request, filing, persona) -> None:
    user = request.getfixturevalue(persona)
    refused(Api(user).get(f"/approvals/{filing.pk}"), 404, "not_found")
    refused(Api(user).get("/approvals/987654"), 404, "not_found")
    body = {"approved": True, "opinion": "同意"}
    refused(Api(user).post(f"/approvals/{filing.pk}/decision", body), 404, "not_found")
    filing.refresh_from_db()
    assert filing.position == 0 and not filing.approvals.exists()
    # Both attempts on the request are audited as denials (the missing one too).
    denied = AuditEvent.objects.filter(outcome=Outcome.DENIED, actor_id=user.pk)
    on_request = denied.filter(object_type="cases.approvalrequest", object_id=str(filing.pk))
    assert on_request.count() == 2
    assert denied.filter(object_type="cases.approvalrequest", object_id="987654").exists()


# --- signing --------------------------------------------------------------------------


def test_the_chain_signs_in_turn_and_the_filing_opens_the_case(
    filing, officer_wang, head_zhang, agency_head_liu
) -> None:
    body = {"approved": True, "opinion": "同意立案"}
    # Agency head before the unit head: not their turn.
    error = refused(
        Api(agency_head_liu).post(f"/approvals/{filing.pk}/decision", body), 403, "forbidden"
    )
    assert error["details"] == {"action": "approval.decide"}
    response = Api(head_zhang).post(f"/approvals/{filing.pk}/decision", body)
    assert response.status_code == 201, response.content
    assert (
        response.json()["status"] == "pending" and response.json()["current_role"] == "agency_head"
    )
    response = Api(agency_head_liu).post(f"/approvals/{filing.pk}/decision", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["status"] == "approved" and out["current_role"] == "" and out["decided_at"]
    assert [a["role"] for a in out["approvals"]] == ["unit_head", "agency_head"]
    case = Case.objects.get(pk=out["case_id"])
    assert case.stage == Stage.INVESTIGATION and case.lead.status == LeadStatus.FILED
    # Decided: signing again is refused with the action's message.
    error = refused(
        Api(agency_head_liu).post(f"/approvals/{filing.pk}/decision", body), 403, "forbidden"
    )
    assert AuditEvent.objects.filter(action="approval.decide", outcome=Outcome.OK).count() == 2


def test_signing_refusals(filing, officer_wang, head_zhang, custodian_zhou) -> None:
    path = f"/approvals/{filing.pk}/decision"
    # The requester sees the request but may not sign it.
    refused(Api(officer_wang).post(path, {"approved": True, "opinion": "同意"}), 403, "forbidden")
    # Sees the lead (same unit), not an approver.
    refused(Api(custodian_zhou).post(path, {"approved": True, "opinion": "同意"}), 403, "forbidden")
    error = refused(
        Api(head_zhang).post(path, {"approved": True, "opinion": " "}), 422, "validation_error"
    )
    assert error["message"] == "An approval needs a written opinion."
    refused(Api(head_zhang).post(path, {"opinion": "同意"}), 422, "validation_error")  # no choice
    assert not filing.approvals.exists()


def test_a_rejection_sends_the_lead_back(filing, inspection_lead, head_zhang) -> None:
    response = Api(head_zhang).post(
        f"/approvals/{filing.pk}/decision", {"approved": False, "opinion": "证据不足，继续核查"}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "rejected"
    inspection_lead.refresh_from_db()
    assert inspection_lead.status == LeadStatus.OPEN
    error = refused(
        Api(head_zhang).post(
            f"/approvals/{filing.pk}/decision", {"approved": True, "opinion": "x"}
        ),
        403,
        "forbidden",
    )
    assert error["details"] == {"action": "approval.decide"}


def test_a_request_decided_meanwhile_is_refused_with_the_actions_reason(
    filing, head_zhang, monkeypatch
) -> None:
    # Two heads pressing at once: the second finds the position signed already.
    from liuhen.api.routers import approvals as router

    stale = ApprovalRequest.objects.get(pk=filing.pk)
    approval_actions.decide(head_zhang, filing, approve=True, opinion="同意")
    monkeypatch.setattr(router, "_visible_request", lambda request, pk, action: stale)
    monkeypatch.setattr(policy, "may_decide", lambda user, item: True)
    error = refused(
        Api(head_zhang).post(
            f"/approvals/{filing.pk}/decision", {"approved": True, "opinion": "同意"}
        ),
        422,
        "validation_error",
    )
    assert error["message"] == "This request has been decided already."


# --- asking for approval on a case ------------------------------------------------------


def test_an_assigned_officer_asks_for_approval_of_a_case_step(
    registered_case_in_investigation, officer_wang, head_zhang
) -> None:
    response = Api(officer_wang).post(
        f"/cases/{registered_case_in_investigation.pk}/approval-requests",
        {"step": "decision", "note": "拟罚款八千元"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_id"] == registered_case_in_investigation.pk and body["step"] == "decision"
    assert body["step_label"] == "Penalty decision" and body["note"] == "拟罚款八千元"
    assert body["chain"] == ["unit_head", "agency_head"] and body["approvals"] == []
    assert (
        AuditEvent.objects.get(action="approval.request").case_id
        == registered_case_in_investigation.pk
    )
    listed = (
        Api(head_zhang)
        .get(f"/cases/{registered_case_in_investigation.pk}/approval-requests")
        .json()
    )
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    # The same step twice: the action's reason.
    error = refused(
        Api(officer_wang).post(
            f"/cases/{registered_case_in_investigation.pk}/approval-requests", {"step": "decision"}
        ),
        422,
        "validation_error",
    )
    assert error["message"] == "This step is already awaiting approval."


def test_asking_for_approval_refusals(
    registered_case_in_investigation, officer_wang, officer_li, custodian_zhou
) -> None:
    path = f"/cases/{registered_case_in_investigation.pk}/approval-requests"
    # Another unit's officer: the case is invisible.
    refused(Api(officer_li).post(path, {"step": "decision"}), 404, "not_found")
    refused(Api(officer_li).get(path), 404, "not_found")
    refused(
        Api(officer_wang).post("/cases/987654/approval-requests", {"step": "decision"}),
        404,
        "not_found",
    )
    # Sees the case (same unit), may not change it.
    assert Api(custodian_zhou).get(path).status_code == 200
    error = refused(Api(custodian_zhou).post(path, {"step": "decision"}), 403, "forbidden")
    assert error["details"] == {"action": "approval.request"}
    error = refused(Api(officer_wang).post(path, {"step": "no_such_step"}), 422, "validation_error")
    assert error["message"] == "Unknown approval step."
    error = refused(
        Api(officer_wang).post(path, {"step": "decline_filing"}), 422, "validation_error"
    )
    assert error["details"] == {"step": ["Approval of this step is not requested here."]}
    for step in ("lead_extension", "urgent_start_paperwork", "suspension"):
        refused(Api(officer_wang).post(path, {"step": step}), 422, "validation_error")
    refused(Api(officer_wang).post(path, {}), 422, "validation_error")
    assert not registered_case_in_investigation.approval_requests.exists()


# --- urgent start (R7.2) --------------------------------------------------------------


def test_urgent_start_sets_the_paperwork_due_date(
    registered_case_in_investigation, officer_wang, head_zhang
) -> None:
    response = Api(officer_wang).post(
        f"/cases/{registered_case_in_investigation.pk}/urgent-start",
        {"step": "advance_preservation", "reason": "货物可能被转移"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # 农业行政处罚程序规定 (先行登记保存, 情况紧急): approved within 24 hours of the start.
    started = dt.datetime.fromisoformat(body["urgent_started_at"])
    due_at = dt.datetime.fromisoformat(body["report_due_at"])
    hours = int(rules.value("urgent_preservation_report_hours"))
    assert due_at - started == dt.timedelta(hours=hours)
    due = timezone.localtime(due_at).date()
    assert body["urgent"] is True and body["urgent_reason"] == "货物可能被转移"
    assert body["paperwork_due"] == due.isoformat() and body["paperwork_overdue"] is False
    assert body["status"] == "pending" and body["urgent_started_at"]
    # Its paperwork: asking for the same step answers the urgent request.
    again = Api(officer_wang).post(
        f"/cases/{registered_case_in_investigation.pk}/approval-requests",
        {"step": "advance_preservation"},
    )
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert (
        AuditEvent.objects.get(action="approval.urgent_start").case_id
        == registered_case_in_investigation.pk
    )


def test_urgent_start_refusals(
    registered_case_in_investigation, officer_wang, officer_li, custodian_zhou
) -> None:
    path = f"/cases/{registered_case_in_investigation.pk}/urgent-start"
    body = {"step": "advance_preservation", "reason": "货物可能被转移"}
    refused(Api(officer_li).post(path, body), 404, "not_found")
    refused(Api(custodian_zhou).post(path, body), 403, "forbidden")
    error = refused(
        Api(officer_wang).post(path, {"step": "advance_preservation"}), 422, "validation_error"
    )
    assert error["message"] == "Say why the step could not wait for approval."
    error = refused(
        Api(officer_wang).post(path, {**body, "step": "filing"}), 422, "validation_error"
    )
    assert error["details"] == {"step": ["This step cannot be started before approval."]}
    assert not registered_case_in_investigation.approval_requests.exists()


# --- leads ----------------------------------------------------------------------------


def test_leads_are_listed_within_the_unit_and_bureau_wide_for_the_agency_head(
    inspection_lead, officer_wang, officer_li, agency_head_liu
) -> None:
    mine = Api(officer_wang).get("/leads").json()
    assert mine["count"] == 1
    item = mine["items"][0]
    assert (
        item["id"] == inspection_lead.pk
        and item["status"] == "open"
        and item["source"] == "inspection"
    )
    assert item["recorded_by"] == "officer_wang" and item["check_due"] and item["case_id"] is None
    assert Api(officer_li).get("/leads").json()["count"] == 0
    assert Api(agency_head_liu).get("/leads").json()["count"] == 1
    assert Api(agency_head_liu).get(f"/leads/{inspection_lead.pk}").status_code == 200
    refused(Api(officer_li).get(f"/leads/{inspection_lead.pk}"), 404, "not_found")
    assert AuditEvent.objects.filter(
        action="lead.view", outcome=Outcome.DENIED, object_type="cases.lead", actor_id=officer_li.pk
    ).exists()
    refused(Api(officer_wang).get("/leads/987654"), 404, "not_found")


@pytest.mark.parametrize("persona", ["sysadmin_zhao", "auditor_chen"])
def test_administrators_read_no_leads(request, inspection_lead, persona) -> None:
    user = request.getfixturevalue(persona)
    refused(Api(user).get("/leads"), 403, "forbidden")
    refused(Api(user).get(f"/leads/{inspection_lead.pk}"), 404, "not_found")


def test_an_officer_records_a_lead_with_its_subject(officer_wang) -> None:
    shop = subjects.create_subject(officer_wang, kind="unit", name="某农资经营部")
    response = Api(officer_wang).post(
        "/leads",
        {
            "source": "complaint",
            "summary": "群众举报某农资店销售假种子",
            "violation_date": "2019-03-01",
            "subject_id": shop.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "complaint" and body["subject_id"] == shop.pk
    assert body["unit_id"] == officer_wang.unit_id and body["approval_requests"] == []
    # Art. 36: an act of 2019 is time-barred (2 / 5 years).
    assert body["limitation_warnings"] and "Art. 36" in body["limitation_warnings"][0]
    assert AuditEvent.objects.get(action="lead.create").outcome == Outcome.OK


def test_recording_a_lead_refusals(
    officer_wang, officer_li, sysadmin_zhao, agency_head_liu
) -> None:
    hidden = subjects.create_subject(
        officer_li, kind="person", name="某个体户", confidentiality="privacy"
    )
    body = {"source": "inspection", "summary": "检查发现"}
    # No unit of their own (agency head) or an administrator: refused.
    for persona in (sysadmin_zhao, agency_head_liu):
        error = refused(Api(persona).post("/leads", body), 403, "forbidden")
        assert error["details"] == {"action": "lead.create"}
    client = Api(officer_wang)
    error = refused(client.post("/leads", {**body, "summary": " "}), 422, "validation_error")
    assert error["details"] == {"summary": ["Describe the lead."]}
    refused(client.post("/leads", {**body, "source": "rumour"}), 422, "validation_error")
    error = refused(
        client.post("/leads", {**body, "subject_id": hidden.pk}), 422, "validation_error"
    )
    assert error["details"] == {"subject_id": ["Unknown party."]}
    assert not Lead.objects.exists()


def test_proposing_filing_goes_to_approval(
    inspection_lead, officer_wang, head_zhang, unit_a, officer_ma
) -> None:
    response = Api(officer_wang).post(
        f"/leads/{inspection_lead.pk}/filing-request",
        {
            "title": "某农资店销售假农药案",
            "field": "农药",
            "officers": ["officer_ma"],
            "note": "建议立案",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["step"] == "filing"
        and body["lead_id"] == inspection_lead.pk
        and body["status"] == "pending"
    )
    assert body["limitation_warnings"] == []
    inspection_lead.refresh_from_db()
    assert inspection_lead.status == LeadStatus.PROPOSED
    assert inspection_lead.proposal["officers"] == [officer_wang.pk, officer_ma.pk]
    detail = Api(head_zhang).get(f"/leads/{inspection_lead.pk}").json()
    assert detail["status"] == "proposed" and [r["id"] for r in detail["approval_requests"]] == [
        body["id"]
    ]
    # Once proposed, the lead is not open for another proposal: the action's reason.
    error = refused(
        Api(officer_wang).post(
            f"/leads/{inspection_lead.pk}/not-filing-request", {"note": "情节轻微"}
        ),
        422,
        "validation_error",
    )
    assert error["message"] == "This lead is not open for a filing decision."


def test_proposing_filing_refusals(
    inspection_lead, officer_wang, officer_li, agency_head_liu
) -> None:
    path = f"/leads/{inspection_lead.pk}/filing-request"
    body = {"title": "某农资店销售假农药案", "field": "农药"}
    refused(Api(officer_li).post(path, body), 404, "not_found")
    # Sees every lead, proposes none (not of the unit).
    error = refused(Api(agency_head_liu).post(path, body), 403, "forbidden")
    assert error["details"] == {"action": "lead.propose"}
    error = refused(Api(officer_wang).post(path, {"title": "某案"}), 422, "validation_error")
    assert error["message"] == "Name the case and the field of enforcement (e.g. 农药)."
    error = refused(
        Api(officer_wang).post(path, {**body, "officers": ["officer_li"]}), 422, "validation_error"
    )
    assert error["details"] == {"officers": ["Unknown officer: officer_li"]}
    # Alone: a case is worked by two certified officers (R4.2).
    error = refused(Api(officer_wang).post(path, body), 422, "validation_error")
    assert "officers" in error["details"]
    inspection_lead.refresh_from_db()
    assert (
        inspection_lead.status == LeadStatus.OPEN and not inspection_lead.approval_requests.exists()
    )


def test_not_filing_is_decided_by_approval(
    inspection_lead, officer_wang, head_zhang, agency_head_liu
) -> None:
    path = f"/leads/{inspection_lead.pk}/not-filing-request"
    error = refused(Api(officer_wang).post(path, {"note": ""}), 422, "validation_error")
    assert error["details"] == {"note": ["Give the reason for not filing."]}
    response = Api(officer_wang).post(path, {"note": "经核查不存在违法行为"})
    assert response.status_code == 201, response.content
    request_id = response.json()["id"]
    assert response.json()["step"] == "decline_filing"
    for approver in (head_zhang, agency_head_liu):
        signed = Api(approver).post(
            f"/approvals/{request_id}/decision", {"approved": True, "opinion": "同意"}
        )
        assert signed.status_code == 201, signed.content
    detail = Api(officer_wang).get(f"/leads/{inspection_lead.pk}").json()
    assert detail["status"] == "declined" and detail["case_id"] is None
    assert detail["approval_requests"][0]["status"] == ApprovalStatus.APPROVED


def test_not_filing_refusals(inspection_lead, officer_li, agency_head_liu) -> None:
    path = f"/leads/{inspection_lead.pk}/not-filing-request"
    refused(Api(officer_li).post(path, {"note": "x"}), 404, "not_found")
    refused(Api(agency_head_liu).post(path, {"note": "x"}), 403, "forbidden")


def test_experts_consulted_on_an_approval_need_their_opinion(filing, head_zhang) -> None:
    """R7.4: experts or legal advisers in an approval → minutes or written opinion kept."""
    api = Api(head_zhang)
    body = {"approved": True, "opinion": "同意立案", "experts": "法律顾问 李律师"}
    error = refused(api.post(f"/approvals/{filing.pk}/decision", body), 422, "validation_error")
    assert "expert_opinion" in str(error)
    body["expert_opinion"] = "书面意见：符合立案条件"
    assert api.post(f"/approvals/{filing.pk}/decision", body).status_code == 201
    [signed] = api.get(f"/approvals/{filing.pk}").json()["approvals"]
    assert signed["experts"] == "法律顾问 李律师"
    assert signed["expert_opinion"] == "书面意见：符合立案条件"
