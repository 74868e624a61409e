"""A form's behaviour is data in its FormSpec (R6.1), read by the code that acts on it: which
rights a party waives on it (R8.2), where its 文号 comes from, the form of a written
correction, the behaviours other apps provide. Each flag is shown both ways — as the
catalogue sets it, and flipped for one test."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.models import Decision
from liuhen.delivery.models import ServiceRecord
from liuhen.documents.actions import signing
from liuhen.documents.catalog import catalog
from liuhen.documents.catalog.data import BUREAU_FORMS, NATIONAL_FORMS
from liuhen.documents.issuing import numbers
from liuhen.documents.models import Document, PartySignature
from liuhen.documents.spec import PAYMENT_QR, Numbering, ReceiptRole, ServiceClock, Waiver
from tests.delivery.service_helpers import issued_row
from tests.documents.catalog_helpers import replace_form
from tests.documents.signing_helpers import make_party_case, signature_png
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

ALL_FORMS = NATIONAL_FORMS + BUREAU_FORMS


def _flagged(test) -> dict[str, object]:
    return {spec.code: test(spec) for spec in ALL_FORMS if test(spec)}


# --- the catalogue's flags, as the law names the forms --------------------------------------


def test_the_forms_that_offer_waivers_and_which():
    """R8.2: the advance notices and their service receipt carry the waiver statements."""
    assert _flagged(lambda spec: spec.waivable_rights) == {
        "advance_notice": (Waiver.STATEMENT,),
        "advance_notice_hearing": (Waiver.STATEMENT, Waiver.HEARING),
        "service_receipt": (Waiver.STATEMENT, Waiver.HEARING),
    }


def test_the_forms_that_carry_a_number_given_elsewhere():
    numbered = _flagged(lambda spec: spec.numbering if spec.numbering != Numbering.OWN else None)
    assert numbered == {
        "filing_approval": Numbering.CASE,
        "on_the_spot_decision": Numbering.DECISION,
        "penalty_decision": Numbering.DECISION,
    }


# The enforcement decisions 行政执法决定书 of the catalogue, each the bureau's decision served
# on the party: penalty (29), on the spot (7), no penalty (27), seizure (18) and its release
# (20), the handling of goods preserved in advance (17, titled a notice), and the bureau's
# extension of a seizure (行政强制法 Art. 25).
ENFORCEMENT_DECISIONS = {
    "on_the_spot_decision",
    "seizure_extension_decision",
    "preserved_goods_disposal_notice",
    "seizure_notice",
    "seizure_release_decision",
    "no_penalty_decision",
    "penalty_decision",
}


def test_every_enforcement_decision_carries_the_flag():
    """R10.1, regulation Art. 10(四): the enforcement decisions 行政执法决定书 are never
    served by portal self-download, fax or e-mail; the flag marks each of them and no
    other form."""
    assert set(_flagged(lambda spec: spec.enforcement_decision)) == ENFORCEMENT_DECISIONS


def test_every_decision_served_on_the_party_is_flagged():
    """A served form titled a decision (决定书) is an enforcement decision; a form that is
    not served (internal, a record) never is — its flag would say nothing."""
    for spec in ALL_FORMS:
        if spec.served and "决定书" in spec.title:
            assert spec.enforcement_decision, spec.code
        if not spec.served:
            assert not spec.enforcement_decision, spec.code


def test_the_roles_in_service_and_the_clocks():
    assert _flagged(lambda spec: spec.receipt_role or None) == {
        "service_receipt": ReceiptRole.SERVICE_RECEIPT,
        "service_address_confirmation": ReceiptRole.ADDRESS_CONFIRMATION,
    }
    assert _flagged(lambda spec: spec.service_clocks) == {
        "penalty_decision": (ServiceClock.SERVICE, ServiceClock.PAYMENT)
    }


def test_the_advance_notice_and_what_must_follow_it():
    """R8.1, 行政处罚法 Art. 44: the penalty decision follows a served advance notice."""
    assert set(_flagged(lambda spec: spec.advance_notice)) == {
        "advance_notice",
        "advance_notice_hearing",
    }
    assert set(_flagged(lambda spec: spec.after_advance_notice)) == {"penalty_decision"}


def test_one_form_is_the_written_correction():
    assert set(_flagged(lambda spec: spec.written_correction)) == {"document_correction"}


def test_the_payment_qr_is_a_behaviour_the_decisions_name():
    assert set(_flagged(lambda spec: spec.behaviours)) == {
        "penalty_decision",
        "on_the_spot_decision",
    }
    assert all(spec.payment_qr == (PAYMENT_QR in spec.behaviours) for spec in ALL_FORMS)


def test_the_snapshot_of_an_issued_form_keeps_every_flag():
    for spec in ALL_FORMS:
        again = catalog.spec_from_dict(catalog.spec_to_dict(spec))
        for flag in (
            "behaviours",
            "waivable_rights",
            "numbering",
            "enforcement_decision",
            "receipt_role",
            "service_clocks",
            "advance_notice",
            "after_advance_notice",
            "written_correction",
        ):
            assert getattr(again, flag) == getattr(spec, flag), (spec.code, flag)


def test_an_older_snapshot_barred_from_email_is_an_enforcement_decision():
    """A snapshot from before the flag named the decisions by ``email_service=False``."""
    data = catalog.spec_to_dict(catalog.get("penalty_decision"))
    del data["enforcement_decision"]
    assert catalog.spec_from_dict({**data, "email_service": False}).enforcement_decision
    assert not catalog.spec_from_dict({**data, "email_service": True}).enforcement_decision
    assert not catalog.spec_from_dict(data).enforcement_decision


def test_an_older_snapshot_names_the_payment_qr_by_its_flag():
    data = catalog.spec_to_dict(catalog.get("penalty_decision"))
    del data["behaviours"]
    assert catalog.spec_from_dict(data).behaviours == (PAYMENT_QR,)
    data["payment_qr"] = False
    assert catalog.spec_from_dict(data).behaviours == ()


# --- waivable rights (R8.2) -------------------------------------------------------------------


@pytest.fixture
def issued_party_notice(docs_storage, installed_seal, unit_a, officer_wang):
    """An advance notice as issued: the party need not sign it (R9.1), but may waive on it."""
    case = make_party_case(unit_a, [officer_wang])
    issued = issued_row(officer_wang, case, "advance_notice")
    assert not issued.needs_signature
    return issued


def _sign_with_waiver(officer, issued):
    return signing.sign(
        officer,
        issued,
        role="当事人",
        name="张三",
        opinion="本人放弃陈述、申辩的权利。",
        image_png=signature_png(),
    )


def test_a_waiver_is_signed_on_a_form_that_offers_it(officer_wang, issued_party_notice):
    signature = _sign_with_waiver(officer_wang, issued_party_notice)
    assert signature.issued == issued_party_notice and "放弃陈述、申辩" in signature.opinion


def test_a_form_that_offers_no_waiver_is_not_signed(
    monkeypatch, officer_wang, issued_party_notice, client
):
    replace_form(monkeypatch, "advance_notice", waivable_rights=())
    with pytest.raises(ValidationError) as refused:
        _sign_with_waiver(officer_wang, issued_party_notice)
    assert refused.value.messages == ["本文书无需当事人签名。"]
    assert not PartySignature.objects.exists()
    sign_in(client, officer_wang)
    page = client.get(reverse("documents:sign", args=[issued_party_notice.pk])).content.decode()
    assert 'data-testid="waiver-statement"' not in page


def test_the_signing_screen_offers_the_waivers_the_form_names(
    monkeypatch, officer_wang, issued_party_notice, client
):
    replace_form(monkeypatch, "advance_notice", waivable_rights=(Waiver.HEARING,))
    sign_in(client, officer_wang)
    page = client.get(reverse("documents:sign", args=[issued_party_notice.pk])).content.decode()
    assert 'data-testid="waiver-hearing"' in page
    assert 'data-testid="waiver-statement"' not in page


# --- numbering ------------------------------------------------------------------------------


@pytest.fixture
def decided(unit_a, officer_wang):
    from tests.delivery.payment_helpers import make_decision

    return make_decision(
        unit_a, officer_wang, number="洼农罚〔2026〕7号", decided_on=timezone.localdate()
    )


@pytest.mark.parametrize(
    ("numbering", "expected"),
    [(Numbering.DECISION, "decision"), (Numbering.CASE, "case")],
)
def test_a_number_given_elsewhere_is_carried(decided, numbering, expected):
    spec = catalog.get("rectification_order")
    spec = replace(spec, numbering=numbering)
    wanted = decided.number if expected == "decision" else decided.case.number
    assert numbers.number_at_issue(decided.case, spec, None) == wanted


def test_its_own_number_is_drawn_from_its_kind(decided):
    """A decision whose form drew its own number would carry a second 罚 number."""
    spec = catalog.get("penalty_decision")
    own = replace(spec, numbering=Numbering.OWN)
    drawn = numbers.number_at_issue(decided.case, own, None)
    assert drawn and drawn != decided.number and "罚" in drawn
    assert numbers.number_at_issue(decided.case, spec, None) == decided.number
    untitled = replace(spec, numbering=Numbering.OWN, number_kind="")
    assert numbers.number_at_issue(decided.case, untitled, None) == ""


def test_the_decision_number_needs_the_decision(unit_a, officer_wang):
    from tests.factories import CaseFactory

    case = CaseFactory(unit=unit_a, officers=[officer_wang])
    with pytest.raises(ValidationError) as refused:
        numbers.number_at_issue(case, catalog.get("penalty_decision"), None)
    assert refused.value.code == "no_decision"


def test_a_number_given_elsewhere_is_issued_once(decided, officer_wang):
    spec = catalog.get("penalty_decision")
    assert not numbers.number_taken(decided.case, spec, None)
    first = issued_row(officer_wang, decided.case, "penalty_decision", number=decided.number)
    assert numbers.number_taken(decided.case, spec, None)
    assert not numbers.number_taken(decided.case, spec, first)  # its remake replaces it
    own = replace(spec, numbering=Numbering.OWN)
    assert not numbers.number_taken(decided.case, own, None)
    assert Decision.objects.count() == 1


# --- the written correction 补正 -------------------------------------------------------------


@pytest.fixture
def served_order(docs_storage, unit_a, officer_wang):
    case = make_party_case(unit_a, [officer_wang])
    issued = issued_row(officer_wang, case, "rectification_order", number="洼农责改〔2026〕1号")
    ServiceRecord.objects.create(
        issued=issued,
        case=case,
        mode="direct",
        recipient="张三",
        served_at=timezone.now(),
        served_on=timezone.localdate(),
        recorded_by=officer_wang,
    )
    return issued


def _correct(client, issued):
    return client.post(
        reverse("documents:new", args=[issued.case_id]), {"corrects": str(issued.pk)}
    )


def test_a_served_document_is_corrected_on_the_correction_form(client, officer_wang, served_order):
    sign_in(client, officer_wang)
    response = _correct(client, served_order)
    draft = Document.objects.get(corrects=served_order)
    assert response["Location"] == reverse("documents:draft", args=[draft.pk])
    assert draft.form_code == "document_correction"
    assert draft.data["original_number"] == served_order.number


def test_the_correction_form_is_the_one_the_catalogue_flags(
    monkeypatch, client, officer_wang, served_order
):
    replace_form(monkeypatch, "document_correction", written_correction=False)
    sign_in(client, officer_wang)
    response = _correct(client, served_order)
    # Refused ("there is no such form"): back to the document, no draft made.
    assert response["Location"] == reverse("documents:issued", args=[served_order.pk])
    assert not Document.objects.exists()
