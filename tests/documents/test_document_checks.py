"""Checks on text records: a document the party signs is not final without the signature or
an AV-backed refusal (R9.2); a penalty decision is issued only after the advance notice was
served (R8.1). Each is found, and cleared by what the regulation asks for."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import decisions as decision_actions
from liuhen.cases.actions.registration import link_party
from liuhen.cases.compliance import blocking_findings, findings_for_case
from liuhen.cases.models import ClosingCondition, Procedure, Stage
from liuhen.delivery.models import ServiceMode, ServiceRecord
from liuhen.documents.actions import drafting, issuing, officer_signing, signing
from liuhen.documents.catalog import catalog
from liuhen.documents.issuing import signatures
from liuhen.documents.models import IssuedDocument
from liuhen.subjects import actions as subject_actions
from tests.factories import CaseFactory
from tests.fixtures.documents import approve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_font_cache")]

PARTY = "张三"


def _case(unit, officer, stage: str):
    case = CaseFactory(unit=unit, officers=[officer], stage=stage, field="农药")
    party = subject_actions.create_subject(officer, kind="person", name=PARTY, address="1号")
    link_party(officer, case, party)
    return case


def _issue(officer, case, code: str, **values: str) -> IssuedDocument:
    draft = drafting.create_draft(officer, case, code)
    draft = drafting.save_draft(officer, draft, {**draft.data, **values})
    return issuing.issue(officer, draft)


def _found(case, code: str) -> list:
    return [f for f in findings_for_case(case) if f.code == code]


def _signature_png() -> bytes:
    image = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(20, 100), (120, 20), (300, 90)], fill=(0, 0, 0, 255), width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --- R9.2 signature_missing -------------------------------------------------------------


def _transcript(officer, case) -> IssuedDocument:
    start = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    return _issue(
        officer,
        case,
        "inquiry_transcript",
        started_at=start.strftime("%Y-%m-%d %H:%M"),
        ended_at=(start + dt.timedelta(minutes=40)).strftime("%Y-%m-%d %H:%M"),
        place="询问室",
        recorder="王明",
        recusal="否",
        questions_answers="问：你店内的农药从何处购进？\n答：从营口购进。",
    )


def test_unsigned_transcript_blocks_its_stage_until_the_party_signs(unit_a, officer_wang):
    case = _case(unit_a, officer_wang, Stage.INVESTIGATION)
    transcript = _transcript(officer_wang, case)
    assert transcript.needs_signature

    [finding] = _found(case, "signature_missing")
    assert finding.blocking and finding.article == "R9.2"
    assert finding.object == transcript and finding.stage == Stage.INVESTIGATION
    assert "询问笔录" in str(finding.message)
    assert finding in blocking_findings(case, Stage.INVESTIGATION)

    role = signatures.party_roles(catalog.get("inquiry_transcript"))[0]
    signing.sign(
        officer_wang,
        transcript,
        role=role,
        name=PARTY,
        opinion="以上笔录我已看过，与我所说的相符",
        image_png=_signature_png(),
    )
    # The officer's lines (询问人, 记录人) are still to sign: not final yet.
    assert _found(case, "signature_missing") != []
    for line in ("询问人", "记录人"):
        officer_signing.sign_as_officer(
            officer_wang, transcript, role=line, image_png=_signature_png()
        )
    assert hasattr(IssuedDocument.objects.get(pk=transcript.pk), "finalisation")
    assert _found(case, "signature_missing") == []


@pytest.mark.finding_kind("signature_missing")
def test_unsigned_transcript_holds_up_a_later_stage_the_case_reached(unit_a, officer_wang):
    case = _case(unit_a, officer_wang, Stage.INVESTIGATION)
    _transcript(officer_wang, case)
    case.stage = Stage.DECISION  # e.g. moved on before this check existed
    case.save(update_fields=["stage"])

    [finding] = _found(case, "signature_missing")
    assert finding.stage == Stage.DECISION
    assert finding in blocking_findings(case, Stage.DECISION)


def test_a_document_of_a_later_stage_is_not_judged_yet(unit_a, officer_wang):
    case = _case(unit_a, officer_wang, Stage.INITIATION)
    _transcript(officer_wang, case)  # an investigation form, the case not there yet
    assert _found(case, "signature_missing") == []


# --- R8.1 advance_notice_not_served -----------------------------------------------------


@pytest.fixture
def decided_case_of_zhang_san(unit_a, officer_wang, head_zhang, agency_head_liu):
    case = _case(unit_a, officer_wang, Stage.DECISION)
    # The advance notice is issued after the case handling opinion's approval (R7.1).
    approve(officer_wang, case, "handling_opinion", head_zhang, agency_head_liu)
    decision_actions.record_advance_notice(
        officer_wang,
        case,
        notified_at=timezone.now(),
        notified_to=PARTY,
        method="直接送达",
        penalty_kinds=["fine"],
        proposed_fine_fen=1000_00,
    )
    request = approval_actions.request_approval(officer_wang, case, "decision")
    for person in (head_zhang, agency_head_liu):
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    decision_actions.record_decision(
        officer_wang, case, penalty_kinds=["fine"], fine_fen=1000_00, facts="事实", basis="依据"
    )
    return case


def _notice(officer, case) -> IssuedDocument:
    # A ¥1,000 fine on a citizen carries the hearing right (行政处罚法 Art. 63): the 听证 form.
    return _issue(
        officer,
        case,
        "advance_notice_hearing",
        facts="当事人销售假农药。",
        basis="《农药管理条例》第五十五条",
        statement_by=(timezone.localdate() + dt.timedelta(days=5)).isoformat(),
    )


def _served(officer, issued: IssuedDocument, served_on: dt.date | None) -> ServiceRecord:
    return ServiceRecord.objects.create(
        issued=issued,
        case=issued.case,
        mode=ServiceMode.POST,
        recipient=PARTY,
        served_at=timezone.now(),
        served_on=served_on,
        recorded_by=officer,
    )


@pytest.mark.finding_kind("advance_notice_not_served")
def test_decision_without_a_served_advance_notice_is_found(
    seal_from_demo_p12, decided_case_of_zhang_san, officer_wang
):
    decision = _issue(officer_wang, decided_case_of_zhang_san, "penalty_decision")

    [finding] = _found(decided_case_of_zhang_san, "advance_notice_not_served")
    assert finding.blocking and finding.article == "R8.1" and finding.stage == Stage.DECISION
    assert finding.object == decision and decision.number in str(finding.message)
    assert finding in blocking_findings(decided_case_of_zhang_san, Stage.DECISION)

    notice = _notice(officer_wang, decided_case_of_zhang_san)
    _served(officer_wang, notice, None)  # returned by the post office: not served
    assert len(_found(decided_case_of_zhang_san, "advance_notice_not_served")) == 1
    _served(officer_wang, notice, timezone.localdate() + dt.timedelta(days=1))  # after it
    assert len(_found(decided_case_of_zhang_san, "advance_notice_not_served")) == 1


def test_notice_served_before_the_decision_clears_it(
    seal_from_demo_p12, decided_case_of_zhang_san, officer_wang
):
    notice = _notice(officer_wang, decided_case_of_zhang_san)
    _served(officer_wang, notice, timezone.localdate() - dt.timedelta(days=3))
    _issue(officer_wang, decided_case_of_zhang_san, "penalty_decision")

    assert _found(decided_case_of_zhang_san, "advance_notice_not_served") == []


def test_notice_served_on_the_day_of_the_decision_counts(
    seal_from_demo_p12, decided_case_of_zhang_san, officer_wang
):
    _issue(officer_wang, decided_case_of_zhang_san, "penalty_decision")
    assert len(_found(decided_case_of_zhang_san, "advance_notice_not_served")) == 1
    _served(officer_wang, _notice(officer_wang, decided_case_of_zhang_san), timezone.localdate())
    assert _found(decided_case_of_zhang_san, "advance_notice_not_served") == []  # "on or before"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("procedure", Procedure.SIMPLE),
        ("closing_condition", ClosingCondition.NO_PENALTY),
        ("closing_condition", ClosingCondition.REVOKED),
    ],
)
def test_simple_procedure_and_closings_without_penalty_are_not_judged(
    seal_from_demo_p12, decided_case_of_zhang_san, officer_wang, field, value
):
    _issue(officer_wang, decided_case_of_zhang_san, "penalty_decision")
    assert len(_found(decided_case_of_zhang_san, "advance_notice_not_served")) == 1
    setattr(decided_case_of_zhang_san, field, value)
    decided_case_of_zhang_san.save(update_fields=[field])
    assert _found(decided_case_of_zhang_san, "advance_notice_not_served") == []
