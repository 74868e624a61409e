"""API: the workflow of a case (R3.1) — stage and blockers, advance notice and waivers (R8.1,
R8.2), legal review (Art. 58), collective discussion (R7.3), decision (Art. 59), closing and
the simple procedure (Art. 51, 52) — and a whole ordinary case driven through the API only.

Each endpoint allowed and refused: invisible cases are 404 like missing ones, forbidden
actions 403, refused steps 422 with the action's own reasons. Amounts are in fen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions import registration
from liuhen.cases.models import Case, Decision, Procedure, Stage
from liuhen.core import registry
from liuhen.core.models import AuditEvent, Outcome
from liuhen.subjects import actions as subjects
from tests.activities.helpers import seed_types
from tests.api.test_approvals_api import Api, refused
from tests.factories import CertificateFactory, UserFactory
from tests.scenarios.helpers import approve_all

pytestmark = pytest.mark.django_db

NOW = timezone.now


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


@pytest.fixture
def registered_case_in_decision(unit_a, officer_wang, head_zhang) -> Case:
    """An ordinary case of unit A in the review and decision stage, officer_wang assigned."""
    return registration.create_case(
        head_zhang,
        title="某农资店案",
        field="农药",
        unit=unit_a,
        officers=[officer_wang],
        stage=Stage.DECISION,
    )


@pytest.fixture
def recorded_advance_notice(registered_case_in_decision, officer_wang):
    return decision_actions.record_advance_notice(
        officer_wang,
        registered_case_in_decision,
        notified_at=NOW(),
        notified_to="某农资经营部",
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=5_000_00,
    )


NOTICE = {
    "notified_at": "2026-03-02T10:00:00",
    "notified_to": "某农资经营部 法定代表人张三",
    "method": "直接送达",
    "penalty_kinds": ["fine", "confiscate_goods"],
    "proposed_fine_fen": 8_000_00,
}


# --- stage, blockers, advancing ---------------------------------------------------------


def test_workflow_shows_the_blockers_with_reasons_in_both_languages(
    registered_case_in_decision, officer_wang
) -> None:
    body = Api(officer_wang).get(f"/cases/{registered_case_in_decision.pk}/workflow").json()
    assert body["stage"] == "decision" and body["next_stage"] == "service"
    assert body["stage_label"] == "Review and decision" and body["procedure"] == "ordinary"
    assert body["may_advance"] is False
    blockers = {b["code"]: b for b in body["blockers"]}
    assert blockers["no_decision"]["article"] == "59"
    assert blockers["no_decision"]["message"] == "No penalty decision has been made."
    assert blockers["no_decision"]["message_en"] == "No penalty decision has been made."
    assert "处罚决定" in blockers["no_decision"]["message_zh"]
    assert blockers["advance_notice_missing"]["article"] == "R8.1"
    assert "事先告知" in blockers["advance_notice_missing"]["message_zh"]
    # The default language is Chinese.
    chinese = (
        Api(officer_wang, language="zh-hans")
        .get(f"/cases/{registered_case_in_decision.pk}/workflow")
        .json()
    )
    assert chinese["blockers"][0]["message"] == chinese["blockers"][0]["message_zh"]


def test_advance_is_refused_with_every_reason(registered_case_in_decision, officer_wang) -> None:
    error = refused(
        Api(officer_wang).post(f"/cases/{registered_case_in_decision.pk}/advance"),
        422,
        "validation_error",
    )
    assert "No penalty decision has been made." in error["details"]
    assert "No penalty decision has been made." in error["message"]
    registered_case_in_decision.refresh_from_db()
    assert registered_case_in_decision.stage == Stage.DECISION


@pytest.mark.parametrize("persona", ["officer_li", "sysadmin_zhao", "auditor_chen"])
def test_an_invisible_case_is_404_on_every_workflow_endpoint(
    request, registered_case_in_decision, recorded_advance_notice, persona
) -> None:
    user = request.getfixturevalue(persona)
    client = Api(user)
    for path in (
        "workflow",
        "advance-notices",
        "legal-reviews",
        "discussions",
        "decision",
        "approval-requests",
    ):
        refused(client.get(f"/cases/{registered_case_in_decision.pk}/{path}"), 404, "not_found")
    refused(client.get(f"/advance-notices/{recorded_advance_notice.pk}"), 404, "not_found")
    for path, body in (
        ("advance", {}),
        ("close", {"condition": "executed"}),
        ("advance-notices", NOTICE),
        ("legal-reviews", {"result": "agree", "opinion": "同意"}),
        ("discussions", {"held_at": _iso(NOW()), "opinions": "x", "conclusion": "y"}),
        ("decision", {"penalty_kinds": ["fine"], "fine_fen": 1, "facts": "f", "basis": "b"}),
        ("simple-filing", {}),
    ):
        refused(
            client.post(f"/cases/{registered_case_in_decision.pk}/{path}", body), 404, "not_found"
        )
    waiver = {"rights": ["hearing"], "statement": "本人放弃听证"}
    refused(
        client.post(f"/advance-notices/{recorded_advance_notice.pk}/waivers", waiver),
        404,
        "not_found",
    )
    refused(client.get("/cases/987654/workflow"), 404, "not_found")
    assert (
        not recorded_advance_notice.waivers.exists()
        and registered_case_in_decision.advance_notices.count() == 1
    )
    # Every attempt is audited as a denial: 6 reads and 7 changes of the case, 2 of its notice.
    denied = AuditEvent.objects.filter(outcome=Outcome.DENIED, actor_id=user.pk)
    assert (
        denied.filter(
            object_type="cases.case", object_id=str(registered_case_in_decision.pk)
        ).count()
        == 13
    )
    on_notice = denied.filter(
        object_type="cases.advancenotice", object_id=str(recorded_advance_notice.pk)
    )
    assert on_notice.count() == 2


def test_seeing_a_case_is_not_changing_it(
    registered_case_in_decision, recorded_advance_notice, custodian_zhou
) -> None:
    """The AV custodian of unit A reads the case; every change is refused and audited."""
    client = Api(custodian_zhou)
    assert (
        client.get(f"/cases/{registered_case_in_decision.pk}/workflow").json()["may_advance"]
        is False
    )
    for path in ("advance-notices", "legal-reviews", "discussions"):
        assert client.get(f"/cases/{registered_case_in_decision.pk}/{path}").status_code == 200
    for path, body, action in (
        ("advance", {}, "case.change"),
        ("close", {"condition": "executed"}, "case.change"),
        ("advance-notices", NOTICE, "case.change"),
        ("legal-reviews", {"result": "agree", "opinion": "同意"}, "case.legal_review"),
        (
            "discussions",
            {"held_at": _iso(NOW()), "attendees": [], "opinions": "x", "conclusion": "y"},
            "case.discuss",
        ),
        (
            "decision",
            {"penalty_kinds": ["fine"], "fine_fen": 1, "facts": "f", "basis": "b"},
            "case.change",
        ),
    ):
        error = refused(
            client.post(f"/cases/{registered_case_in_decision.pk}/{path}", body), 403, "forbidden"
        )
        assert error["details"] == {"action": action}, path
    waiver = {"rights": ["hearing"], "statement": "本人放弃听证"}
    refused(
        client.post(f"/advance-notices/{recorded_advance_notice.pk}/waivers", waiver),
        403,
        "forbidden",
    )
    assert (
        AuditEvent.objects.filter(outcome=Outcome.DENIED, actor_name="custodian_zhou").count() == 7
    )


# --- advance notice and waivers -----------------------------------------------------------


def test_advance_notice_and_waiver(registered_case_in_decision, officer_wang, head_zhang) -> None:
    client = Api(officer_wang)
    response = client.post(f"/cases/{registered_case_in_decision.pk}/advance-notices", NOTICE)
    assert response.status_code == 201, response.content
    notice = response.json()
    assert notice["proposed_fine_fen"] == 800000 and notice["notified_by"] == "officer_wang"
    assert notice["rights"] == ["statement", "defence", "withdrawal", "hearing"]
    # A time without an offset is local time (Asia/Shanghai).
    assert notice["notified_at"] == "2026-03-02T02:00:00Z" or notice["notified_at"].startswith(
        "2026-03-02T10:00:00+08:00"
    )
    response = client.post(
        f"/advance-notices/{notice['id']}/waivers",
        {"rights": ["hearing"], "statement": "本人放弃听证"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["rights"] == ["hearing"] and response.json()["notice_id"] == notice["id"]
    listed = Api(head_zhang).get(f"/cases/{registered_case_in_decision.pk}/advance-notices").json()
    assert listed["count"] == 1 and listed["items"][0]["waivers"][0]["statement"] == "本人放弃听证"
    one = Api(head_zhang).get(f"/advance-notices/{notice['id']}").json()
    assert one["waivers"][0]["recorded_by"] == "officer_wang"


def test_advance_notice_refusals(
    registered_case_in_decision, recorded_advance_notice, officer_wang
) -> None:
    client = Api(officer_wang)
    path = f"/cases/{registered_case_in_decision.pk}/advance-notices"
    error = refused(client.post(path, {**NOTICE, "rights": ["hearing"]}), 422, "validation_error")
    assert error["message"] == "The notice must name the rights to state and to defend."
    error = refused(client.post(path, {**NOTICE, "method": ""}), 422, "validation_error")
    assert error["message"] == "Say to whom and how the notice was given."
    error = refused(client.post(path, {**NOTICE, "proposed_fine_fen": -1}), 422, "validation_error")
    assert error["message"] == "Enter the fine in fen as a whole number."
    error = refused(client.post(path, {**NOTICE, "penalty_kinds": []}), 422, "validation_error")
    assert error["message"] == "Choose the kinds of penalty."
    refused(client.post(path, {**NOTICE, "penalty_kinds": ["flogging"]}), 422, "validation_error")
    waivers = f"/advance-notices/{recorded_advance_notice.pk}/waivers"
    error = refused(client.post(waivers, {"rights": ["hearing"]}), 422, "validation_error")
    assert error["message"] == "Record the party's statement."
    error = refused(client.post(waivers, {"statement": "放弃"}), 422, "validation_error")
    assert error["message"] == "Name the rights the party waives."
    refused(client.post("/advance-notices/987654/waivers", {}), 404, "not_found")
    assert (
        registered_case_in_decision.advance_notices.count() == 1
        and not recorded_advance_notice.waivers.exists()
    )


# --- legal review -------------------------------------------------------------------------


def test_legal_review_by_a_reviewer_not_by_an_investigator(
    registered_case_in_decision, reviewer_sun, officer_wang
) -> None:
    path = f"/cases/{registered_case_in_decision.pk}/legal-reviews"
    error = refused(
        Api(officer_wang).post(path, {"result": "agree", "opinion": "同意"}), 403, "forbidden"
    )
    assert error["details"] == {"action": "case.legal_review"}
    error = refused(
        Api(reviewer_sun).post(path, {"result": "agree", "opinion": " "}), 422, "validation_error"
    )
    assert error["message"] == "A legal review needs an opinion and a result."
    refused(
        Api(reviewer_sun).post(path, {"result": "maybe", "opinion": "x"}), 422, "validation_error"
    )
    response = Api(reviewer_sun).post(path, {"result": "amend", "opinion": "事实清楚，建议调整"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reviewer"] == "reviewer_sun" and body["result_label"] == "Agree with changes"
    assert Api(officer_wang).get(path).json()["items"][0]["id"] == body["id"]


# --- collective discussion ----------------------------------------------------------------


def test_collective_discussion(
    registered_case_in_decision, officer_wang, head_zhang, agency_head_liu, sysadmin_zhao
) -> None:
    path = f"/cases/{registered_case_in_decision.pk}/discussions"
    body = {
        "held_at": _iso(NOW()),
        "attendees": ["head_zhang", "agency_head_liu"],
        "opinions": "同意处罚",
        "conclusion": "罚款八千元",
        "expert_opinion": "法律顾问书面意见：同意",
    }
    # Administrators take no part in deciding cases.
    error = refused(
        Api(officer_wang).post(path, {**body, "attendees": ["head_zhang", "sysadmin_zhao"]}),
        422,
        "validation_error",
    )
    assert error["details"] == {"attendees": ["Unknown attendee: sysadmin_zhao"]}
    error = refused(
        Api(officer_wang).post(path, {**body, "attendees": ["head_zhang"]}), 422, "validation_error"
    )
    assert error["message"].startswith("A collective discussion record needs the attendees")
    response = Api(officer_wang).post(path, body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert [a["username"] for a in out["attendees"]] == ["agency_head_liu", "head_zhang"]
    assert (
        out["expert_opinion"] == "法律顾问书面意见：同意" and out["recorded_by"] == "officer_wang"
    )
    assert Api(head_zhang).get(path).json()["count"] == 1


# --- decision -----------------------------------------------------------------------------


def test_decision_refused_until_its_conditions_hold(
    registered_case_in_decision, recorded_advance_notice, officer_wang, head_zhang, agency_head_liu
) -> None:
    client = Api(officer_wang)
    refused(client.get(f"/cases/{registered_case_in_decision.pk}/decision"), 404, "not_found")
    body = {
        "penalty_kinds": ["fine"],
        "fine_fen": 5_000_00,
        "facts": "销售假农药",
        "basis": "第五十五条",
    }
    error = refused(
        client.post(f"/cases/{registered_case_in_decision.pk}/decision", body),
        422,
        "validation_error",
    )
    assert error["details"] == ["The penalty decision has not been approved."]
    approve_all(
        approval_actions.request_approval(officer_wang, registered_case_in_decision, "decision"),
        head_zhang,
        agency_head_liu,
    )
    # Art. 45: not heavier than notified.
    error = refused(
        client.post(
            f"/cases/{registered_case_in_decision.pk}/decision", {**body, "fine_fen": 5_000_01}
        ),
        422,
        "validation_error",
    )
    assert error["message"] == "The fine exceeds the fine proposed in the advance notice."
    error = refused(
        client.post(
            f"/cases/{registered_case_in_decision.pk}/decision",
            {**body, "penalty_kinds": ["fine", "warning"]},
        ),
        422,
        "validation_error",
    )
    assert "The decision adds penalties not proposed in the advance notice." in error["details"]
    response = client.post(f"/cases/{registered_case_in_decision.pk}/decision", body)
    assert response.status_code == 201, response.content
    decision = response.json()
    assert decision["fine_fen"] == 500000 and "罚" in decision["number"]
    assert (
        Api(head_zhang).get(f"/cases/{registered_case_in_decision.pk}/decision").json() == decision
    )
    error = refused(
        client.post(f"/cases/{registered_case_in_decision.pk}/decision", body),
        422,
        "validation_error",
    )
    assert error["message"] == "This case has a decision already."


# --- closing ------------------------------------------------------------------------------


def test_closing_needs_the_approved_closing_report(
    registered_case_in_decision, officer_wang, head_zhang, agency_head_liu
) -> None:
    client = Api(officer_wang)
    path = f"/cases/{registered_case_in_decision.pk}/close"
    refused(client.post(path, {"condition": "whenever"}), 422, "validation_error")
    error = refused(client.post(path, {"condition": "no_penalty"}), 422, "validation_error")
    assert error["message"] == "The closing report (结案报告) has not been approved."
    request_id = client.post(
        f"/cases/{registered_case_in_decision.pk}/approval-requests",
        {"step": "closing", "note": "不予处罚"},
    ).json()["id"]
    for approver in (head_zhang, agency_head_liu):
        Api(approver).post(
            f"/approvals/{request_id}/decision", {"approved": True, "opinion": "同意"}
        )
    error = refused(client.post(path, {"condition": "executed"}), 422, "validation_error")
    assert error["message"] == "There is no decision that could have been executed."
    response = client.post(path, {"condition": "no_penalty"})
    assert response.status_code == 200, response.content
    assert response.json()["closing_condition"] == "no_penalty" and response.json()["closed_at"]
    error = refused(client.post(path, {"condition": "no_penalty"}), 422, "validation_error")
    assert error["message"] == "The case is closed already."


# --- simple procedure -----------------------------------------------------------------------


@pytest.fixture
def pedlar(officer_wang):
    return subjects.create_subject(officer_wang, kind="person", name="某流动商贩")


def test_on_the_spot_penalty_and_its_filing(pedlar, officer_wang, head_zhang) -> None:
    body = {
        "subject_id": pedlar.pk,
        "penalty_kind": "fine",
        "amount_fen": 150_00,
        "facts": "销售过期农药",
        "basis": "《农药管理条例》",
        "field": "农药",
        "officers": ["head_zhang"],
        "place": "集贸市场",
    }
    # Art. 42, 52: two certified officers at least, with the place of the act.
    error = refused(
        Api(officer_wang).post("/on-the-spot", {**body, "officers": []}), 422, "validation_error"
    )
    assert "Art. 42" in error["details"]["officers"][0]
    response = Api(officer_wang).post("/on-the-spot", body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["procedure"] == "simple" and out["stage"] == "service"
    assert out["decision"]["fine_fen"] == 15000 and out["decision"]["number"] == out["case_number"]
    assert out["simple_filing_due"]
    case = Case.objects.get(pk=out["case_id"])
    assert set(case.officers.values_list("username", flat=True)) == {"officer_wang", "head_zhang"}
    assert case.activities.get().type.code == "on_the_spot_penalty"
    response = Api(head_zhang).post(f"/cases/{case.pk}/simple-filing")
    assert response.status_code == 200, response.content
    assert response.json()["simple_filed_at"]
    error = refused(
        Api(head_zhang).post(f"/cases/{case.pk}/simple-filing"), 422, "validation_error"
    )
    assert error["message"] == "The case has been filed already."


def test_on_the_spot_refusals(
    pedlar, officer_wang, officer_li, agency_head_liu, sysadmin_zhao, registered_case_in_decision
) -> None:
    body = {
        "subject_id": pedlar.pk,
        "penalty_kind": "fine",
        "amount_fen": 200_01,
        "facts": "销售过期农药",
        "basis": "《农药管理条例》",
        "field": "农药",
    }
    # Art. 51: above ¥200 for a person, the ordinary procedure.
    error = refused(Api(officer_wang).post("/on-the-spot", body), 422, "validation_error")
    assert "Art. 51" in error["message"] and "200.00" in error["message"]
    error = refused(
        Api(officer_wang).post("/on-the-spot", {**body, "penalty_kind": "confiscate_goods"}),
        422,
        "validation_error",
    )
    assert error["message"].startswith("Only a warning or a fine may be imposed on the spot")
    error = refused(
        Api(officer_wang).post("/on-the-spot", {**body, "amount_fen": 0, "subject_id": 987654}),
        422,
        "validation_error",
    )
    assert error["details"] == {"subject_id": ["Unknown party."]}
    for persona in (agency_head_liu, sysadmin_zhao):  # no unit of their own / administrator
        error = refused(Api(persona).post("/on-the-spot", body), 403, "forbidden")
        assert error["details"] == {"action": "case.create"}
    assert not Case.objects.filter(procedure=Procedure.SIMPLE).exists()
    # Filing 备案 is for simple-procedure cases only.
    error = refused(
        Api(officer_wang).post(f"/cases/{registered_case_in_decision.pk}/simple-filing"),
        422,
        "validation_error",
    )
    assert error["message"] == "Only simple-procedure cases are filed this way."


# --- a whole ordinary case, through the API only --------------------------------------------


@pytest.fixture
def av_linked() -> Iterator[set[int]]:
    """Stands in for the media app's dock import, which links the recorder's files to an
    activity (R5.2); it has no API endpoint yet. Activity ids added here count one file."""
    linked: set[int] = set()

    def counter(activity: Any) -> int:
        return 1 if activity.pk in linked else 0

    with registry.av_counters.temporarily("test", counter):
        yield linked


def test_a_whole_ordinary_case_through_the_api(
    officer_wang, head_zhang, agency_head_liu, reviewer_sun, unit_a, av_linked
) -> None:
    seed_types()
    officer_ma = UserFactory(
        username="officer_ma", full_name="马骏", unit=unit_a, roles=[Role.OFFICER]
    )
    CertificateFactory(officer=officer_ma)
    wang, zhang, liu, sun = (
        Api(p) for p in (officer_wang, head_zhang, agency_head_liu, reviewer_sun)
    )

    def approve(request_id: int) -> dict[str, Any]:
        for head in (zhang, liu):
            response = head.post(
                f"/approvals/{request_id}/decision", {"approved": True, "opinion": "同意"}
            )
            assert response.status_code == 201, response.content
        return response.json()

    def blockers(case_id: int) -> dict[str, dict[str, str]]:
        return {b["code"]: b for b in wang.get(f"/cases/{case_id}/workflow").json()["blockers"]}

    # A subject and a lead, then the filing proposal and its approval by both heads.
    shop = wang.post("/subjects", {"kind": "unit", "name": "某农资经营部"})
    assert shop.status_code == 201, shop.content
    lead = wang.post(
        "/leads",
        {"source": "inspection", "summary": "检查发现疑似假农药", "subject_id": shop.json()["id"]},
    ).json()
    filing = wang.post(
        f"/leads/{lead['id']}/filing-request",
        {"title": "某农资店销售假农药案", "field": "农药", "officers": ["officer_ma"]},
    ).json()
    assert [i["id"] for i in zhang.get("/approvals").json()["items"]] == [filing["id"]]
    case_id = approve(filing["id"])["case_id"]
    assert wang.get(f"/leads/{lead['id']}").json()["case_id"] == case_id
    assert wang.get(f"/cases/{case_id}/workflow").json()["stage"] == "investigation"

    # Activities on site, through the existing endpoint.
    start = NOW() - dt.timedelta(hours=3)
    activity_ids = []
    for code in ("inspection", "sampling"):
        response = wang.post(
            "/activities",
            {
                "case_id": case_id,
                "type": code,
                "started_at": _iso(start),
                "ended_at": _iso(start + dt.timedelta(minutes=40)),
                "place": "大洼区田家街道某农资店",
                "officers": ["officer_wang", "officer_ma"],
                "party_id": shop.json()["id"],
            },
        )
        assert response.status_code == 201, response.content
        activity_ids.append(response.json()["id"])

    # R5.2: no AV linked yet — the stage is blocked, with the reason and the article.
    found = blockers(case_id)
    assert found["av_missing"]["article"] == "R5.2" and "音像" in found["av_missing"]["message_zh"]
    error = refused(wang.post(f"/cases/{case_id}/advance"), 422, "validation_error")
    assert "needs an AV record" in error["message"]
    av_linked.update(activity_ids)
    assert wang.get(f"/cases/{case_id}/workflow").json()["may_advance"] is True
    assert wang.post(f"/cases/{case_id}/advance").json()["stage"] == "decision"

    # Advance notice, the party's waiver of a hearing, legal review, discussion.
    found = blockers(case_id)
    assert {"no_decision", "advance_notice_missing"} <= set(found)
    notice = wang.post(f"/cases/{case_id}/advance-notices", {**NOTICE, "notified_at": _iso(NOW())})
    assert notice.status_code == 201, notice.content
    waiver = wang.post(
        f"/advance-notices/{notice.json()['id']}/waivers",
        {"rights": ["hearing"], "statement": "本人放弃听证"},
    )
    assert waiver.status_code == 201, waiver.content
    assert "advance_notice_missing" not in blockers(case_id)
    review = sun.post(
        f"/cases/{case_id}/legal-reviews", {"result": "agree", "opinion": "事实清楚，证据确凿"}
    )
    assert review.status_code == 201, review.content
    discussion = wang.post(
        f"/cases/{case_id}/discussions",
        {
            "held_at": _iso(NOW()),
            "attendees": ["head_zhang", "agency_head_liu", "reviewer_sun"],
            "attendee_opinions": {"head_zhang": "同意", "agency_head_liu": "同意罚款"},
            "opinions": "同意处罚",
            "conclusion": "罚款八千元，没收假农药",
        },
    )
    assert discussion.status_code == 201, discussion.content
    assert discussion.json()["concluded"] is False
    # R7.3: each attendee confirms their own opinion, and only their own.
    opinions = {o["attendee"]: o for o in discussion.json()["attendee_opinions"]}
    assert opinions["agency_head_liu"]["drafted"] == "同意罚款"
    mine = f"/discussion-opinions/{opinions['head_zhang']['id']}/confirm"
    refused(liu.post(mine, {"text": "同意"}), 403, "forbidden")
    for client, who in ((zhang, "head_zhang"), (liu, "agency_head_liu"), (sun, "reviewer_sun")):
        confirmed = client.post(
            f"/discussion-opinions/{opinions[who]['id']}/confirm", {"text": "同意处罚"}
        )
        assert confirmed.status_code == 200, confirmed.content
        assert confirmed.json()["confirmed_at"] is not None
    listed = wang.get(f"/cases/{case_id}/discussions").json()["items"][0]
    assert listed["concluded"] is True

    # The decision: approved by the chain, then recorded.
    decision_body = {
        "penalty_kinds": ["fine", "confiscate_goods"],
        "fine_fen": 8_000_00,
        "facts": "销售假农药",
        "basis": "《农药管理条例》第五十五条",
    }
    error = refused(wang.post(f"/cases/{case_id}/decision", decision_body), 422, "validation_error")
    assert error["message"] == "The penalty decision has not been approved."
    asked = wang.post(f"/cases/{case_id}/approval-requests", {"step": "decision"}).json()
    approve(asked["id"])
    decision = wang.post(f"/cases/{case_id}/decision", decision_body)
    assert decision.status_code == 201, decision.content
    assert decision.json()["fine_fen"] == 800000
    assert wang.post(f"/cases/{case_id}/advance").json()["stage"] == "service"

    # Closing: the closing report approved, then closed; the case moves to archiving.
    found = blockers(case_id)
    assert found["not_closed"]["message_en"].startswith("The case has not been closed")
    asked = wang.post(f"/cases/{case_id}/approval-requests", {"step": "closing", "note": "已执行"})
    approve(asked.json()["id"])
    closed = wang.post(f"/cases/{case_id}/close", {"condition": "executed"})
    assert closed.status_code == 200, closed.content
    final = wang.post(f"/cases/{case_id}/advance").json()
    assert final["stage"] == "archiving" and final["next_stage"] is None and final["blockers"] == []

    # The records are listed on the case; the history has every step.
    assert wang.get(f"/cases/{case_id}/advance-notices").json()["count"] == 1
    assert wang.get(f"/cases/{case_id}/legal-reviews").json()["count"] == 1
    assert wang.get(f"/cases/{case_id}/discussions").json()["count"] == 1
    assert wang.get(f"/cases/{case_id}/approval-requests").json()["count"] == 3
    assert Decision.objects.get(case_id=case_id).number == decision.json()["number"]
    logged = set(AuditEvent.objects.filter(case_id=case_id).values_list("action", flat=True))
    assert {
        "case.create",
        "activity.record",
        "case.stage",
        "case.advance_notice",
        "case.waiver",
        "case.legal_review",
        "case.discussion",
        "approval.request",
        "approval.decide",
        "case.decide",
        "case.close",
    } <= logged


def test_the_new_endpoints_are_in_the_openapi_document(db) -> None:
    from django.test import Client
    from openapi_spec_validator import validate

    spec = Client().get("/api/v1/openapi.json").json()
    validate(spec)
    for path in (
        "/approvals",
        "/approvals/{request_id}",
        "/approvals/{request_id}/decision",
        "/cases/{case_id}/approval-requests",
        "/cases/{case_id}/urgent-start",
        "/leads",
        "/leads/{lead_id}",
        "/leads/{lead_id}/filing-request",
        "/leads/{lead_id}/not-filing-request",
        "/cases/{case_id}/workflow",
        "/cases/{case_id}/advance",
        "/cases/{case_id}/advance-notices",
        "/advance-notices/{notice_id}",
        "/advance-notices/{notice_id}/waivers",
        "/cases/{case_id}/legal-reviews",
        "/cases/{case_id}/discussions",
        "/cases/{case_id}/decision",
        "/cases/{case_id}/close",
        "/cases/{case_id}/simple-filing",
        "/on-the-spot",
    ):
        assert f"/api/v1{path}" in spec["paths"], path
    responses = spec["paths"]["/api/v1/approvals/{request_id}/decision"]["post"]["responses"]
    assert {"201", "403", "404", "422"} <= set(responses)
