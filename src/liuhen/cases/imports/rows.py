"""Checking one row of an import file: every problem of the row in Chinese (the person
fixes them all at once), or the row's values ready for the import action. Reads the
database (units, officers, existing cases) but writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import Unit, User
from liuhen.cases import enforcement_fields
from liuhen.cases.imports.reader import RawRow
from liuhen.cases.imports.template import COLUMNS
from liuhen.cases.models import Case, ClosingCondition, Procedure, Stage
from liuhen.subjects.identifiers import (
    normalize_resident_id,
    normalize_uscc,
    validate_resident_id,
    validate_uscc,
)
from liuhen.subjects.models import SubjectKind

if TYPE_CHECKING:
    from collections.abc import Iterable

HEADER = {column.key: column.header for column in COLUMNS}
# Names the bureau's earlier records use for a stage besides the system's own.
STAGE_ALIASES = {"立案": Stage.INITIATION, "审查决定": Stage.DECISION, "已归档": Stage.ARCHIVING}
PARTY_KINDS = {"单位": SubjectKind.UNIT, "个人": SubjectKind.PERSON}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SEPARATORS = re.compile(r"[、,，;；\s]+")


@dataclass
class CaseRow:
    number: int
    cells: dict[str, str]
    case_number: str = ""
    title: str = ""
    unit: Unit | None = None
    enforcement_field: str = ""
    procedure: str = Procedure.ORDINARY
    stage: str = Stage.INITIATION
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None
    closing_condition: str = ""
    officers: list[User] = field(default_factory=list)
    party_kind: str = SubjectKind.UNIT
    party_name: str = ""
    uscc: str = ""
    resident_id: str = ""
    party_address: str = ""
    decision_number: str = ""
    decided_on: dt.date | None = None
    penalty: str = ""
    fine_fen: int | None = None
    note: str = ""
    problems: list[str] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{HEADER[key]}：{message}")


def _labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices}


def parse_date(text: str) -> dt.date | None:
    """A date as people write it (2024-03-05, 2024/3/5, 2024年3月5日); ValueError if not."""
    found = _DATE.match(text.strip())
    if not found:
        raise ValueError(text)
    year, month, day = (int(part) for part in found.groups())
    return dt.date(year, month, day)


def check(raw: RawRow, *, seen: set[str]) -> CaseRow:
    """The row checked; ``seen`` holds the case numbers of the rows before it in the file."""
    cells = raw.cells
    row = CaseRow(raw.number, cells)
    for column in COLUMNS:
        if column.required and not cells.get(column.key):
            row.problem(column.key, _("required, but empty"))
    row.case_number = cells.get("number", "")[:60]
    row.title = cells.get("title", "")[:300]
    if row.case_number in seen:
        row.problem("number", _("the same case number is on an earlier row of this file"))
    _unit(row, cells.get("unit", ""))
    _field(row, cells.get("field", ""))
    _choices(row)
    _dates(row)
    _officers(row, cells.get("officers", ""))
    _party(row)
    _decision(row)
    row.note = cells.get("note", "")[:500]
    return row


def _unit(row: CaseRow, name: str) -> None:
    if not name:
        return
    row.unit = Unit.objects.filter(name=name, active=True).first()
    if row.unit is None:
        row.problem("unit", _("no active unit of this name in the system"))


def _field(row: CaseRow, value: str) -> None:
    if not value:
        return
    try:
        row.enforcement_field = enforcement_fields.resolve(value)
    except ValidationError as error:
        row.problem("field", "".join(error.messages))


def _choices(row: CaseRow) -> None:
    procedure = row.cells.get("procedure", "")
    if procedure:
        value = _labels(Procedure.choices).get(procedure)
        if value is None:
            row.problem("procedure", _("write 普通程序 or 简易程序"))
        else:
            row.procedure = value
    stage = row.cells.get("stage", "")
    if stage:
        value = {**_labels(Stage.choices), **STAGE_ALIASES}.get(stage)
        if value is None:
            row.problem("stage", _("not a stage of the case; see the template's hint"))
        else:
            row.stage = value
    condition = row.cells.get("closing_condition", "")
    if condition:
        value = _labels(ClosingCondition.choices).get(condition)
        if value is None:
            row.problem(
                "closing_condition",
                _("write one of: %(names)s")
                % {"names": "、".join(_labels(ClosingCondition.choices))},
            )
        else:
            row.closing_condition = value


def _date(row: CaseRow, key: str) -> dt.date | None:
    text = row.cells.get(key, "")
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        row.problem(key, _("not a date; write it as 2024-03-05"))
        return None


def _dates(row: CaseRow) -> None:
    row.opened_on = _date(row, "opened_on")
    row.closed_on = _date(row, "closed_on")
    row.decided_on = _date(row, "decided_on")
    if row.opened_on and row.closed_on and row.closed_on < row.opened_on:
        row.problem("closed_on", _("earlier than the filing date"))
    if (
        row.closed_on
        and not row.closing_condition
        and "closing_condition" not in {p.split("：")[0] for p in row.problems}
    ):
        row.problem("closing_condition", _("required when the case is closed"))
    if row.closing_condition and not row.closed_on:
        row.problem("closed_on", _("required when the closing condition is given"))
    if row.closed_on and row.stage not in (Stage.DECISION, Stage.SERVICE, Stage.ARCHIVING):
        row.problem("stage", _("a closed case is at review and decision or later"))


def _officers(row: CaseRow, text: str) -> None:
    for name in (part for part in _SEPARATORS.split(text) if part):
        found = list(
            User.objects.filter(is_active=True, full_name=name)[:2]
            or User.objects.filter(is_active=True, username=name)[:2]
        )
        if len(found) == 1:
            row.officers.append(found[0])
        elif found:
            row.problem(
                "officers",
                _("%(name)s: several officers have this name; use the username") % {"name": name},
            )
        else:
            row.problem("officers", _("%(name)s: no such officer in the system") % {"name": name})


def _party(row: CaseRow) -> None:
    kind = row.cells.get("party_kind", "")
    if kind:
        if kind not in PARTY_KINDS:
            row.problem("party_kind", _("write 单位 or 个人"))
        else:
            row.party_kind = PARTY_KINDS[kind]
    row.party_name = row.cells.get("party_name", "")[:200]
    row.party_address = row.cells.get("party_address", "")[:300]
    identifier = row.cells.get("party_id", "")
    if not identifier:
        return
    if row.party_kind == SubjectKind.UNIT:
        row.uscc = normalize_uscc(identifier)
        if not validate_uscc(row.uscc):
            row.problem("party_id", _("not a valid unified social credit code"))
    else:
        row.resident_id = normalize_resident_id(identifier)
        if not validate_resident_id(row.resident_id):
            row.problem("party_id", _("not a valid resident identity card number"))


def _decision(row: CaseRow) -> None:
    row.decision_number = row.cells.get("decision_number", "")[:60]
    row.penalty = row.cells.get("penalty", "")[:200]
    if row.decision_number and row.decided_on is None and row.cells.get("decided_on", "") == "":
        row.problem("decided_on", _("required when the decision number is given"))
    fine = row.cells.get("fine_yuan", "").replace(",", "").replace("，", "")
    if fine:
        try:
            amount = Decimal(fine)
        except InvalidOperation:
            amount = Decimal(-1)
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            row.problem("fine_yuan", _("not an amount in yuan, e.g. 5000 or 5000.00"))
        else:
            row.fine_fen = int(amount * 100)


def existing(row: CaseRow) -> Case | None:
    """The case of this number already in the system, if any."""
    return Case.objects.filter(number=row.case_number).select_related("imported").first()
