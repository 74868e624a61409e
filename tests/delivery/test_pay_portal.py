"""The public payment page /pay/<number>/ (R11.1): no login, nothing about the party beyond
the notice, the amount and the decision's number; the simulator button pays through the
signed-callback path, behind CSRF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from django.test import Client, override_settings

from liuhen.core.models import AuditEvent
from liuhen.delivery.models import Payment
from liuhen.delivery.payment import gateway as payments
from liuhen.delivery.payment.gateway import CallbackResult
from liuhen.delivery.payment.status import PaymentState, status
from liuhen.subjects.models import CaseParty, Subject, SubjectKind
from tests.delivery.payment_helpers import (
    FINE,
    PARTY,
    PARTY_ADDRESS,
    PARTY_PHONE,
    PARTY_USCC,
    make_decision,
    notice_of,
    serve,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gateway_secret")]

D = dt.date
DECISION_NUMBER = "洼农（农药）罚〔2026〕31号"


class ElsewhereGateway:
    """A gateway whose payment page is not ours (no simulator button)."""

    name = "elsewhere"

    def pay_url(self, notice_number: str, amount_fen: int) -> str:
        return f"https://pay.example.org/{notice_number}"

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        raise payments.ForgedCallback("not used here")


@pytest.fixture
def payment_notice_with_party(unit_a, officer_wang):
    decision = make_decision(
        unit_a, officer_wang, number=DECISION_NUMBER, decided_on=D(2026, 11, 1)
    )
    subject = Subject.objects.create(
        kind=SubjectKind.UNIT,
        name=PARTY,
        uscc=PARTY_USCC,
        address=PARTY_ADDRESS,
        phone=PARTY_PHONE,
        legal_representative="张三丰",
    )
    CaseParty.objects.create(case=decision.case, subject=subject)
    return notice_of(decision)


def url(notice) -> str:
    return f"/pay/{notice.number}/"


def test_the_public_page_shows_the_notice_and_nothing_about_the_party(
    payment_notice_with_party,
) -> None:
    response = Client().get(url(payment_notice_with_party))
    html = response.content.decode()
    assert response.status_code == 200
    assert payment_notice_with_party.number in html and DECISION_NUMBER in html
    assert "¥5,000.00" in html
    assert 'data-state="unpaid"' in html and 'data-testid="pay-button"' in html
    for private in (
        PARTY,
        "张三丰",
        PARTY_USCC,
        PARTY_ADDRESS,
        PARTY_PHONE,
        payment_notice_with_party.decision.case.title,
    ):
        assert private not in html
    assert 'data-testid="current-user"' not in html  # public: no staff navigation


def test_the_pay_url_of_the_qr_code_opens_this_page(payment_notice_with_party) -> None:
    pay_url = payments.gateway().pay_url(
        payment_notice_with_party.number, payment_notice_with_party.amount_fen
    )
    assert pay_url.endswith(url(payment_notice_with_party))


def test_the_simulator_button_pays(payment_notice_with_party) -> None:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url(payment_notice_with_party))
    token = page.cookies["csrftoken"].value
    paid = browser.post(
        url(payment_notice_with_party), {"csrfmiddlewaretoken": token}, REMOTE_ADDR="198.51.100.4"
    )
    assert paid.status_code == 302 and paid["Location"] == url(payment_notice_with_party)
    payment = Payment.objects.get()
    assert payment.notice == payment_notice_with_party and payment.amount_fen == FINE
    assert payment.gateway == "simulator" and payment.transaction_id.startswith("SIM-")
    assert status(payment_notice_with_party).state == PaymentState.PAID
    event = AuditEvent.objects.get(action="payment.paid")
    assert (
        event.ip == "198.51.100.4" and event.case_id == payment_notice_with_party.decision.case_id
    )
    after = browser.get(url(payment_notice_with_party)).content.decode()
    assert 'data-state="paid"' in after and 'data-testid="pay-button"' not in after
    # Pressing again (a stale page) pays nothing more.
    browser.post(url(payment_notice_with_party), {"csrfmiddlewaretoken": token})
    assert Payment.objects.count() == 1


def test_the_button_needs_the_csrf_token(payment_notice_with_party) -> None:
    refused = Client(enforce_csrf_checks=True).post(url(payment_notice_with_party))
    assert refused.status_code == 403
    assert not Payment.objects.exists()


def test_an_overdue_notice_asks_for_the_surcharge_too(
    payment_notice_with_party, officer_wang
) -> None:
    serve(payment_notice_with_party.decision, officer_wang, D(2026, 11, 2))  # due 2026-11-17
    owed = status(payment_notice_with_party)
    assert owed.state == PaymentState.OVERDUE and owed.surcharge_fen > 0
    html = Client().get(url(payment_notice_with_party)).content.decode()
    assert 'data-testid="pay-surcharge"' in html
    Client().post(url(payment_notice_with_party))
    assert Payment.objects.get().amount_fen == FINE + owed.surcharge_fen


def test_an_unknown_notice_is_404(payment_notice_with_party) -> None:
    assert Client().get("/pay/2026000000999901/").status_code == 404
    assert Client().post("/pay/2026000000999901/").status_code == 404


def test_with_another_gateway_there_is_no_simulator(payment_notice_with_party) -> None:
    with override_settings(PAYMENT_GATEWAY=f"{__name__}.ElsewhereGateway"):
        html = Client().get(url(payment_notice_with_party)).content.decode()
        assert payment_notice_with_party.number in html and 'data-testid="pay-button"' not in html
        assert Client().post(url(payment_notice_with_party)).status_code == 404
    assert not Payment.objects.exists()
