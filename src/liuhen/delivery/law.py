"""The legal rules of service 送达 and payment of fines (R2.1, R10, R11.1).

Law is configuration with citations: the only place a legal number of this app is
written; code asks ``rules.value(key)``. Registered by the app's ``ready()``; the
defaults and citations are listed in docs/rules.md.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

PENALTY = Law.PENALTY


def _cash_step(key: str, label: Promise) -> Rule:
    """Art. 71 gives both steps of cash collected on the spot, to the agency and from it to
    the bank, the same two days (working days, Art. 85)."""
    return Rule(
        key=key,
        label=label,
        kind=Kind.WORKING_DAYS,
        default=2,
        minimum=1,
        maximum=2,
        serves=Serves.AGENCY,
        applied=False,  # as on_the_spot_collection_max
        citations=(Citation(PENALTY, "71"), Citation(PENALTY, "85")),
    )


RULES: tuple[Rule, ...] = (
    # --- service, payment, execution ----------------------------------------------------
    Rule(
        key="service",
        label=_("Service of the decision"),
        description=_("A decision not handed over on announcement is served within this period."),
        kind=Kind.WORKING_DAYS,
        default=7,
        minimum=1,
        maximum=7,
        serves=Serves.AGENCY,
        citations=(Citation(PENALTY, "61"), Citation(PENALTY, "85")),
    ),
    Rule(
        key="public_notice_service",
        label=_("Service by public notice takes effect"),
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=30,
        serves=Serves.PARTY,
        citations=(Citation(Law.CIVIL_PROCEDURE, "95"),),
    ),
    Rule(
        key="payment",
        label=_("Payment of the fine"),
        description=_(
            "The party pays at the bank or online within this period of receiving the decision."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=15,
        minimum=15,
        serves=Serves.PARTY,
        citations=(Citation(PENALTY, "67"),),
    ),
    Rule(
        key="on_the_spot_collection_max",
        label=_("On-the-spot collection: largest fine"),
        kind=Kind.AMOUNT_FEN,
        default=100_00,
        minimum=0,
        maximum=100_00,
        # Fines are paid at the bank or online (罚缴分离, Art. 67); nothing records cash
        # collected on the spot (Art. 68-71) yet, so these rules are listed, not applied.
        applied=False,
        citations=(Citation(PENALTY, "68"),),
    ),
    _cash_step("cash_handover", _("Cash collected on the spot handed to the agency")),
    _cash_step("cash_deposit", _("Cash handed over paid into the bank")),
    Rule(
        key="late_surcharge_percent_per_day",
        label=_("Late payment surcharge per day"),
        kind=Kind.PERCENT,
        default=3,
        minimum=0,
        maximum=3,
        citations=(Citation(PENALTY, "72"),),
    ),
    Rule(
        key="late_surcharge_cap_percent",
        label=_("Late payment surcharge cap (share of the fine)"),
        kind=Kind.PERCENT,
        default=100,
        minimum=0,
        maximum=100,
        citations=(Citation(PENALTY, "72"),),
    ),
)
