"""What a document form is, as data (R6.1): the catalog's entries and the bureau's own forms
share this shape, so rendering, editing and the checks never ask where a form came from.

A form's behaviour is data too: which rights a party may waive on it, where its 文号 comes
from, whether it is an enforcement decision (served on paper only), what role it plays in
service, which legal clocks its service runs. The code that acts on a form reads these
flags; no code names a form by its code to decide what it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from liuhen.core import registry

# Behaviours a form names that another app provides, registered in that app's ``ready()``
# (``registry.document_behaviours``): the payment QR code of a decision (R11.1, delivery).
PAYMENT_QR = "payment_qr"
# R19.1: where and with which code the party queries the case, printed on every document
# served on a party (delivery).
QUERY_CODE = "query_code"


def behaviour(key: str) -> Any:
    """The provider of the behaviour ``key`` (the system checks make sure it is there)."""
    return registry.document_behaviours[key]


class Waiver(StrEnum):
    """R8.2: a right the party waives by signing a statement on the form."""

    STATEMENT = "statement"  # 陈述、申辩
    HEARING = "hearing"  # 听证


class Numbering(StrEnum):
    """Where a form's 文号 comes from."""

    OWN = "own"  # allocated at issue from its ``number_kind`` (none without one)
    CASE = "case"  # the case number, allocated when the case was filed
    DECISION = "decision"  # the decision's number, allocated when the decision was recorded


class ReceiptRole(StrEnum):
    """What a signed record proves for the service of other documents (R10.1)."""

    NONE = ""
    SERVICE_RECEIPT = "service_receipt"  # 送达回证: the recipient signed for a document
    ADDRESS_CONFIRMATION = "address_confirmation"  # 送达地址确认书: address, e-service consent


class ServiceClock(StrEnum):
    """A legal period the service of a document concerns; each is the legal rule of its name."""

    # R10.2, 行政处罚法 Art. 61: served within the rule ``service`` of its issue.
    SERVICE = "service"
    # R11.1, 行政处罚法 Art. 67: the fine is due the rule ``payment`` after it is served.
    PAYMENT = "payment"


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
    # What the form relies on other apps for, by key (``registry.document_behaviours``,
    # checked at start-up), e.g. ``PAYMENT_QR``: a decision prints its payment QR (R11.1).
    behaviours: tuple[str, ...] = ()
    av_required: bool = False  # documents.md notes "AV required"
    # R8.2: the rights a party may waive by signing on this form (the advance notice, its
    # service receipt), even where the form itself needs no signature.
    waivable_rights: tuple[Waiver, ...] = ()
    numbering: Numbering = Numbering.OWN
    # R10.1, regulation Art. 10(四): an enforcement decision 行政执法决定书 is never served
    # by self-download on the government service portal, by fax or by e-mail, whatever the
    # party agreed (行政处罚法 Art. 61(2) would allow fax and e-mail with consent; the
    # bureau's regulation does not). True for every form that is the bureau's decision on
    # the matter, served on the party: it fixes the party's rights or duties and states
    # the remedies (penalty, on-the-spot penalty, no penalty, seizure and its release, the
    # handling of goods preserved in advance). Notices, letters, transcripts and internal
    # forms are not, even where their title says 决定书 (an internal form is never served).
    # Every other served document may go electronically with the party's consent.
    enforcement_decision: bool = False
    receipt_role: ReceiptRole = ReceiptRole.NONE
    service_clocks: tuple[ServiceClock, ...] = ()
    # R8.1, 行政处罚法 Art. 44: the advance notice of a penalty 行政处罚事先告知书, and the
    # decision that may be issued only after an advance notice of the case was served.
    advance_notice: bool = False
    after_advance_notice: bool = False
    # 行政处罚法 Art. 63: an advance notice that names the right to a hearing (its 听证
    # variant); the only advance notice offered when the proposed penalty carries that right.
    hearing_right: bool = False
    # Drafting rules: the form of a written correction 补正 of a document already served.
    written_correction: bool = False
    # 农业行政处罚程序规定: the chair 听证主持人 writes the report of the hearing held, though
    # the chair is no officer of the case (行政处罚法 Art. 64(4) keeps investigators out).
    drafted_by_hearing_chair: bool = False
    # The approval step (cases.approvals) an internal form goes through before issue (R7.1).
    approval_step: str = ""
    # The case's approval step a served form is issued after (R7.1): the advance notices
    # announce the penalty the approved case handling opinion 案件处理意见书 proposes.
    issued_after_approval: str = ""
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
    def payment_qr(self) -> bool:
        """R11.1: the form prints the payment QR code of the case's decision."""
        return PAYMENT_QR in self.behaviours

    def get_field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)
