"""The payment page of a decision (R11.1) is part of its case: the menu highlights 案件 (not
送达台账), and a payment names its gateway in words, not by its code ("simulator")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from liuhen.delivery.actions import payments
from tests.delivery.payment_helpers import make_decision, notice_of, serve
from tests.factories import sign_in
from tests.scenarios.crawl import read

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gateway_secret")]


@pytest.fixture
def paid_decision(unit_a, officer_wang):
    decision = make_decision(
        unit_a, officer_wang, number="洼农（农药）罚〔2026〕12号", decided_on=dt.date(2026, 3, 1)
    )
    serve(decision, officer_wang, dt.date(2026, 3, 2))
    payments.pay_with_simulator(notice_of(decision).number, remote_addr="203.0.113.7")
    return decision


def test_the_payment_page_highlights_cases_and_names_the_gateway(
    client: Client, paid_decision, officer_wang
) -> None:
    sign_in(client, officer_wang)
    html = client.get(reverse("delivery:payments", args=[paid_decision.pk])).content.decode()
    assert 'class="nav-link active" href="/cases/" data-nav="cases"' in html
    assert 'data-nav="delivery"' in html and 'active" href="/delivery/"' not in html
    texts = read(html).texts
    assert "内置模拟支付" in texts and "simulator" not in texts


def test_the_delivery_register_still_highlights_itself(client: Client, officer_wang) -> None:
    sign_in(client, officer_wang)
    html = client.get(reverse("delivery:register")).content.decode()
    assert 'class="nav-link active" href="/delivery/" data-nav="delivery"' in html
