"""The one door of importing existing cases (R20.1, Art. 20: using the bureau's earlier
records): every row checked first and reported with all its problems; a sound row becomes
one case — with its party, officers and the facts the file gives — in one transaction, or
nothing of it is written. Importing is idempotent on the case number: a case imported
before is skipped, so a run that stopped picks up where it stopped.

An imported case carries its :class:`ImportedCase` row: the system keeps no whole-process
record of what happened before the import and does not pretend to (``cases.compliance``
holds the stages before the import out of the checks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases.actions.assignment import _record_party
from liuhen.cases.actions.registration import _open_case
from liuhen.cases.events import CaseEvents
from liuhen.cases.imports import rows as import_rows
from liuhen.cases.models import Case, ImportedCase
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit
from liuhen.subjects import crypto
from liuhen.subjects.actions import create_subject
from liuhen.subjects.models import CaseParty, Subject, SubjectKind

if TYPE_CHECKING:
    from liuhen.accounts.models import User
    from liuhen.cases.imports.reader import ImportFile


class Status:
    CREATED = "created"
    WOULD_CREATE = "would_create"
    SKIPPED = "skipped"
    REFUSED = "refused"


@dataclass
class RowOutcome:
    row: int
    case_number: str
    status: str
    problems: list[str] = field(default_factory=list)
    case: Case | None = None


@dataclass
class ImportReport:
    file_name: str
    commit: bool
    outcomes: list[RowOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


Progress = Callable[[int, int], None]


def import_cases(
    actor: User,
    source: ImportFile,
    *,
    commit: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row of ``source``; with ``commit``, import the sound ones."""
    report = ImportReport(source.name, commit)
    seen: set[str] = set()
    total = len(source.rows)
    for done, raw in enumerate(source.rows, start=1):
        row = import_rows.check(raw, seen=seen)
        seen.add(row.case_number)
        report.outcomes.append(_one(actor, source, row, commit=commit))
        if progress is not None:
            progress(done, total)
    return report


def _one(actor: User, source: ImportFile, row: import_rows.CaseRow, *, commit: bool) -> RowOutcome:
    outcome = RowOutcome(row.number, row.case_number, Status.REFUSED, list(row.problems))
    found = import_rows.existing(row) if row.case_number else None
    if found is not None:
        if not hasattr(found, "imported"):
            outcome.problems.append(
                f"{import_rows.HEADER['number']}："
                + _("a case entered in the system has this number already")
            )
            return outcome
        outcome.status, outcome.case = Status.SKIPPED, found
        return outcome
    if row.unit is not None and not access.can(actor, CasePerms.CREATE, row.unit):
        outcome.problems.append(
            f"{import_rows.HEADER['unit']}：" + _("you may not enter cases of this unit")
        )
    if outcome.problems:
        return outcome
    if not commit:
        outcome.status = Status.WOULD_CREATE
        return outcome
    try:
        outcome.case = import_case(actor, row, source=source)
    except ValidationError as error:
        outcome.problems.extend(error.messages)
        return outcome
    outcome.status = Status.CREATED
    return outcome


def _local_noon(day: dt.date | None) -> dt.datetime | None:
    # Noon, so the date reads the same in every time zone a report may use.
    return None if day is None else timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _party(actor: User, row: import_rows.CaseRow) -> Subject:
    """The live subject the row names (by its identifier, else by kind and name with no
    identifier), or a new one entered through the subjects' action."""
    live = Subject.objects.filter(merged_into__isnull=True, kind=row.party_kind)
    if row.uscc:
        found = live.filter(uscc=row.uscc).first()
    elif row.resident_id:
        found = live.filter(resident_id_index=crypto.blind_index(row.resident_id)).first()
    else:
        found = live.filter(name=row.party_name, uscc="", resident_id_index="").first()
    if found is not None:
        return found
    if row.party_kind == SubjectKind.UNIT:
        return create_subject(
            actor,
            kind=row.party_kind,
            name=row.party_name,
            address=row.party_address,
            uscc=row.uscc,
        )
    return create_subject(
        actor,
        kind=row.party_kind,
        name=row.party_name,
        address=row.party_address,
        resident_id=row.resident_id,
    )


def import_case(actor: User, row: import_rows.CaseRow, *, source: ImportFile) -> Case:
    """One checked row made a case (refused if the row has problems)."""
    if row.problems or row.unit is None:
        raise ValidationError(row.problems or [_("The row names no unit.")])
    access.require(actor, CasePerms.CREATE, row.unit)
    # A subject is a record of its own (and the subjects app's to enter); the row was
    # checked whole first, so the case below does not fail on the row's values.
    party = _party(actor, row)
    with transaction.atomic(durable=True):
        case = _open_case(
            actor,
            title=row.title,
            unit=row.unit,
            number=row.case_number,
            field=row.enforcement_field,
            officers=row.officers,
            stage=row.stage,
            procedure=row.procedure,
            details={"imported_from": source.name, "row": row.number},
        )
        case.opened_at = _local_noon(row.opened_on) or case.opened_at
        case.closed_at = _local_noon(row.closed_on)
        case.closing_condition = row.closing_condition
        case.save(update_fields=["opened_at", "closed_at", "closing_condition"])
        _record_party(actor, CaseParty.objects.create(case=case, subject=party, created_by=actor))
        imported = ImportedCase.objects.create(
            case=case,
            file_name=source.name[:255],
            file_sha256=source.sha256,
            row_number=row.number,
            source=row.cells,
            stage=row.stage,
            decision_number=row.decision_number,
            decided_on=row.decided_on,
            penalty=row.penalty,
            fine_fen=row.fine_fen,
            note=row.note,
            imported_by=actor,
        )
        audit.record(
            CaseEvents.IMPORT,
            actor=actor,
            obj=case,
            details={
                "file": source.name,
                "sha256": source.sha256,
                "row": row.number,
                "imported": imported.pk,
                "party": party.pk,
            },
        )
    return case
