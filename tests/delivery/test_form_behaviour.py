"""What service and payment read from a form's spec (R10.1, R10.2, R11.1, R8.1): whether it
is an enforcement decision (never served electronically), its role in service (送达回证,
送达地址确认书), the legal periods its service runs, its place before or after the advance
notice. Each flag both ways: as the catalogue (or a bureau form) sets it, and flipped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.cases import compliance
from liuhen.delivery.actions import service as service_actions
from liuhen.delivery.models import ServiceRecord
from liuhen.delivery.payment import status
from liuhen.delivery.service import clock, modes
from liuhen.documents.actions import bureau_forms
from liuhen.documents.catalog.bureau import FormInput
from liuhen.documents.spec import Kind, ReceiptRole, ServiceClock
from tests.delivery.payment_helpers import make_decision
from tests.delivery.service_helpers import (
    PARTY,
    consent,
    issued_row,
    serve,
    signed_receipt,
)
from tests.documents.catalog_helpers import replace_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_chinese")]


def _refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


CHANNELS = {
    "portal": {},
    "fax": {"fax_number": "0427-6888888"},
    "email": {"email": "fengshou@example.cn"},
}


def _electronically(officer, issued, channel: str = "portal"):
    return serve(officer, issued, "electronic", channel=channel, details=CHANNELS[channel])


# --- enforcement decisions: no electronic service (R10.1, regulation Art. 10(四)) ----------


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_a_form_flagged_so_is_never_served_electronically(officer_wang, case_a, channel):
    consent(officer_wang, case_a, "portal", "fax", "email")
    decision = issued_row(officer_wang, case_a, "penalty_decision")
    assert modes.electronic_barred(decision)
    errors = _refused(lambda: _electronically(officer_wang, decision, channel))
    assert "行政执法决定书" in errors["mode"][0] and "依据：制度第十条" in errors["mode"][0]


def test_a_form_not_flagged_may_go_electronically(monkeypatch, officer_wang, case_a):
    replace_form(monkeypatch, "penalty_decision", enforcement_decision=False)
    agreed = consent(officer_wang, case_a, "portal")
    decision = issued_row(officer_wang, case_a, "penalty_decision")
    assert not modes.electronic_barred(decision)
    record = _electronically(officer_wang, decision)
    assert record.channel == "portal" and record.consent == agreed


@pytest.mark.parametrize("decision", [True, False])
def test_a_bureau_form_says_whether_it_is_an_enforcement_decision(
    sysadmin_zhao, officer_wang, case_a, decision
):
    bureau_forms.create_form(
        sysadmin_zhao,
        code="bureau_order",
        data=FormInput(
            title="责令停业整顿决定书",
            kind=Kind.SERVED.value,
            fields="party_name|当事人|text|yes|party.name",
            number_kind="停",
            enforcement_decision=decision,
        ),
    )
    consent(officer_wang, case_a, "email")
    issued = issued_row(officer_wang, case_a, "bureau_order", number="")
    assert modes.electronic_barred(issued) is decision
    if decision:
        assert "mode" in _refused(lambda: _electronically(officer_wang, issued, "email"))
    else:
        assert _electronically(officer_wang, issued, "email").channel == "email"


def test_the_correction_of_a_decision_is_not_served_electronically(officer_wang, case_a):
    """A written correction 补正 changes the text of what it corrects: of a decision it
    shares the decision's bar, of a notice it goes like the notice, with consent."""
    consent(officer_wang, case_a, "portal")
    decision = issued_row(officer_wang, case_a, "penalty_decision")
    notice = issued_row(officer_wang, case_a, "advance_notice")
    of_decision = issued_row(officer_wang, case_a, "document_correction", corrects=decision)
    of_notice = issued_row(officer_wang, case_a, "document_correction", corrects=notice)
    assert modes.electronic_barred(of_decision) and not modes.electronic_barred(of_notice)
    assert "mode" in _refused(lambda: _electronically(officer_wang, of_decision))
    assert _electronically(officer_wang, of_notice).channel == "portal"


# --- the signed service receipt 送达回证 (R10.1, 民事诉讼法 Art. 87) -----------------------------


def test_the_signed_receipt_proves_a_direct_service(officer_wang, case_a):
    decision = issued_row(officer_wang, case_a, "penalty_decision")
    receipt = signed_receipt(officer_wang, case_a, serves=decision)
    assert list(modes.signed_receipts(decision)) == [receipt]
    record = serve(officer_wang, decision, "direct", attachments=[], receipt=receipt)
    assert record.receipt == receipt


def test_a_form_without_the_receipt_role_proves_nothing(monkeypatch, officer_wang, case_a):
    decision = issued_row(officer_wang, case_a, "penalty_decision")
    receipt = signed_receipt(officer_wang, case_a, serves=decision)
    replace_form(monkeypatch, "service_receipt", receipt_role=ReceiptRole.NONE)
    assert list(modes.signed_receipts(decision)) == []
    errors = _refused(
        lambda: serve(officer_wang, decision, "direct", attachments=[], receipt=receipt)
    )
    assert errors["receipt"] == ["请选择本案的送达回证。"]


# --- the address confirmation 送达地址确认书 (consent to electronic service) ------------------


def _consent_on(officer, case, document):
    return service_actions.record_consent(
        officer,
        case,
        party_name=PARTY,
        channels=["email"],
        consented_on=timezone.localdate(),
        email="fengshou@example.cn",
        document=document,
    )


def test_consent_is_recorded_on_the_address_confirmation(officer_wang, case_a):
    confirmation = issued_row(officer_wang, case_a, "service_address_confirmation", number="")
    assert list(modes.address_confirmations(case_a)) == [confirmation]
    assert _consent_on(officer_wang, case_a, confirmation).document == confirmation


def test_consent_is_not_recorded_on_a_form_without_that_role(monkeypatch, officer_wang, case_a):
    confirmation = issued_row(officer_wang, case_a, "service_address_confirmation", number="")
    replace_form(monkeypatch, "service_address_confirmation", receipt_role=ReceiptRole.NONE)
    assert list(modes.address_confirmations(case_a)) == []
    errors = _refused(lambda: _consent_on(officer_wang, case_a, confirmation))
    assert errors["document"] == ["请选择本案的送达地址确认书。"]


# --- the service clock (R10.2, 行政处罚法 Art. 61) -----------------------------------------


def _late_decision(officer, case):
    return issued_row(
        officer, case, "penalty_decision", issued_at=timezone.now() - dt.timedelta(days=30)
    )


def test_a_decision_runs_the_service_clock(officer_wang, case_a):
    decision = _late_decision(officer_wang, case_a)
    assert clock.service_deadline(decision) is not None and clock.is_overdue(decision)
    assert clock.overdue_ids(type(decision).objects.filter(case=case_a)) == {decision.pk}


def test_a_form_without_the_service_clock_is_never_late(monkeypatch, officer_wang, case_a):
    decision = _late_decision(officer_wang, case_a)
    replace_form(monkeypatch, "penalty_decision", service_clocks=(ServiceClock.PAYMENT,))
    assert clock.service_deadline(decision) is None and not clock.is_overdue(decision)
    assert clock.overdue_ids(type(decision).objects.filter(case=case_a)) == set()
    assert not [f for f in compliance.findings_for_case(case_a) if f.code == "service_overdue"]


# --- the payment clock (R11.1, 行政处罚法 Art. 67) -----------------------------------------


@pytest.fixture
def served_decision(unit_a, officer_wang):
    decision = make_decision(
        unit_a, officer_wang, number="洼农罚〔2026〕9号", decided_on=dt.date(2026, 3, 1)
    )
    issued = issued_row(officer_wang, decision.case, "penalty_decision", number=decision.number)
    ServiceRecord.objects.create(
        issued=issued,
        case=decision.case,
        mode="direct",
        recipient=PARTY,
        served_at=timezone.now(),
        served_on=dt.date(2026, 3, 2),
        recorded_by=officer_wang,
    )
    return decision


def test_the_decisions_service_starts_the_payment_period(served_decision):
    assert status.served_on(served_decision) == dt.date(2026, 3, 2)


def test_service_of_a_form_without_the_payment_clock_starts_nothing(monkeypatch, served_decision):
    replace_form(monkeypatch, "penalty_decision", service_clocks=(ServiceClock.SERVICE,))
    assert status.served_on(served_decision) is None


# --- the advance notice before the decision (R8.1, 行政处罚法 Art. 44) ---------------------


def _not_served_findings(case):
    return [f for f in compliance.findings_for_case(case) if f.code == "advance_notice_not_served"]


def _served(officer, issued, day):
    return ServiceRecord.objects.create(
        issued=issued,
        case=issued.case,
        mode="direct",
        recipient=PARTY,
        served_at=timezone.now(),
        served_on=day,
        recorded_by=officer,
    )


def test_a_decision_needs_an_advance_notice_served_before_it(officer_wang, case_a):
    decision = issued_row(officer_wang, case_a, "penalty_decision")
    [finding] = _not_served_findings(case_a)
    assert finding.object == decision
    notice = issued_row(officer_wang, case_a, "advance_notice", number="洼农告〔2026〕1号")
    _served(officer_wang, notice, timezone.localdate() - dt.timedelta(days=3))
    assert _not_served_findings(case_a) == []


def test_a_form_not_flagged_as_following_a_notice_is_not_judged(monkeypatch, officer_wang, case_a):
    issued_row(officer_wang, case_a, "penalty_decision")
    replace_form(monkeypatch, "penalty_decision", after_advance_notice=False)
    assert _not_served_findings(case_a) == []


def test_only_a_form_flagged_as_the_advance_notice_counts(monkeypatch, officer_wang, case_a):
    issued_row(officer_wang, case_a, "penalty_decision")
    notice = issued_row(officer_wang, case_a, "advance_notice", number="洼农告〔2026〕1号")
    _served(officer_wang, notice, timezone.localdate() - dt.timedelta(days=3))
    replace_form(monkeypatch, "advance_notice", advance_notice=False)
    assert len(_not_served_findings(case_a)) == 1
