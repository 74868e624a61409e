"""One subject with records in every section of its file: a case of unit A with its
decision, the decision served, its payment notice, an AV record linked to the case, and a
licence the subject holds (each made as rows: the features have their own tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from liuhen.cases.models import Case
from liuhen.delivery.models import PaymentNotice, ServiceRecord
from liuhen.media.models import AvLink, AvRecord, LinkKind
from liuhen.subjects.models import CaseParty, Licence, LicenceType, Subject
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
    licence: Licence


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
    licence = Licence.objects.create(
        subject=subject,
        licence_type=LicenceType.objects.get(name="农药经营许可证"),
        number=f"农药经许（辽）21110{serial:04d}",
        issuer="盘锦市大洼区农业农村局",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2029, 12, 31),
        created_by=officer,
    )
    return World(subject, decision.case, service, notice, record, licence)
