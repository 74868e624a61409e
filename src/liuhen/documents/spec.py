"""What a document form is, as data (R6.1): the catalog's entries and the bureau's own forms
share this shape, so rendering, editing and the checks never ask where a form came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from liuhen.core import registry

# Behaviours a form names that another app provides, registered in that app's ``ready()``
# (``registry.document_behaviours``): the payment QR code of a decision (R11.1, delivery).
PAYMENT_QR = "payment_qr"


def behaviour(key: str) -> Any:
    """The provider of the behaviour ``key`` (the system checks make sure it is there)."""
    return registry.document_behaviours[key]


class FieldType(StrEnum):
    TEXT = "text"  # one line
    TEXTAREA = "textarea"  # paragraphs (facts, questions and answers, findings)
    DATE = "date"
    DATETIME = "datetime"
    INTEGER = "integer"
    MONEY = "money"  # yuan with two decimals, stored as a string "1234.50"
    CHOICE = "choice"  # one of ``choices``
    ITEMS = "items"  # a table: one row per line, cells separated by "|" (item lists)


class Kind(StrEnum):
    """documents.md: ``int`` internal approval form, ``ext`` served on the party, ``rec`` a
    record (transcript, voucher, list) kept in the file."""

    INTERNAL = "int"
    SERVED = "ext"
    RECORD = "rec"


@dataclass(frozen=True)
class FieldSpec:
    name: str  # slug, unique within the form
    label: str  # Chinese label as printed on the form
    type: FieldType = FieldType.TEXT
    required: bool = False
    # Where the form screen takes its first value from, e.g. "party.name", "case.number",
    # "officers", "decision.facts" (documents/prefill.py); empty means the officer types it.
    prefill: str = ""
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class FormSpec:
    code: str  # stable slug; the R9.1 rule list names forms by it
    title: str  # 文书名称 as printed
    kind: Kind
    fields: tuple[FieldSpec, ...]
    number: int | None = None  # 1–38 for the national set; None for a bureau form
    # Kind code in the 文号 (罚, 告, 立…); empty: the form carries no 文号 (transcripts).
    number_kind: str = ""
    # Case stage the form belongs to (cases.models.Stage value) and activity types using it.
    stage: str = ""
    activity_types: tuple[str, ...] = ()
    # The party (or witness) checks and signs (R9.1); default from the catalog, the rule
    # ``signature_required_document_kinds`` decides (documents/catalog.needs_signature).
    signature: bool = False
    # Signature lines printed at the end of the form, e.g. ("被询问人", "执法人员", "记录人").
    signers: tuple[str, ...] = ()
    paginated: bool = False  # prints "第 x 页 共 y 页" and signature on every page
    sealed: bool = False  # bears the bureau's electronic seal (R18.2)
    payment_qr: bool = False  # penalty decision: payment QR code (R11.1)
    av_required: bool = False  # documents.md notes "AV required"
    # The approval step (cases.approvals) an internal form goes through before issue (R7.1).
    approval_step: str = ""
    national: bool = True
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def served(self) -> bool:
        return self.kind == Kind.SERVED

    @property
    def internal(self) -> bool:
        return self.kind == Kind.INTERNAL

    @property
    def behaviours(self) -> tuple[str, ...]:
        """What the form relies on other apps for (checked at start-up)."""
        return (PAYMENT_QR,) if self.payment_qr else ()

    def get_field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)
