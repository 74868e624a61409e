"""One subject with records in every section of its file: a case of unit A with its
decision, the decision served, its payment notice, an AV record linked to the case, and a
licence the subject holds (each made as rows: the features have their own tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from liuhen.cases.models import Case
from liuhen.delivery.models import PaymentNotice, ServiceRecord
from liuhen.disclosure.models import Category, PartyKind, Publication, PublicationKind
from liuhen.media.models import AvLink, AvRecord, LinkKind
from liuhen.subjects.models import CaseParty, Licence, LicenceType, Subject
from liuhen.supervision.models import Finding, RectificationOrder
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


@dataclass
class Oversight:
    finding: Finding
    order: RectificationOrder
    publication: Publication


def add_oversight(world: World, officer: Any, supervisor: Any, *, serial: int = 1) -> Oversight:
    """Supervision's and disclosure's records about the world's case: a finding, the
    rectification order it led to, and the publication of the decision."""
    case = world.case
    finding = Finding.objects.create(
        kind="av_missing",
        article="R5.2",
        summary=f"现场检查未同步录像{serial}",
        unit=case.unit,
        officer=officer,
        case=case,
        dedupe_key=f"subject-file-{serial}-{case.pk}",
    )
    order = RectificationOrder.objects.create(
        unit=case.unit,
        responsible=officer,
        requirement=f"补充现场执法记录{serial}",
        deadline=dt.date(2026, 4, 30),
        ordered_by=supervisor,
    )
    order.findings.add(finding)
    decision = world.notice.decision
    publication = Publication.objects.create(
        kind=PublicationKind.DECISION,
        category=Category.PENALTY,
        case=case,
        decision=decision,
        decision_number=decision.number,
        decided_on=dt.date(2026, 3, 2),
        title="行政处罚决定信息",
        party_kind=PartyKind.ORGANISATION,
        party=world.subject.name,
        facts="销售假农药",
        basis="《农药管理条例》第五十五条",
        penalty=f"罚款五千元{serial}",
        fine_fen=FINE,
        unit_name=case.unit.name,
        bureau_name="盘锦市大洼区农业农村局",
        due=dt.date(2026, 3, 9),
        published_by=supervisor,
    )
    return Oversight(finding, order, publication)
