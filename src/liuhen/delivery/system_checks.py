"""Deployment checks of the payment gateway (R11.1), registered by
``DeliveryConfig.ready()`` for ``liuhen check --deploy``: the embedded simulator marks a
fine paid for anyone who knows the notice's number, so a real installation names the
bank's gateway."""

from __future__ import annotations

from typing import Any

from django.core import checks

from liuhen.delivery.payment import gateway

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


DEPLOY_CHECKS = (payment_simulator,)
