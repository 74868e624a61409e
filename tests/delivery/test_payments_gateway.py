"""The payment-gateway interface and its simulator (R11.1): signed callbacks verify, forged
ones are refused."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Mapping
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from liuhen.delivery.payment import gateway as payments
from liuhen.delivery.payment.gateway import (
    CallbackResult,
    ForgedCallback,
    MalformedCallback,
    SimulatorGateway,
    sign_callback,
)
from tests.delivery.payment_helpers import SECRET

pytestmark = pytest.mark.usefixtures("gateway_secret")

PAID_AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
PAYLOAD = {
    "notice_number": "2100000026000123",
    "amount_fen": 5_150_00,
    "paid_at": PAID_AT.isoformat(),
    "transaction_id": "SIM-0001",
    "nonce": "5f1c0d2e",
}


def verify(body: bytes, headers: Mapping[str, str]) -> CallbackResult:
    return SimulatorGateway().verify_callback(body, headers)


def test_a_signed_callback_verifies() -> None:
    body, headers = sign_callback(PAYLOAD)
    result = verify(body, headers)
    assert result.notice_number == "2100000026000123"
    assert result.amount_fen == 5_150_00
    assert result.paid_at == PAID_AT and result.paid_at.utcoffset() == dt.timedelta(hours=8)
    assert result.transaction_id == "SIM-0001"
    assert result.raw == PAYLOAD
    assert headers["X-Liuhen-Signature"].startswith("sha256=")
    # Header names are matched without regard to case (WSGI and proxies change them).
    assert verify(body, {key.lower(): value for key, value in headers.items()}) == result


def test_the_simulator_payload_verifies() -> None:
    payload = payments.simulated_payment("2100000026000124", 300_00, paid_at=PAID_AT)
    result = verify(*sign_callback(payload))
    assert (result.notice_number, result.amount_fen) == ("2100000026000124", 300_00)
    assert result.transaction_id.startswith("SIM-") and result.paid_at == PAID_AT
    other = payments.simulated_payment("2100000026000124", 300_00)
    assert other["transaction_id"] != payload["transaction_id"]
    assert other["nonce"] != payload["nonce"]


def test_sign_callback_adds_a_nonce_and_writes_datetimes() -> None:
    payload = {key: value for key, value in PAYLOAD.items() if key != "nonce"}
    body, headers = sign_callback({**payload, "paid_at": PAID_AT})
    sent = json.loads(body)
    assert sent["paid_at"] == "2026-03-10T09:30:00+08:00" and len(sent["nonce"]) == 32
    assert verify(body, headers).paid_at == PAID_AT


def test_wrong_secret_is_forged() -> None:
    body, headers = sign_callback(PAYLOAD, secret="somebody-elses-secret")
    with pytest.raises(ForgedCallback, match="signature"):
        verify(body, headers)


def test_tampered_body_is_forged() -> None:
    body, headers = sign_callback(PAYLOAD)
    tampered = body.replace(b"515000", b"000001")
    assert tampered != body
    with pytest.raises(ForgedCallback, match="signature"):
        verify(tampered, headers)


def test_a_refreshed_timestamp_is_forged() -> None:
    # The timestamp is inside the MAC: an old callback cannot be given a new time.
    body, headers = sign_callback(PAYLOAD, timestamp=int(time.time()) - 3600)
    with pytest.raises(ForgedCallback, match="signature"):
        verify(body, {**headers, "X-Liuhen-Timestamp": str(int(time.time()))})


@pytest.mark.parametrize("missing", ["X-Liuhen-Signature", "X-Liuhen-Timestamp"])
def test_missing_header_is_forged(missing: str) -> None:
    body, headers = sign_callback(PAYLOAD)
    del headers[missing]
    with pytest.raises(ForgedCallback, match="missing header"):
        verify(body, headers)


def test_a_malformed_signature_is_forged() -> None:
    body, headers = sign_callback(PAYLOAD)
    for signature in ("", "sha256=", headers["X-Liuhen-Signature"][7:], "sha256=签名"):
        with pytest.raises(ForgedCallback, match="signature"):
            verify(body, {**headers, "X-Liuhen-Signature": signature})


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(-301, False), (-3600, False), (-290, True), (0, True), (50, True), (61, False)],
)
def test_the_timestamp_window(offset: int, accepted: bool) -> None:
    body, headers = sign_callback(PAYLOAD, timestamp=int(time.time()) + offset)
    if accepted:
        assert verify(body, headers).transaction_id == "SIM-0001"
    else:
        with pytest.raises(ForgedCallback, match="timestamp"):
            verify(body, headers)


def test_a_timestamp_that_is_not_a_number_is_forged() -> None:
    body, headers = sign_callback(PAYLOAD, timestamp=int(time.time()))
    forged_stamp = "1e10"
    headers = {
        "X-Liuhen-Timestamp": forged_stamp,
        "X-Liuhen-Signature": "sha256=" + payments._mac(SECRET, forged_stamp, body),
    }
    with pytest.raises(ForgedCallback, match="unix seconds"):
        verify(body, headers)


@pytest.mark.parametrize(
    "change",
    [
        {"amount_fen": 0},
        {"amount_fen": "5150.00"},
        {"amount_fen": True},
        {"paid_at": "2026-03-10T09:30:00"},  # no offset
        {"paid_at": "10/03/2026"},
        {"notice_number": ""},
        {"transaction_id": None},
        {"nonce": 7},
    ],
)
def test_signed_but_malformed_content_is_refused(change: dict[str, Any]) -> None:
    body, headers = sign_callback({**PAYLOAD, **change})
    with pytest.raises(MalformedCallback):
        verify(body, headers)


def test_signed_non_object_body_is_refused() -> None:
    for body in (b"[1, 2]", b"not json"):
        stamp = str(int(time.time()))
        headers = {
            "X-Liuhen-Timestamp": stamp,
            "X-Liuhen-Signature": "sha256=" + payments._mac(SECRET, stamp, body),
        }
        with pytest.raises(MalformedCallback):
            verify(body, headers)


def test_an_empty_secret_is_a_configuration_error() -> None:
    body, headers = sign_callback(PAYLOAD)
    with override_settings(PAYMENT_GATEWAY_SECRET=""):
        with pytest.raises(ImproperlyConfigured, match="PAYMENT_GATEWAY_SECRET"):
            verify(body, headers)
        with pytest.raises(ImproperlyConfigured):
            sign_callback(PAYLOAD)


def test_pay_url_is_the_portal_page() -> None:
    gateway = SimulatorGateway()
    with override_settings(PUBLIC_BASE_URL=""):
        assert gateway.pay_url("2100000026000123", 5_000_00) == "/pay/2100000026000123/"
    with override_settings(PUBLIC_BASE_URL="https://zf.example.gov.cn/"):
        assert gateway.pay_url("2100000026000123", 5_000_00) == (
            "https://zf.example.gov.cn/pay/2100000026000123/"
        )
        # Whatever the number holds stays one path segment.
        assert gateway.pay_url("大洼/2026 1", 1) == (
            "https://zf.example.gov.cn/pay/%E5%A4%A7%E6%B4%BC%2F2026%201/"
        )


class OtherGateway:
    """A stand-in for a bank's gateway, chosen by settings."""

    name = "other"

    def pay_url(self, notice_number: str, amount_fen: int) -> str:
        return f"https://bank.example/pay?no={notice_number}&fen={amount_fen}"

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        raise ForgedCallback("never trusts anybody")


class NotAGateway:
    pass


def test_the_gateway_is_chosen_by_settings() -> None:
    assert isinstance(payments.gateway(), SimulatorGateway)
    assert payments.gateway() is payments.gateway()  # one instance per path
    assert payments.gateway().name == "simulator"
    with override_settings(PAYMENT_GATEWAY=f"{__name__}.OtherGateway"):
        chosen = payments.gateway()
        assert isinstance(chosen, OtherGateway) and chosen.name == "other"
        assert chosen.pay_url("N1", 100) == "https://bank.example/pay?no=N1&fen=100"
    assert isinstance(payments.gateway(), SimulatorGateway)


@pytest.mark.parametrize(
    "path", ["liuhen.delivery.no_such_module.Gateway", f"{__name__}.NotAGateway"]
)
def test_a_bad_gateway_setting_is_a_configuration_error(path: str) -> None:
    with override_settings(PAYMENT_GATEWAY=path), pytest.raises(ImproperlyConfigured):
        payments.gateway()
