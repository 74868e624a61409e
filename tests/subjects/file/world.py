"""One subject with records in every section of its file: a case of unit A with its
decision, the decision served, its payment notice, and an AV record linked to the case
(each made as rows: the features have their own tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from liuhen.cases.models import Case
from liuhen.delivery.models import PaymentNotice, ServiceRecord
from liuhen.media.models import AvLink, AvRecord, LinkKind
from liuhen.subjects.models import CaseParty, Subject
from tests.delivery.payment_helpers import FINE, make_decision, serve
from tests.factories import unit_subject, uscc
from tests.fixtures.media import ingest_bytes


@dataclass
class World:
    subject: Subject
    case: Case
    service: ServiceRecord
    notice: PaymentNotice
    record: AvRecord


def build_world(unit: Any, officer: Any, *, serial: int = 1) -> World:
    subject = unit_subject(uscc(40 + serial), name=f"金穗农资经营部{serial}")
    decision = make_decision(
        unit, officer, number=f"洼农（农药）罚〔2026〕{serial}号", decided_on=dt.date(2026, 3, 2)
    )
    CaseParty.objects.create(case=decision.case, subject=subject)
    service = serve(decision, officer, dt.date(2026, 3, 3))
    notice = PaymentNotice.objects.create(
        decision=decision, number=f"2111042026{serial:08d}", amount_fen=FINE
    )
    record = ingest_bytes(officer, b"not really a video " * serial, name=f"现场{serial}.mp4")
    AvLink.objects.create(
        record=record, case=decision.case, kind=LinkKind.MANUAL, linked_by=officer
    )
    return World(subject, decision.case, service, notice, record)
