"""The payment-gateway interface and the embedded simulator gateway (R11.1).

罚缴分离 (行政处罚法 Art. 67): the agency does not take the money; the party pays a bank or an
e-payment channel, whose signed callback tells us the fine was paid. A real gateway is a class
named by ``settings.PAYMENT_GATEWAY``; the default simulator lets the embedded installation and
the tests go through the whole path: the payment QR opens our own portal page ``/pay/<no>/``,
and that page posts a callback signed like a real one.

Simulator callback: the body is JSON ``{notice_number, amount_fen, paid_at, transaction_id,
nonce}``; ``X-Liuhen-Timestamp`` holds unix seconds and ``X-Liuhen-Signature`` holds
``sha256=<hex>``, the HMAC-SHA256 of ``b"<timestamp>." + body`` under
``settings.PAYMENT_GATEWAY_SECRET``. A stale timestamp is refused, so a captured callback
cannot be replayed later; a replay inside the window is caught by the caller, which records
each ``transaction_id`` once.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

DEFAULT_GATEWAY = "liuhen.delivery.payment.gateway.SimulatorGateway"
SIGNATURE_HEADER = "X-Liuhen-Signature"
TIMESTAMP_HEADER = "X-Liuhen-Timestamp"
MAX_AGE_SECONDS = 300
MAX_CLOCK_SKEW_SECONDS = 60


class ForgedCallback(Exception):
    """A callback we cannot trust: signature bad or missing, or timestamp out of the window."""


class MalformedCallback(ForgedCallback):
    """A correctly signed callback whose content is not what the gateway sends."""


@dataclass(frozen=True)
class CallbackResult:
    """A payment the gateway vouches for."""

    notice_number: str
    amount_fen: int
    paid_at: datetime
    transaction_id: str
    raw: dict[str, Any] = field(repr=False)


@runtime_checkable
class PaymentGateway(Protocol):
    name: str

    def pay_url(self, notice_number: str, amount_fen: int) -> str:
        """What the payment QR code on the decision encodes."""
        ...

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        """The payment ``body`` reports, or :class:`ForgedCallback`."""
        ...


# --- the simulator --------------------------------------------------------------------


def _secret() -> str:
    secret = getattr(settings, "PAYMENT_GATEWAY_SECRET", "")
    if not secret:
        raise ImproperlyConfigured(
            "PAYMENT_GATEWAY_SECRET is empty: the payment callbacks cannot be verified."
        )
    return str(secret)


def _mac(secret: str, timestamp: str, body: bytes) -> str:
    # The timestamp is inside the MAC so that it cannot be refreshed on a captured callback.
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} into a callback")


def sign_callback(
    payload: Mapping[str, Any], *, secret: str | None = None, timestamp: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body (JSON) and headers of a simulator callback for ``payload`` (a nonce is added
    when missing; a datetime is written in ISO 8601)."""
    payload = {"nonce": secrets.token_hex(16), **payload}
    body = json.dumps(payload, default=_json_value, ensure_ascii=False, sort_keys=True).encode()
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: "sha256=" + _mac(secret or _secret(), stamp, body),
    }
    return body, headers


def simulated_payment(
    notice_number: str, amount_fen: int, *, paid_at: datetime | None = None
) -> dict[str, Any]:
    """The payload the simulator page sends when the party "pays"."""
    return {
        "notice_number": notice_number,
        "amount_fen": amount_fen,
        "paid_at": (paid_at or timezone.now()).isoformat(),
        "transaction_id": "SIM-" + secrets.token_hex(8).upper(),
        "nonce": secrets.token_hex(16),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    # request.headers is case-insensitive; a plain dict (tests, other callers) may not be.
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    raise ForgedCallback(f"missing header {name}")


def _check_timestamp(stamp: str) -> None:
    if not stamp.isascii() or not stamp.isdigit():
        raise ForgedCallback("timestamp is not unix seconds")
    age = time.time() - int(stamp)
    if age > MAX_AGE_SECONDS:
        raise ForgedCallback(f"timestamp is {int(age)} s old (stale or replayed)")
    if age < -MAX_CLOCK_SKEW_SECONDS:
        raise ForgedCallback(f"timestamp is {int(-age)} s in the future")


def _text(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MalformedCallback(f"{key} is missing or not text")
    return value


def _result(payload: Any) -> CallbackResult:
    if not isinstance(payload, dict):
        raise MalformedCallback("body is not a JSON object")
    amount = payload.get("amount_fen")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise MalformedCallback("amount_fen is not a positive whole number of fen")
    try:
        paid_at = datetime.fromisoformat(_text(payload, "paid_at"))
    except ValueError:
        raise MalformedCallback("paid_at is not ISO 8601") from None
    if paid_at.tzinfo is None:
        raise MalformedCallback("paid_at has no UTC offset")
    _text(payload, "nonce")
    return CallbackResult(
        notice_number=_text(payload, "notice_number"),
        amount_fen=amount,
        paid_at=paid_at,
        transaction_id=_text(payload, "transaction_id"),
        raw=payload,
    )


class SimulatorGateway:
    """The embedded default: payment happens on our own portal page (see module docstring)."""

    name = "simulator"

    def pay_url(self, notice_number: str, amount_fen: int) -> str:
        # The amount is not in the URL: the page shows what the notice says is owed.
        base = str(getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
        return f"{base}/pay/{quote(notice_number, safe='')}/"

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        if simulator_refused():
            raise ForgedCallback("the payment simulator is refused on a TLS deployment")
        signature = _header(headers, SIGNATURE_HEADER)
        stamp = _header(headers, TIMESTAMP_HEADER).strip()
        expected = "sha256=" + _mac(_secret(), stamp, body)
        if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
            raise ForgedCallback("signature does not match")
        _check_timestamp(stamp)
        try:
            payload = json.loads(body)
        except ValueError:
            raise MalformedCallback("body is not JSON") from None
        return _result(payload)


# The gateways' names as people read them (a payment's "gateway" column keeps the name).
GATEWAY_LABELS = {SimulatorGateway.name: _("Payment simulator of the embedded installation")}


def gateway_label(name: str) -> str:
    """A gateway's name for the screen; a configured gateway not listed keeps its name."""
    label = GATEWAY_LABELS.get(name)
    return str(label) if label is not None else name


# --- choosing the gateway -------------------------------------------------------------


@functools.cache
def _gateway_at(path: str) -> PaymentGateway:
    try:
        factory = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"PAYMENT_GATEWAY {path!r} cannot be imported") from error
    instance = factory()
    if not isinstance(instance, PaymentGateway):
        raise ImproperlyConfigured(f"PAYMENT_GATEWAY {path!r} is not a PaymentGateway")
    return instance


def gateway() -> PaymentGateway:
    """The configured gateway (``settings.PAYMENT_GATEWAY``, a dotted path to a class),
    one instance per path."""
    return _gateway_at(getattr(settings, "PAYMENT_GATEWAY", "") or DEFAULT_GATEWAY)


def is_simulated() -> bool:
    """The embedded simulator is the configured gateway."""
    return isinstance(gateway(), SimulatorGateway)


def simulator_refused() -> bool:
    """The simulator is configured on a TLS deployment that did not allow it
    (``LIUHEN_PAYMENT_SIMULATOR_ALLOWED``): its "pay" button and its callbacks are refused,
    since anyone who knows a notice number could mark the fine paid."""
    return (
        is_simulated()
        and bool(getattr(settings, "TLS", False))
        and not getattr(settings, "PAYMENT_SIMULATOR_ALLOWED", False)
    )


def simulator_takes_payments() -> bool:
    """The simulator takes the payments (its portal page has a "pay" button)."""
    return is_simulated() and not simulator_refused()
