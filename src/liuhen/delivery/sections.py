"""The case page section "Fine payment" (R11.1): each payment notice of the decision
and where it stands, with a link to the payment page. Registered by
``DeliveryConfig.ready()``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.cases import sections
from liuhen.delivery.payment import status
from liuhen.delivery.perms import PaymentPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _payments(request: HttpRequest, case: Case) -> dict[str, Any]:
    decision = getattr(case, "decision", None)
    if decision is None:
        return {"decision": None, "statuses": [], "url": ""}
    return {
        "decision": decision,
        "statuses": status.statuses(decision),
        "url": reverse("delivery:payments", args=[decision.pk]),
    }


SECTION = sections.Section(
    "payments",
    _("Fine payment"),
    "delivery/sections/payments.html",
    order=70,
    context=_payments,
    action=PaymentPerms.VIEW,
)
