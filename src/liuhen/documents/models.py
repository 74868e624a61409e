"""Text records 文书 (R6.1, R7.1, R9, R18.2).

A document is worked on as a :class:`Document` (a draft, mutable until issued). Issuing
writes an :class:`IssuedDocument` — write-once, with its 文号, the values as printed and
the PDF as a :class:`DocumentFile` in the blob store. Whatever happens to an issued
document afterwards is a new write-once row beside it: a party's signature, a refusal
backed by AV (R9.2), the signed version's file, the finalisation, a new version that
replaces it before service, a written correction 补正 after service.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core.field_groups import Created, Recorded
from liuhen.documents.spec import FieldType, Kind


class KindChoices(models.TextChoices):
    INTERNAL = Kind.INTERNAL.value, _("Internal approval form")
    SERVED = Kind.SERVED.value, _("Served on the party")
    RECORD = Kind.RECORD.value, _("Record kept in the file")


class FieldTypeChoices(models.TextChoices):
    TEXT = FieldType.TEXT.value, _("One line of text")
    TEXTAREA = FieldType.TEXTAREA.value, _("Paragraphs")
    DATE = FieldType.DATE.value, _("Date")
    DATETIME = FieldType.DATETIME.value, _("Date and time")
    INTEGER = FieldType.INTEGER.value, _("Whole number")
    MONEY = FieldType.MONEY.value, _("Amount in yuan")
    CHOICE = FieldType.CHOICE.value, _("One of a list")
    ITEMS = FieldType.ITEMS.value, _("Table of items")


class FormDefinition(Created):
    """A bureau's own form, added by the system administrator without code (R6.1).

    The national forms live in ``documents/catalog/data.py``; both reach the rest of the
    code as a :class:`~liuhen.documents.spec.FormSpec` through ``documents.catalog``.
    """

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=3, choices=KindChoices.choices)
    number_kind = models.CharField(_("number kind"), max_length=10, blank=True)
    stage = models.CharField(_("stage"), max_length=20, blank=True)
    activity_types = models.JSONField(_("activity types"), default=list, blank=True)
    # [{"name", "label", "type", "required", "prefill", "choices"}] — see spec.FieldSpec.
    fields = models.JSONField(_("fields"), default=list)
    signature = models.BooleanField(_("party signs"), default=False)
    signers = models.JSONField(_("signature lines"), default=list, blank=True)
    paginated = models.BooleanField(_("page numbers"), default=False)
    sealed = models.BooleanField(_("sealed"), default=False)
    approval_step = models.CharField(_("approval step"), max_length=30, blank=True)
    # R10.1, regulation Art. 10(四): an enforcement decision 行政执法决定书, never served
    # electronically (``FormSpec.enforcement_decision``).
    enforcement_decision = models.BooleanField(_("enforcement decision"), default=False)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bureau form")
        verbose_name_plural = _("bureau forms")
        ordering = ["title", "code"]

    def __str__(self) -> str:
        return self.title


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    DISCARDED = "discarded", _("Discarded")


class Document(Created):
    """A document being drafted for a case: its form, the values typed so far, its status.

    Mutable until issued (a draft is not yet a record); issuing freezes the values into an
    :class:`IssuedDocument`. ``supersedes`` is set when the draft remakes an issued document
    that was not yet served; ``corrects`` when it is a written correction 补正 of a served one.
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents"
    )
    form_code = models.SlugField(_("form"), max_length=64)
    title = models.CharField(_("title"), max_length=100)
    data = models.JSONField(_("values"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    approval = models.OneToOneField(
        "cases.ApprovalRequest",
        verbose_name=_("approval request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="document",
    )
    supersedes = models.ForeignKey(
        "IssuedDocument",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remakes",
    )
    corrects = models.ForeignKey(
        "IssuedDocument",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction_drafts",
    )
    # A service receipt 送达回证 names the document it serves (R10.1): the service form
    # offers exactly that document's receipts.
    serves = models.ForeignKey(
        "IssuedDocument",
        verbose_name=_("document served"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipt_drafts",
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("document draft")
        verbose_name_plural = _("document drafts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "status"], name="document_case_status")]

    def __str__(self) -> str:
        return f"{self.title} · {self.status}"


class Origin(models.TextChoices):
    GENERATED = "generated", _("Generated from the template")
    PAPER = "paper", _("Scanned paper record")


def new_verify_code() -> str:
    # Public, unguessable: the verification QR links to /verify/<code>/ (no login).
    return secrets.token_urlsafe(12)


class IssuedDocument(models.Model):
    """An issued document (write-once): the values as printed, its 文号, who issued it."""

    document = models.ForeignKey(
        Document,
        verbose_name=_("document draft"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="issued"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="+"
    )
    form_code = models.SlugField(_("form"), max_length=64)
    title = models.CharField(_("title"), max_length=100)
    number = models.CharField(_("document number"), max_length=60, blank=True, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    data = models.JSONField(_("values"), default=dict, blank=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.GENERATED
    )
    # Snapshots at issue of what the rules said, so later rule changes don't rewrite history.
    needs_signature = models.BooleanField(_("needs the party's signature"), default=False)
    served = models.BooleanField(_("served on the party"), default=False)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    serves = models.ForeignKey(
        "self",
        verbose_name=_("document served"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
    )
    # The form as it was at issue (title, fields, signers, flags) and the approval whose
    # opinions it printed: a signed version re-rendered later must print the same form, even
    # after an administrator changes a bureau form.
    form = models.JSONField(_("form as issued"), default=dict, blank=True)
    approval = models.ForeignKey(
        "cases.ApprovalRequest",
        verbose_name=_("approval request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verify_code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=new_verify_code
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["case", "form_code"], name="issued_case_form")]
        constraints = [
            # One new version per issued document: two remakes may not both replace it.
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=models.Q(supersedes__isnull=False),
                name="issued_superseded_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()


class FilePurpose(models.TextChoices):
    ISSUED = "issued", _("As issued")
    SIGNED = "signed", _("Signed by the party")
    SCAN = "scan", _("Scan of the paper record")


class DocumentFile(Created):
    """A PDF (or scan) of an issued document in the blob store (write-once)."""

    issued = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("issued document"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=FilePurpose.choices)
    blob = models.ForeignKey(
        "core.Blob", verbose_name=_("stored file"), on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.CharField(_("content type"), max_length=100)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    sealed = models.BooleanField(_("sealed"), default=False)

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        ordering = ["issued", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issued", "purpose"], name="document_file_once"),
        ]

    def __str__(self) -> str:
        return f"{self.issued_id} · {self.purpose}"


class PartySignature(models.Model):
    """A party's (or witness's) check and signature (R9.1): opinion, name, date, strokes."""

    issued = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("issued document"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    role = models.CharField(_("signs as"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    opinion = models.TextField(_("opinion"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    image = models.ForeignKey(
        "core.Blob",
        verbose_name=_("signature image"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("party signature")
        verbose_name_plural = _("party signatures")
        ordering = ["issued", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issued", "role"], name="signature_once_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.issued_id} · {self.role} · {self.name}"


class SignatureEnrolment(models.Model):
    """An officer's personal signature image, enrolled on the officer's own account page and
    put on the officer's lines with the password re-entered each time. Write-once: a new
    enrolment supersedes the officer's earlier ones, which are kept (the signatures made
    with them point to them)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    image = models.ForeignKey(
        "core.Blob",
        verbose_name=_("signature image"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)

    class Meta:
        verbose_name = _("enrolled signature")
        verbose_name_plural = _("enrolled signatures")
        ordering = ["officer", "-enrolled_at", "-id"]

    def __str__(self) -> str:
        return f"{self.officer_id} · {self.enrolled_at:%Y-%m-%d %H:%M}"


class OfficerSignature(models.Model):
    """An officer's signature on a line of the officer's own (执法人员, 询问人, 记录人 …):
    drawn on the pad in the officer's own session, or the enrolled image confirmed with the
    password. Write-once."""

    class Method(models.TextChoices):
        PAD = "pad", _("Signed on the pad")
        ENROLLED = "enrolled", _("Enrolled signature, confirmed with the password")

    issued = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("issued document"),
        on_delete=models.PROTECT,
        related_name="officer_signatures",
    )
    role = models.CharField(_("signs as"), max_length=30)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    image = models.ForeignKey(
        "core.Blob",
        verbose_name=_("signature image"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    enrolment = models.ForeignKey(
        SignatureEnrolment,
        verbose_name=_("enrolled signature"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("officer signature")
        verbose_name_plural = _("officer signatures")
        ordering = ["issued", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issued", "role", "officer"], name="officer_signature_once_per_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issued_id} · {self.role} · {self.name}"


class SignatureRefusal(Recorded):
    """The party refused to sign (R9.2): what was refused, the circumstances, and the AV
    records made at that time (at least one, :class:`RefusalRecording`)."""

    issued = models.ForeignKey(
        IssuedDocument,
        verbose_name=_("issued document"),
        on_delete=models.PROTECT,
        related_name="refusals",
    )
    role = models.CharField(_("signs as"), max_length=30)
    refused = models.TextField(_("what was refused"))
    circumstances = models.TextField(_("circumstances"))
    refused_at = models.DateTimeField(_("refused at"))

    class Meta:
        verbose_name = _("refusal to sign")
        verbose_name_plural = _("refusals to sign")
        ordering = ["issued", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issued", "role"], name="refusal_once_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.issued_id} · {self.role}"


class RefusalRecording(models.Model):
    """An AV record that shows the refusal (R9.2). Write-once."""

    refusal = models.ForeignKey(
        SignatureRefusal,
        verbose_name=_("refusal to sign"),
        on_delete=models.PROTECT,
        related_name="recordings",
    )
    record = models.ForeignKey(
        "media.AvRecord",
        verbose_name=_("AV record"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("AV record of a refusal")
        verbose_name_plural = _("AV records of refusals")
        constraints = [
            models.UniqueConstraint(fields=["refusal", "record"], name="refusal_record_once"),
        ]

    def __str__(self) -> str:
        return f"{self.refusal_id} · {self.record_id}"


class Finalisation(models.Model):
    """A document needing the party's signature made final (R9.2): signed, or refused with
    AV. Write-once; its file is the signed version."""

    class How(models.TextChoices):
        SIGNED = "signed", _("Signed")
        REFUSED = "refused", _("Refused, recorded on AV")

    issued = models.OneToOneField(
        IssuedDocument,
        verbose_name=_("issued document"),
        on_delete=models.PROTECT,
        related_name="finalisation",
    )
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    file = models.ForeignKey(
        DocumentFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("finalised at"), default=timezone.now)

    class Meta:
        verbose_name = _("finalisation")
        verbose_name_plural = _("finalisations")

    def __str__(self) -> str:
        return f"{self.issued_id} · {self.how}"


class SealCertificate(models.Model):
    """The bureau's seal certificate (R18.2), a PKCS#12 set by the security administrator.

    The PKCS#12 and its passphrase are kept encrypted (``subjects.crypto``); the newest
    active row seals. ``ca_pem`` is the trust root the verification page validates against.
    """

    name = models.CharField(_("name"), max_length=200)
    p12_encrypted = models.TextField(_("PKCS#12 (encrypted)"))
    passphrase_encrypted = models.TextField(_("passphrase (encrypted)"), blank=True)
    image = models.ForeignKey(
        "core.Blob",
        verbose_name=_("seal image"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("certificate subject"), max_length=300)
    serial = models.CharField(_("serial number"), max_length=80)
    not_after = models.DateTimeField(_("valid until"))
    ca_pem = models.TextField(_("trust root (PEM)"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("seal certificate")
        verbose_name_plural = _("seal certificates")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.name
