"""The payment simulator (R11.1): anyone who knows a notice's number marks its fine paid with
it, so a TLS deployment refuses it unless allowed (``LIUHEN_PAYMENT_SIMULATOR_ALLOWED``),
``liuhen check --deploy`` warns about it and its page says it is a simulation; a callback
never reports a payment made in the future."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone, translation

from liuhen.core.models import AuditEvent
from liuhen.delivery import system_checks
from liuhen.delivery.models import Payment
from liuhen.delivery.payment import gateway as payments
from liuhen.delivery.payment.gateway import CallbackResult
from liuhen.delivery.payment.status import PaymentState, status
from tests.delivery.payment_helpers import FINE, SECRET, make_decision, notice_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("gateway_secret")]

CALLBACK = "/pay/callback/"
SIMULATOR_ON_TLS = override_settings(TLS=True)
SIMULATOR_ALLOWED_ON_TLS = override_settings(TLS=True, PAYMENT_SIMULATOR_ALLOWED=True)


class BankGateway:
    """A real payment channel's gateway (its page is the bank's)."""

    name = "bank"

    def pay_url(self, notice_number: str, amount_fen: int) -> str:
        return f"https://pay.example.org/{notice_number}"

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        raise payments.ForgedCallback("not used here")


BANK = override_settings(PAYMENT_GATEWAY=f"{__name__}.BankGateway")


@pytest.fixture
def notice(unit_a, officer_wang):
    decision = make_decision(
        unit_a, officer_wang, number="洼农（农药）罚〔2026〕41号", decided_on=dt.date(2026, 11, 1)
    )
    return notice_of(decision)


def page(notice) -> str:
    return f"/pay/{notice.number}/"


def press_pay(notice) -> int:
    """The simulator's button, pressed as a browser does (CSRF token of the page)."""
    browser = Client(enforce_csrf_checks=True)
    token = browser.get(page(notice)).cookies["csrftoken"].value
    return browser.post(page(notice), {"csrfmiddlewaretoken": token}).status_code


def post_callback(payload: dict) -> tuple[int, dict]:
    body, headers = payments.sign_callback(payload, secret=SECRET)
    response = Client().post(CALLBACK, data=body, content_type="application/json", headers=headers)
    return response.status_code, response.json()


def test_the_pay_page_says_it_is_a_simulation(notice) -> None:
    with translation.override("zh-hans"):
        html = Client().get(page(notice)).content.decode()
    assert 'data-testid="pay-simulation"' in html and "模拟支付" in html
    assert "不发生实际资金往来" in html
    assert 'data-testid="pay-button"' in html


def test_a_real_gateway_page_says_nothing_of_a_simulation(notice) -> None:
    with BANK:
        html = Client().get(page(notice)).content.decode()
    assert 'data-testid="pay-simulation"' not in html and 'data-testid="pay-button"' not in html


def test_a_tls_deployment_refuses_the_simulator(notice) -> None:
    with SIMULATOR_ON_TLS:
        with translation.override("zh-hans"):
            html = Client().get(page(notice)).content.decode()
        assert 'data-testid="pay-button"' not in html
        assert 'data-testid="pay-simulation"' in html and "已停用" in html
        assert press_pay(notice) == 404
        code, _body = post_callback(payments.simulated_payment(notice.number, FINE))
        assert code == 403
    assert not Payment.objects.exists()
    assert status(notice).state == PaymentState.UNPAID
    refused = AuditEvent.objects.get(action="payment.callback_refused")
    assert "TLS" in refused.details["reason"]


def test_a_tls_deployment_that_allows_the_simulator_keeps_it(notice) -> None:
    with SIMULATOR_ALLOWED_ON_TLS:
        assert 'data-testid="pay-button"' in Client().get(page(notice)).content.decode()
        assert press_pay(notice) == 302
    assert Payment.objects.get().notice == notice


def test_without_tls_the_simulator_takes_payments(notice) -> None:
    assert press_pay(notice) == 302
    assert status(notice).state == PaymentState.PAID


def test_check_deploy_warns_while_the_simulator_takes_payments() -> None:
    assert [m.id for m in system_checks.payment_simulator()] == ["liuhen.W030"]
    with SIMULATOR_ON_TLS:
        assert [m.id for m in system_checks.payment_simulator()] == ["liuhen.W031"]
    with SIMULATOR_ALLOWED_ON_TLS:
        assert [m.id for m in system_checks.payment_simulator()] == ["liuhen.W030"]
    with BANK:
        assert system_checks.payment_simulator() == []


def test_the_warning_is_part_of_check_deploy_only(monkeypatch) -> None:
    # The browser tests' conftest allows the ORM in Playwright's thread for the whole
    # process; a deployment never does, and the deploy check says so (async.E001).
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    plain, deploy = io.StringIO(), io.StringIO()
    call_command("check", stdout=plain, stderr=plain)
    call_command("check", "--deploy", stdout=deploy, stderr=deploy)
    assert "liuhen.W030" not in plain.getvalue()
    assert "liuhen.W030" in deploy.getvalue()


def test_a_callback_with_a_payment_time_in_the_future_is_refused(notice) -> None:
    ahead = timezone.now() + dt.timedelta(hours=1)
    with translation.override("zh-hans"):
        code, body = post_callback(payments.simulated_payment(notice.number, FINE, paid_at=ahead))
    assert code == 409
    assert body["error"] == "回调所报缴款时间晚于当前时间，不予登记。"
    assert not Payment.objects.exists()
    refused = AuditEvent.objects.get(action="payment.callback_refused")
    assert refused.details["reason"] == body["error"]
    # Within the clock skew a signed timestamp is allowed, the payment is recorded.
    code, _body = post_callback(
        payments.simulated_payment(
            notice.number, FINE, paid_at=timezone.now() + dt.timedelta(seconds=30)
        )
    )
    assert code == 200 and Payment.objects.count() == 1
