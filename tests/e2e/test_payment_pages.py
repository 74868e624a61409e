"""Browser: the public payment page's simulator pays a notice (R11.1); the staff payment
page shows the notice and sends the party's request for deferred payment to approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import Page, expect

from liuhen.delivery.models import Payment
from tests.delivery.payment_helpers import FINE, make_decision, notice_of
from tests.e2e.helpers import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("gateway_secret")]


@pytest.fixture
def unpaid_notice(unit_a, officer_wang):
    decision = make_decision(
        unit_a,
        officer_wang,
        number="洼农（农药）罚〔2026〕41号",
        decided_on=timezone.localdate() - dt.timedelta(days=1),
    )
    # The notice is made inside the issuing transaction, as when the decision is issued.
    with transaction.atomic():
        return notice_of(decision)


def test_the_simulator_pays_the_notice(page: Page, unpaid_notice) -> None:
    page.goto(f"/pay/{unpaid_notice.number}/")
    expect(page.get_by_text("洼农（农药）罚〔2026〕41号")).to_be_visible()
    expect(page.locator("[data-state=unpaid]")).to_be_visible()
    expect(page.get_by_test_id("pay-simulation")).to_contain_text("模拟支付")
    page.get_by_test_id("pay-button").click()
    expect(page.locator("[data-state=paid]")).to_be_visible()
    expect(page.get_by_test_id("pay-button")).to_have_count(0)
    payment = Payment.objects.get()
    assert payment.notice == unpaid_notice and payment.amount_fen == FINE


def test_the_staff_payment_page_sends_a_deferral(
    tablet_page: Page, unpaid_notice, officer_wang
) -> None:
    page = login(
        tablet_page, "officer_wang", next_url=f"/delivery/payments/{unpaid_notice.decision_id}/"
    )
    expect(page.get_by_test_id("payment-title")).to_have_text("罚款缴纳")
    expect(page.get_by_test_id("qr-number")).to_have_text(unpaid_notice.number)
    form = page.get_by_test_id("form-deferral")
    first = timezone.localdate() + dt.timedelta(days=30)
    second = timezone.localdate() + dt.timedelta(days=60)
    form.locator("[name=reason]").fill("经营困难，申请分期缴纳")
    form.locator("[name=instalments]").fill(f"{first} 2000\n{second} 3000")
    form.get_by_test_id("submit-deferral").click()
    expect(page.get_by_test_id("deferral")).to_contain_text("经营困难，申请分期缴纳")
    assert unpaid_notice.deferrals.count() == 1
