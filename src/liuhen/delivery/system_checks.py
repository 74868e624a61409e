"""Deployment checks of the payment gateway (R11.1), registered by
``DeliveryConfig.ready()`` for ``liuhen check --deploy``: the embedded simulator marks a
fine paid for anyone who knows the notice's number, so a real installation names the
bank's gateway; the SMS simulator sends no push notice to any party."""

from __future__ import annotations

from typing import Any

from django.core import checks

from liuhen.delivery.payment import gateway
from liuhen.delivery.push import sms

_HINT = (
    "Set LIUHEN_PAYMENT_GATEWAY to the class of the payment channel's gateway; "
    "LIUHEN_PAYMENT_SIMULATOR_ALLOWED=true keeps the simulator on a TLS deployment "
    "(training or acceptance installations only)."
)


def payment_simulator(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if gateway.simulator_refused():
        return [
            checks.Warning(
                "the payment simulator is the payment gateway of this TLS deployment, which "
                "refuses it: no fine can be paid",
                hint=_HINT,
                id="liuhen.W031",
            )
        ]
    if gateway.is_simulated():
        return [
            checks.Warning(
                "the payment simulator takes the payments: anyone who knows a payment "
                "notice's number can mark its fine paid",
                hint=_HINT,
                id="liuhen.W030",
            )
        ]
    return []


def sms_simulator(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """R19.1: with the SMS simulator no party is told of a document by text message."""
    if sms.is_simulated():
        return [
            checks.Warning(
                "the SMS simulator is the SMS gateway: no push notice reaches a party's telephone",
                hint="Set LIUHEN_SMS_URL to the address of the SMS gateway.",
                id="liuhen.W032",
            )
        ]
    return []


DEPLOY_CHECKS = (payment_simulator, sms_simulator)
