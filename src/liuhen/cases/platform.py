"""The nightly export to the provincial enforcement platform (制度第二十条): subjects,
cases and decisions as JSON Lines, one record a line, in the shape of
``docs/schemas/platform-export.schema.json``.

Incremental by change time: every change is an audited action, so the records changed
since the last run are those the audit log names after the mark's sequence number. The
first run sends everything. A record whose content is as last sent (touched by a read
only) is not sent again. Restricted records (R18.5) do not leave the bureau.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from liuhen.cases.models import Case, Decision, PlatformExported, PlatformExportMark
from liuhen.core.confidentiality import RESTRICTED_CLASSES
from liuhen.core.models import AuditEvent
from liuhen.subjects.models import Subject, SubjectKind

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Line:
    kind: str  # subject, case or decision
    object_id: int
    changed_at: dt.datetime
    data: dict[str, Any]

    @property
    def digest(self) -> str:
        text = json.dumps(self.data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def json(self) -> str:
        return json.dumps(
            {
                "schema": SCHEMA_VERSION,
                "type": self.kind,
                "id": self.object_id,
                "changed_at": self.changed_at.isoformat(),
                "data": self.data,
            },
            ensure_ascii=False,
            sort_keys=True,
        )


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _identifier(subject: Subject) -> str:
    # A resident id leaves the bureau masked only (R18.5).
    if subject.kind == SubjectKind.PERSON:
        return subject.resident_id_masked()
    return subject.identifier_label


def subject_data(subject: Subject) -> dict[str, Any]:
    return {
        "kind": subject.kind,
        "name": subject.name,
        "identifier": _identifier(subject),
        "address": subject.address,
        "legal_representative": subject.legal_representative,
        "owner_id": subject.owner_id,
        "merged_into_id": subject.merged_into_id,
    }


def case_data(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "title": case.title,
        "field": case.field,
        "unit": case.unit.name,
        "stage": case.stage,
        "procedure": case.procedure,
        "opened_at": _iso(case.opened_at),
        "closed_at": _iso(case.closed_at),
        "closing_condition": case.closing_condition,
        "parties": [
            {"subject_id": link.subject_id, "role": link.role}
            for link in sorted(case.parties.all(), key=lambda link: link.pk)
        ],
    }


def decision_data(decision: Decision) -> dict[str, Any]:
    return {
        "case_id": decision.case_id,
        "case_number": decision.case.number,
        "number": decision.number,
        "penalty_kinds": list(decision.penalty_kinds),
        "fine_fen": decision.fine_fen,
        "decided_at": _iso(decision.decided_at),
    }


@dataclass(frozen=True)
class Changes:
    up_to: int  # the audit sequence number read up to
    subjects: QuerySet[Subject]
    cases: QuerySet[Case]
    decisions: QuerySet[Decision]
    touched: dict[tuple[str, int], dt.datetime]  # (kind, id) -> last change


def changes(mark: PlatformExportMark) -> Changes:
    events = AuditEvent.objects.filter(seq__gt=mark.last_seq)
    up_to = events.aggregate(top=Max("seq"))["top"] or mark.last_seq
    events = events.filter(seq__lte=up_to)
    subjects = Subject.objects.exclude(confidentiality__in=RESTRICTED_CLASSES)
    cases = Case.objects.exclude(confidentiality__in=RESTRICTED_CLASSES)
    touched: dict[tuple[str, int], dt.datetime] = {}
    if mark.last_seq:
        by_case = events.filter(case_id__isnull=False).values("case_id")
        case_times = by_case.annotate(last=Max("time"))
        subject_times = (
            events.filter(object_type="subjects.subject")
            .values("object_id")
            .annotate(last=Max("time"))
        )
        touched.update({("case", row["case_id"]): row["last"] for row in case_times})
        touched.update({("subject", int(row["object_id"])): row["last"] for row in subject_times})
        cases = cases.filter(pk__in=[key for kind, key in touched if kind == "case"])
        subjects = subjects.filter(pk__in=[key for kind, key in touched if kind == "subject"])
    decisions = Decision.objects.filter(case__in=cases.values("pk"))
    return Changes(up_to, subjects, cases, decisions, touched)


def lines(found: Changes) -> Iterator[Line]:
    now = timezone.now()

    def when(kind: str, pk: int, own: dt.datetime | None) -> dt.datetime:
        # The last audited change; on the first run, the record's own time.
        return found.touched.get((kind, pk)) or own or now

    for subject in found.subjects.order_by("pk").iterator(chunk_size=500):
        changed = when("subject", subject.pk, subject.created_at)
        yield Line("subject", subject.pk, changed, subject_data(subject))
    cases = found.cases.select_related("unit").prefetch_related("parties").order_by("pk")
    for case in cases.iterator(chunk_size=500):
        yield Line("case", case.pk, when("case", case.pk, case.opened_at), case_data(case))
    for decision in found.decisions.select_related("case").order_by("pk").iterator(chunk_size=500):
        yield Line(
            "decision",
            decision.pk,
            when("case", decision.case_id, decision.decided_at),
            decision_data(decision),
        )


def new_only(candidates: Iterable[Line]) -> list[Line]:
    """The lines whose content differs from what the platform last received."""
    found = list(candidates)
    sent = {
        (row.kind, row.object_id): row.digest
        for row in PlatformExported.objects.filter(object_id__in={line.object_id for line in found})
    }
    return [line for line in found if sent.get((line.kind, line.object_id)) != line.digest]
