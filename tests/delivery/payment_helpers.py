"""A penalty decision with a fine, its served 行政处罚决定书 and payment notice, made as rows
(the decision and service features have their own tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from liuhen.cases.models import Decision, Stage
from liuhen.delivery.models import PaymentNotice, ServiceRecord
from liuhen.documents.models import IssuedDocument
from liuhen.documents.spec import PAYMENT_QR, behaviour
from tests.factories import CaseFactory
from tests.fixtures.clock import at

SECRET = "test-payment-secret-0123456789"
FINE = 5_000_00  # ¥5,000.00
PARTY = "张三丰农资经营部"
PARTY_USCC = "91211104MA0Y2K3L4U"
PARTY_ADDRESS = "盘锦市大洼区田家街道向阳村88号"
PARTY_PHONE = "13904270001"


def make_decision(unit: Any, officer: Any, *, number: str, decided_on: dt.date) -> Decision:
    case = CaseFactory(
        unit=unit,
        officers=[officer],
        stage=Stage.DECISION,
        title=f"{PARTY}涉嫌销售假农药案",
        opened_at=at(decided_on - dt.timedelta(days=30)),
    )
    return Decision.objects.create(
        case=case,
        number=number,
        penalty_kinds=["fine"],
        fine_fen=FINE,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
        decided_by=officer,
        decided_at=at(decided_on),
    )


def serve(decision: Decision, officer: Any, served_on: dt.date) -> ServiceRecord:
    """The decision document issued and served directly on ``served_on``."""
    issued = IssuedDocument.objects.create(
        case=decision.case,
        unit=decision.case.unit,
        form_code="penalty_decision",
        title="行政处罚决定书",
        number=decision.number,
        data={"party_name": PARTY, "party_address": PARTY_ADDRESS},
        served=True,
        issued_by=officer,
        issued_at=at(served_on, 9),
    )
    return ServiceRecord.objects.create(
        issued=issued,
        case=decision.case,
        mode="direct",
        recipient=PARTY,
        address=PARTY_ADDRESS,
        served_at=at(served_on, 11),
        served_on=served_on,
        recorded_by=officer,
    )


def notice_of(decision: Decision) -> PaymentNotice:
    """The decision's notice as the payment QR behaviour makes it when the decision is issued."""
    _url, number = behaviour(PAYMENT_QR).at_issue(decision, create=True)
    return PaymentNotice.objects.get(number=number)
