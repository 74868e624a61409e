"""The six modes of service 送达 and what each must record (R10.1), as data.

A mode names the fields its record needs (kept in ``ServiceRecord.details``) and the proofs
it must carry: attachment kinds, a linked AV record, a signed service receipt 送达回证. The
same rules judge a record at entry (``delivery.actions.service.record_service``) and afterwards
(the check ``service_mode_invalid``), so a record that came in another way is found.

Sources: the regulation Art. 10(四) (self-download on the government service portal, fax and
e-mail are not used for an enforcement decision 行政执法决定书); 行政处罚法 Art. 61(2) (fax,
e-mail and the like with the party's consent and signed confirmation); 民事诉讼法 Art. 87
(the receipt's date is the service date), 89 (leaving: a witness or photos/video), 90
(electronic service with the recipient's consent), 95 (public notice takes effect 30 days
after publication).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.cases.models import Case
from liuhen.core import calendar
from liuhen.delivery.models import ElectronicChannel, ServiceMode
from liuhen.documents.catalog import catalog
from liuhen.documents.models import Document, DocumentStatus, Finalisation, IssuedDocument
from liuhen.documents.spec import ReceiptRole

# (kind, file name, content type, bytes): one uploaded proof.
Upload = tuple[str, str, str, bytes]
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024
# Every electronic channel needs the recipient's consent (行政处罚法 Art. 61(2), 民事诉讼法
# Art. 90): a download from the portal is electronic service like fax and e-mail.
CONSENT_CHANNELS = tuple(ElectronicChannel.values)
# What the 送达回证 prints in its 送达方式 field for each mode (SERVICE_MODES of
# ``documents/catalog/data.py``).
RECEIPT_MODE_TEXT = {
    ServiceMode.DIRECT.value: "直接送达",
    ServiceMode.LEAVING.value: "留置送达",
    ServiceMode.POST.value: "邮寄送达",
    ServiceMode.ELECTRONIC.value: "电子送达",
    ServiceMode.ENTRUSTED.value: "委托送达",
    ServiceMode.PUBLIC_NOTICE.value: "公告送达",
}
# AV kinds that show a service by leaving or a posted notice (Art. 89: 拍照、录像).
PICTURE_AV_KINDS = ("photo", "video")

ATTACHMENT_KINDS: dict[str, Promise] = {
    "receipt": gettext_lazy("Scan of the signed service receipt"),
    "photo": gettext_lazy("Photo of the service"),
    "video": gettext_lazy("Video of the service"),
    "posting_slip": gettext_lazy("Posting slip"),
    "return_receipt": gettext_lazy("Return receipt"),
    "electronic_receipt": gettext_lazy("Electronic receipt"),
    "screenshot": gettext_lazy("Screenshot"),
    "call_recording": gettext_lazy("Call recording"),
    "sms_record": gettext_lazy("SMS record"),
    "screen_recording": gettext_lazy("Screen recording"),
    "entrustment_letter": gettext_lazy("Entrustment letter"),
    "notice_original": gettext_lazy("Original of the public notice"),
    "posting_photo": gettext_lazy("Photo or video of the posted notice"),
}


@dataclass(frozen=True)
class When:
    """A field or proof that applies only when another detail has a value (post: outcome)."""

    field: str
    value: str

    def holds(self, details: Mapping[str, str]) -> bool:
        return details.get(self.field, "") == self.value


@dataclass(frozen=True)
class DetailField:
    name: str
    label: Promise
    widget: str = "text"  # text, textarea, date, email, choice
    required: bool = True
    choices: tuple[tuple[str, Promise], ...] = ()
    channels: tuple[str, ...] = ()  # electronic: only for these channels
    when: When | None = None

    def applies(self, channel: str, details: Mapping[str, str]) -> bool:
        if self.channels and channel not in self.channels:
            return False
        return self.when is None or self.when.holds(details)


@dataclass(frozen=True)
class Proof:
    """At least one of: an attachment of ``kinds``, a linked AV record (of ``av_kinds``),
    a final 送达回证 (``signed_receipt``), or a value in the detail ``or_field``."""

    key: str  # where its error shows
    message: Promise
    kinds: tuple[str, ...] = ()
    av_kinds: tuple[str, ...] = ()
    signed_receipt: bool = False
    or_field: str = ""
    when: When | None = None


@dataclass(frozen=True)
class ModeRules:
    mode: ServiceMode
    # What ``served_at`` means for this mode, e.g. the time posted or published.
    time_label: Promise
    fields: tuple[DetailField, ...] = ()
    proofs: tuple[Proof, ...] = ()
    needs_address: bool = False
    attachment_kinds: tuple[str, ...] = ()  # the uploads the form offers
    takes_receipt: bool = False  # the form offers the case's signed 送达回证

    @property
    def label(self) -> str:
        return str(self.mode.label)

    def field(self, name: str) -> DetailField | None:
        return next((f for f in self.fields if f.name == name), None)


RECEIVED, RETURNED = "received", "returned"
_RECEIPT_PROOF = Proof(
    key="receipt",
    message=gettext_lazy(
        "Attach the service receipt signed by the recipient: choose the signed 送达回证 or "
        "upload a scan of it."
    ),
    kinds=("receipt",),
    signed_receipt=True,
)

MODES: dict[str, ModeRules] = {
    ServiceMode.DIRECT: ModeRules(
        mode=ServiceMode.DIRECT,
        time_label=gettext_lazy("Time of service"),
        proofs=(_RECEIPT_PROOF,),
        attachment_kinds=("receipt",),
        takes_receipt=True,
    ),
    ServiceMode.LEAVING: ModeRules(
        mode=ServiceMode.LEAVING,
        time_label=gettext_lazy("Time the document was left"),
        fields=(
            DetailField("circumstances", gettext_lazy("Circumstances of the refusal"), "textarea"),
            DetailField("witness", gettext_lazy("Witness"), required=False),
            DetailField("witness_org", gettext_lazy("Witness's organisation"), required=False),
        ),
        proofs=(
            Proof(
                key="witness",
                message=gettext_lazy(
                    "Service by leaving needs a witness or photos or video of the service "
                    "(Civil Procedure Law Art. 89): name the witness or attach them."
                ),
                kinds=("photo", "video"),
                av_kinds=PICTURE_AV_KINDS,
                or_field="witness",
            ),
        ),
        needs_address=True,
        attachment_kinds=("photo", "video", "receipt"),
        takes_receipt=True,
    ),
    ServiceMode.POST: ModeRules(
        mode=ServiceMode.POST,
        time_label=gettext_lazy("Time posted"),
        fields=(
            DetailField("tracking_number", gettext_lazy("Tracking number")),
            DetailField(
                "outcome",
                gettext_lazy("Outcome"),
                "choice",
                choices=(
                    (RECEIVED, gettext_lazy("Return receipt received")),
                    (RETURNED, gettext_lazy("Returned by the post office")),
                ),
            ),
            DetailField(
                "receipt_date",
                gettext_lazy("Date signed for on the return receipt"),
                "date",
                when=When("outcome", RECEIVED),
            ),
            DetailField(
                "return_reason",
                gettext_lazy("Reason given by the post office"),
                "textarea",
                when=When("outcome", RETURNED),
            ),
        ),
        proofs=(
            Proof(
                key="return_receipt",
                message=gettext_lazy("Attach the return receipt."),
                kinds=("return_receipt",),
                when=When("outcome", RECEIVED),
            ),
        ),
        needs_address=True,
        attachment_kinds=("posting_slip", "return_receipt"),
    ),
    ServiceMode.ELECTRONIC: ModeRules(
        mode=ServiceMode.ELECTRONIC,
        time_label=gettext_lazy("Time sent or downloaded"),
        fields=(
            DetailField(
                "fax_number", gettext_lazy("Fax number"), channels=(ElectronicChannel.FAX,)
            ),
            DetailField(
                "email",
                gettext_lazy("E-mail address"),
                "email",
                channels=(ElectronicChannel.EMAIL,),
            ),
        ),
        proofs=(
            Proof(
                key="proof",
                message=gettext_lazy(
                    "Attach proof of the electronic service: an electronic receipt, a "
                    "screenshot, a call recording, an SMS record or a screen recording."
                ),
                kinds=(
                    "electronic_receipt",
                    "screenshot",
                    "call_recording",
                    "sms_record",
                    "screen_recording",
                ),
                av_kinds=("video", "audio", "photo"),
            ),
        ),
        attachment_kinds=(
            "electronic_receipt",
            "screenshot",
            "call_recording",
            "sms_record",
            "screen_recording",
        ),
    ),
    ServiceMode.ENTRUSTED: ModeRules(
        mode=ServiceMode.ENTRUSTED,
        time_label=gettext_lazy("Time of service"),
        fields=(DetailField("agent", gettext_lazy("Entrusted agency or person")),),
        proofs=(
            Proof(
                key="entrustment_letter",
                message=gettext_lazy("Attach the entrustment letter."),
                kinds=("entrustment_letter",),
            ),
            _RECEIPT_PROOF,
        ),
        attachment_kinds=("entrustment_letter", "receipt"),
        takes_receipt=True,
    ),
    ServiceMode.PUBLIC_NOTICE: ModeRules(
        mode=ServiceMode.PUBLIC_NOTICE,
        time_label=gettext_lazy("Time of publication"),
        fields=(
            DetailField("reason", gettext_lazy("Reason for service by public notice"), "textarea"),
            DetailField("method", gettext_lazy("Where and how the notice was published")),
            DetailField("process", gettext_lazy("Process of the public notice"), "textarea"),
        ),
        proofs=(
            Proof(
                key="notice_original",
                message=gettext_lazy("Attach the original of the public notice."),
                kinds=("notice_original",),
            ),
            Proof(
                key="posting_photo",
                message=gettext_lazy(
                    "Attach photos or video of the notice posted at the recipient's residence."
                ),
                kinds=("posting_photo",),
                av_kinds=PICTURE_AV_KINDS,
            ),
        ),
        attachment_kinds=("notice_original", "posting_photo"),
    ),
}

# R10.1: why an enforcement decision has no electronic service, on the page and in refusals.
DECISION_NOT_ELECTRONIC = gettext_lazy(
    "An enforcement decision (行政执法决定书) is not served by self-download on the government "
    "service portal, fax or e-mail: serve it directly, by leaving, by post, by entrustment or "
    "by public notice (basis: the recording regulation, Art. 10(4))."
)
CONSENT_NEEDED = gettext_lazy(
    "Electronic service (self-download on the government service portal, fax or e-mail) needs "
    "the recipient's consent (basis: Administrative Penalty Law Art. 61(2); Civil Procedure "
    "Law Art. 90): record the consent first."
)

# What ``served_at`` means for an electronic service, by channel.
CHANNEL_TIME_LABELS: dict[str, Promise] = {
    ElectronicChannel.PORTAL: gettext_lazy("Time downloaded"),
    ElectronicChannel.FAX: gettext_lazy("Time sent"),
    ElectronicChannel.EMAIL: gettext_lazy("Time sent"),
}


@dataclass(frozen=True)
class ServiceInput:
    """What a service record says, entered or stored: the rules judge both alike."""

    issued: Any  # documents.IssuedDocument
    mode: str
    channel: str = ""
    recipient: str = ""
    address: str = ""
    served_at: dt.datetime | None = None
    details: Mapping[str, str] | None = None
    attachment_kinds: Sequence[str] = ()
    av_kinds: Sequence[str] = ()  # the kinds of the linked AV records
    receipt: Any = None  # documents.IssuedDocument of the 送达回证
    consent: Any = None  # delivery.ServiceConsent

    @classmethod
    def of_record(cls, record: Any) -> ServiceInput:
        attachments = list(record.attachments.all())
        return cls(
            issued=record.issued,
            mode=record.mode,
            channel=record.channel,
            recipient=record.recipient,
            address=record.address,
            served_at=record.served_at,
            details=record.details or {},
            attachment_kinds=[a.kind for a in attachments if a.blob_id],
            av_kinds=[a.av_record.kind for a in attachments if a.av_record_id],
            receipt=record.receipt,
            consent=record.consent,
        )


Errors = dict[str, list[str]]


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def clean_details(rules: ModeRules, channel: str, raw: Mapping[str, Any]) -> tuple[dict, Errors]:
    """The mode's details from ``raw`` (strings, stripped; dates ISO); others dropped."""
    details: dict[str, str] = {}
    errors: Errors = {}
    for spec in rules.fields:
        value = str(raw.get(spec.name) or "").strip()
        if spec.widget == "date" and value:
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                _add(errors, spec.name, _("Enter a valid date."))
        if spec.widget == "choice" and value and value not in dict(spec.choices):
            _add(errors, spec.name, _("Choose one of the options."))
        if spec.widget == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                _add(errors, spec.name, _("Enter a valid e-mail address."))
        if value:
            details[spec.name] = value
    kept = {
        name: value
        for name, value in details.items()
        if (known := rules.field(name)) is not None and known.applies(channel, details)
    }
    return kept, errors


def _satisfied(proof: Proof, inp: ServiceInput, details: Mapping[str, str]) -> bool:
    if any(kind in proof.kinds for kind in inp.attachment_kinds):
        return True
    if proof.av_kinds and any(kind in proof.av_kinds for kind in inp.av_kinds):
        return True
    if proof.signed_receipt and inp.receipt is not None:
        return True
    return bool(proof.or_field and details.get(proof.or_field))


def _receipt_errors(inp: ServiceInput) -> Errors:
    """A chosen 送达回证 must be of this case, signed (final) and say this mode."""
    receipt = inp.receipt
    if receipt is None:
        return {}
    if (
        catalog.rules_of(receipt).receipt_role != ReceiptRole.SERVICE_RECEIPT
        or receipt.case_id != inp.issued.case_id
    ):
        return {"receipt": [_("Choose a service receipt (送达回证) of this case.")]}
    # Asked afresh: a receipt object loaded before it was signed caches "no finalisation".
    if not Finalisation.objects.filter(issued_id=receipt.pk).exists():
        return {
            "receipt": [
                _(
                    "The service receipt is not signed yet: the recipient signs it first (basis: "
                    "the recording rules, Art. 9)."
                )
            ]
        }
    noted = str((receipt.data or {}).get("mode", ""))
    if noted and noted != RECEIPT_MODE_TEXT.get(inp.mode):
        return {
            "receipt": [
                _("The service receipt records the mode %(noted)s, not %(mode)s.")
                % {"noted": noted, "mode": RECEIPT_MODE_TEXT.get(inp.mode, inp.mode)}
            ]
        }
    return {}


def _electronic_errors(inp: ServiceInput) -> Errors:
    if electronic_barred(inp.issued):
        # Whatever the party agreed and whichever channel: nothing else to say.
        return {"mode": [str(DECISION_NOT_ELECTRONIC)]}
    errors: Errors = {}
    channel = inp.channel
    if channel not in ElectronicChannel.values:
        _add(errors, "channel", _("Choose the channel: portal, fax or e-mail."))
        return errors
    if channel in CONSENT_CHANNELS:
        consent = inp.consent
        if consent is None or consent.case_id != inp.issued.case_id:
            _add(errors, "consent", str(CONSENT_NEEDED))
        elif channel not in consent.channels:
            _add(
                errors,
                "consent",
                _("The party's consent does not cover service by %(channel)s.")
                % {"channel": ElectronicChannel(channel).label},
            )
    return errors


def electronic_barred(issued: IssuedDocument) -> bool:
    """R10.1, regulation Art. 10(四): ``issued`` is an enforcement decision 行政执法决定书
    (``FormSpec.enforcement_decision``), or the written correction 补正 of one, which
    changes the decision's text — never served by portal self-download, fax or e-mail,
    whatever consent the party gave."""
    if catalog.rules_of(issued).enforcement_decision:
        return True
    corrected = issued.corrects
    return corrected is not None and catalog.rules_of(corrected).enforcement_decision


def receipts_of(issued: IssuedDocument) -> QuerySet[IssuedDocument]:
    """The service receipts 送达回证 issued for ``issued``, signed or not."""
    return IssuedDocument.objects.filter(
        serves=issued, form_code__in=_codes_of(ReceiptRole.SERVICE_RECEIPT)
    ).order_by("-issued_at", "-id")


def signed_receipts(issued: IssuedDocument) -> QuerySet[IssuedDocument]:
    """The service receipts of ``issued`` that are final: signed by the recipient or their
    refusal recorded on AV (R9.1, R9.2)."""
    return receipts_of(issued).filter(finalisation__isnull=False)


def receipt_form_code() -> str:
    """The form a receipt is drafted on: the national 送达回证 first, else a bureau form
    of that role ("" when none)."""
    codes = _codes_of(ReceiptRole.SERVICE_RECEIPT)
    return min(codes, key=lambda code: catalog.get(code).national is False, default="")


def receipt_drafts_of(issued: IssuedDocument) -> QuerySet[Document]:
    """The receipts of ``issued`` still being drafted."""
    return Document.objects.filter(
        serves=issued,
        form_code__in=_codes_of(ReceiptRole.SERVICE_RECEIPT),
        status__in=(DocumentStatus.DRAFT, DocumentStatus.APPROVED),
    ).order_by("-created_at", "-id")


def address_confirmations(case: Case) -> QuerySet[IssuedDocument]:
    """The case's address confirmations 送达地址确认书 (consent to electronic service)."""
    return IssuedDocument.objects.filter(
        case=case, form_code__in=_codes_of(ReceiptRole.ADDRESS_CONFIRMATION)
    ).order_by("-issued_at", "-id")


def _codes_of(role: ReceiptRole) -> tuple[str, ...]:
    return catalog.codes_where(lambda spec: spec.receipt_role == role)


def _date_or_none(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def mode_errors(inp: ServiceInput) -> Errors:
    """What the mode's rules find missing or wrong in ``inp`` (empty: valid)."""
    rules = MODES.get(inp.mode)
    if rules is None:
        return {"mode": [_("Choose the mode of service.")]}
    details = dict(inp.details or {})
    errors: Errors = {}
    if not inp.recipient.strip():
        _add(errors, "recipient", _("Enter the recipient."))
    if rules.needs_address and not inp.address.strip():
        _add(errors, "address", _("Enter the address where the document was served."))
    if inp.served_at is None:
        _add(errors, "served_at", _("Enter the time of service."))
    if inp.mode == ServiceMode.ELECTRONIC:
        barred = _electronic_errors(inp)
        errors.update(barred)
        if "mode" in barred:  # the channel's fields and proofs do not matter then
            return errors
    for spec in rules.fields:
        if spec.required and spec.applies(inp.channel, details) and not details.get(spec.name):
            _add(errors, spec.name, _("Enter the %(field)s.") % {"field": spec.label})
    for proof in rules.proofs:
        if proof.when is not None and not proof.when.holds(details):
            continue
        if not _satisfied(proof, inp, details):
            _add(errors, proof.key, str(proof.message))
    for key, messages in _receipt_errors(inp).items():
        errors.setdefault(key, []).extend(messages)
    received = _date_or_none(details.get("receipt_date", ""))
    posted = inp.served_at
    if inp.mode == ServiceMode.POST and posted and received and received < _local_date(posted):
        _add(errors, "receipt_date", _("The return receipt cannot be dated before posting."))
    return errors


def served_on(inp: ServiceInput) -> dt.date | None:
    """The day service takes effect; None when it did not (a post returned)."""
    assert inp.served_at is not None
    details = inp.details or {}
    if inp.mode == ServiceMode.POST:
        # 民事诉讼法 Art. 87: the date signed for on the return receipt.
        if details.get("outcome") != RECEIVED:
            return None
        return _date_or_none(details.get("receipt_date", ""))
    if inp.mode == ServiceMode.PUBLIC_NOTICE:
        # Art. 95: effective when the notice period (30 days) after publication has passed.
        return calendar.deadline(_local_date(inp.served_at), "public_notice_service").due
    return _local_date(inp.served_at)


def validate(inp: ServiceInput) -> dt.date | None:
    """Raise ValidationError (field → messages) unless ``inp`` is a valid record of its
    mode; return the day service takes effect."""
    errors = mode_errors(inp)
    if errors:
        raise ValidationError(errors)
    return served_on(inp)


def time_label(mode: str, channel: str = "") -> str:
    if mode == ServiceMode.ELECTRONIC and channel in CHANNEL_TIME_LABELS:
        return str(CHANNEL_TIME_LABELS[channel])
    rules = MODES.get(mode)
    return str(rules.time_label) if rules is not None else str(gettext_lazy("Time of service"))
