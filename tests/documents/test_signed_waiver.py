"""R8.2: a waiver the party signs on the 行政处罚事先告知书 (or on its 送达回证) goes into the
case's workflow as signed — the hearing request window closes and its clock is met —
without anyone typing the waiver again."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.cases import hearings
from liuhen.cases.deadlines import HearingRequest
from liuhen.cases.models import Waiver
from liuhen.core.models import AuditEvent
from liuhen.documents.actions import signing
from liuhen.documents.issuing.signatures import WAIVER_TEXTS
from liuhen.documents.models import PartySignature
from tests.documents.signing_helpers import make_party_case, service_receipt_values, signature_png
from tests.factories import sign_in
from tests.fixtures.documents import issue_form

pytestmark = pytest.mark.django_db

NOTICE_VALUES = {
    "facts": "经查，你单位于2026年9月1日销售未取得农药登记证的农药10瓶。",
    "basis": "《农药管理条例》第五十五条",
    "statement_by": "2026-12-31",
}


def _signed(client, issued, role: str, waivers: list[str]):
    return client.post(
        reverse("documents:sign", args=[issued.pk]),
        {
            "role": role,
            "name": "李四",
            "opinion": "以上内容我已看过，无异议",
            "waivers": waivers,
            "signature": "data:image/png;base64,"
            + base64.b64encode(signature_png()).decode("ascii"),
        },
    )


def test_a_hearing_waived_on_the_advance_notice_is_the_case_waiver(
    client, officer_wang, decided_case, installed_seal
) -> None:
    notice = decided_case.advance_notices.get()
    assert hearings.request_windows(decided_case)
    issued = issue_form(officer_wang, decided_case, "advance_notice_hearing", **NOTICE_VALUES)
    sign_in(client, officer_wang)
    response = _signed(client, issued, "当事人", ["hearing"])
    assert response.status_code == 302

    waiver = Waiver.objects.get(notice=notice)
    assert waiver.rights == ["hearing"]
    assert waiver.recorded_by == officer_wang
    assert WAIVER_TEXTS["hearing"] in waiver.statement
    assert waiver.statement == PartySignature.objects.get(issued=issued).opinion
    event = AuditEvent.objects.get(action="case.waiver")
    assert event.details["issued"] == issued.pk
    # The workflow treats the hearing as waived: no request window, its clock met.
    assert hearings.request_windows(decided_case) == []
    clock = next(c for c in HearingRequest()(decided_case) if c is not None)
    assert clock.met_on is not None


def test_statement_and_defence_waived_on_the_service_receipt(
    client, officer_wang, decided_case, installed_seal
) -> None:
    receipt = issue_form(officer_wang, decided_case, "service_receipt", **service_receipt_values())
    sign_in(client, officer_wang)
    assert _signed(client, receipt, "受送达人", ["statement"]).status_code == 302
    waiver = Waiver.objects.get(notice__case=decided_case)
    assert waiver.rights == ["statement", "defence"]


def test_no_waiver_without_a_signed_statement(client, officer_wang, decided_case) -> None:
    """A signature without a waiver records none."""
    receipt = issue_form(officer_wang, decided_case, "service_receipt", **service_receipt_values())
    sign_in(client, officer_wang)
    assert _signed(client, receipt, "受送达人", []).status_code == 302
    assert not Waiver.objects.exists()


def test_a_waiver_needs_the_advance_notice_on_the_case(
    client, unit_a, officer_wang, docs_storage
) -> None:
    """Waiving rights no notice has named is refused on the form, and nothing is signed."""
    case = make_party_case(unit_a, [officer_wang])
    receipt = issue_form(officer_wang, case, "service_receipt", **service_receipt_values())
    sign_in(client, officer_wang)
    response = _signed(client, receipt, "受送达人", ["statement"])
    assert response.status_code == 422
    assert "事先告知" in response.content.decode().split("error-waivers", 1)[1]
    assert not PartySignature.objects.exists() and not Waiver.objects.exists()


def test_a_waiver_the_form_does_not_offer_is_refused(
    officer_wang, decided_case, installed_seal
) -> None:
    issued = issue_form(officer_wang, decided_case, "advance_notice", **NOTICE_VALUES)
    with pytest.raises(ValidationError) as caught:
        signing.sign(
            officer_wang,
            issued,
            role="当事人",
            name="李四",
            opinion="以上内容我已看过，无异议",
            image_png=signature_png(),
            waivers=["hearing"],
        )
    assert "waivers" in caught.value.message_dict
    assert not Waiver.objects.exists()
