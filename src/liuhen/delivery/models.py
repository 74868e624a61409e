"""Service of documents 送达 (R10.1, R10.2) and payment of fines (R11.1).

Every row here is write-once but the payment notice's daily surcharge figure: a service
record is made once, with its proof attached; a payment is a gateway's signed callback as
received; reconsideration or litigation that pauses the surcharge is a start row and an
end row.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import ApprovedRequest
from liuhen.core.field_groups import Recorded


class ServiceMode(models.TextChoices):
    """R10.1: the six modes of service."""

    DIRECT = "direct", _("Direct service")
    LEAVING = "leaving", _("Service by leaving")
    POST = "post", _("Service by post")
    ELECTRONIC = "electronic", _("Electronic service")
    ENTRUSTED = "entrusted", _("Entrusted service")
    PUBLIC_NOTICE = "public_notice", _("Service by public notice")


class ElectronicChannel(models.TextChoices):
    PORTAL = "portal", _("Self-download on the government service portal")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")


class ServiceConsent(Recorded):
    """The party's consent to electronic service and its addresses (民事诉讼法 Art. 90,
    行政处罚法 Art. 61(2)), usually on a 送达地址确认书; every channel, the portal's
    self-download included, needs it. Write-once."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="service_consents",
    )
    party_name = models.CharField(_("party"), max_length=200)
    channels = models.JSONField(_("agreed channels"), default=list)
    fax_number = models.CharField(_("fax number"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.CharField(_("address for service"), max_length=300, blank=True)
    consented_on = models.DateField(_("consented on"))
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("address confirmation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent to electronic service")
        verbose_name_plural = _("consents to electronic service")
        ordering = ["-consented_on", "-id"]

    def __str__(self) -> str:
        return f"{self.party_name} · {', '.join(self.channels)}"


class ServiceRecord(Recorded):
    """How one issued document was served, with the mode's proof (R10.1). Write-once.

    ``served_on`` is the day service took effect: the receipt's date (民事诉讼法 Art. 87),
    or for a public notice the day ``public_notice_service`` days after publication (Art. 95).
    ``details`` holds the mode's own fields (``delivery/modes.py`` says which).
    """

    issued = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("document served"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="services"
    )
    mode = models.CharField(_("mode of service"), max_length=20, choices=ServiceMode.choices)
    channel = models.CharField(
        _("electronic channel"), max_length=10, choices=ElectronicChannel.choices, blank=True
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    served_at = models.DateTimeField(_("served at"))
    # None: the attempt failed (a post returned by the post office) — not served.
    served_on = models.DateField(_("service takes effect on"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    consent = models.ForeignKey(
        ServiceConsent,
        verbose_name=_("consent to electronic service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
    )
    receipt = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("service receipt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipt_for",
    )

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_at", "-id"]
        indexes = [models.Index(fields=["-served_at", "-id"], name="service_register_order")]

    def __str__(self) -> str:
        return f"{self.issued_id} · {self.mode}"


class ServiceAttachment(models.Model):
    """Proof attached to a service record: a file in the blob store or an AV record."""

    service = models.ForeignKey(
        ServiceRecord,
        verbose_name=_("service record"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=30)
    blob = models.ForeignKey(
        "core.Blob",
        verbose_name=_("stored file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    av_record = models.ForeignKey(
        "media.AvRecord",
        verbose_name=_("AV record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proof of service")
        verbose_name_plural = _("proofs of service")
        ordering = ["service", "id"]

    def __str__(self) -> str:
        return f"{self.service_id} · {self.kind}"


class PaymentNotice(models.Model):
    """A payment notice 缴款通知 for a penalty decision (R11.1): the number the payment QR
    carries, the amount and, for an approved instalment or deferral, its own due date.

    Written once; only ``surcharge_fen``/``surcharge_on`` are refreshed by the daily job.
    """

    decision = models.ForeignKey(
        "cases.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="payment_notices",
    )
    number = models.CharField(_("payment notice number"), max_length=40, unique=True)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    # None: due ``payment`` days after the decision is served; set for instalments/deferral.
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # The approved deferral whose instalment this is (the notice it replaces has it too).
    from_deferral = models.ForeignKey(
        "Deferral",
        verbose_name=_("deferral or instalments"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="new_notices",
    )
    surcharge_fen = models.BigIntegerField(_("late surcharge (fen)"), default=0)
    surcharge_on = models.DateField(_("surcharge computed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment notice")
        verbose_name_plural = _("payment notices")
        ordering = ["decision", "created_at", "id"]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    """A payment as the gateway's signed callback reported it (write-once)."""

    notice = models.ForeignKey(
        PaymentNotice,
        verbose_name=_("payment notice"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    paid_at = models.DateTimeField(_("paid at"))
    gateway = models.CharField(_("gateway"), max_length=40)
    transaction_id = models.CharField(_("transaction"), max_length=80, unique=True)
    raw = models.JSONField(_("callback"), default=dict)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["notice", "paid_at", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.amount_fen}"


class ProceedingKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
    LITIGATION = "litigation", _("Administrative litigation")


class RemedyProceeding(Recorded):
    """Reconsideration or litigation against the decision: the surcharge does not accrue
    while it runs (行政处罚法 Art. 73). Write-once; its end is a :class:`ProceedingEnd`."""

    decision = models.ForeignKey(
        "cases.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="proceedings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ProceedingKind.choices)
    started_on = models.DateField(_("started on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("reconsideration or litigation")
        verbose_name_plural = _("reconsiderations and litigations")
        ordering = ["decision", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id} · {self.kind} · {self.started_on}"


class ProceedingEnd(Recorded):
    proceeding = models.OneToOneField(
        RemedyProceeding,
        verbose_name=_("reconsideration or litigation"),
        on_delete=models.PROTECT,
        related_name="end",
    )
    ended_on = models.DateField(_("ended on"))
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("end of reconsideration or litigation")
        verbose_name_plural = _("ends of reconsideration or litigation")

    def __str__(self) -> str:
        return f"{self.proceeding_id} · {self.ended_on}"


class Deferral(ApprovedRequest):
    """Deferred or instalment payment 延期（分期）缴纳 (行政处罚法 Art. 66), in effect once
    its approval (step ``payment_deferral``) is granted: the notice is then replaced by one
    notice per instalment (one for a deferral)."""

    notice = models.ForeignKey(
        PaymentNotice,
        verbose_name=_("payment notice"),
        on_delete=models.PROTECT,
        related_name="deferrals",
    )
    # [{"due_on": "2026-12-31", "amount_fen": 100000}, …]; one entry for a deferral.
    instalments = models.JSONField(_("instalments"), default=list)

    class Meta(ApprovedRequest.Meta):
        verbose_name = _("deferral or instalments")
        verbose_name_plural = _("deferrals and instalments")

    def __str__(self) -> str:
        return f"{self.notice_id} · {len(self.instalments)}"


def new_query_code() -> str:
    # R19.1: ten characters from an alphabet without look-alikes (no 0/O, 1/I/L): about
    # 50 bits, typed by hand from the paper; guessing is stopped by the rate limit.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class PartyQueryCode(models.Model):
    """The query code 查询码 of one party of a case (R19.1): made when the first document
    to be served on the party is issued (or served), printed on every document served on
    the party, and asked by the portal's case query with the case number. Write-once.

    The code is kept as printed (each re-print of a signed version prints it again) and
    compared in constant time."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="query_codes",
    )
    party_name = models.CharField(_("party"), max_length=200)
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.CharField(_("query code"), max_length=20, default=new_query_code)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("case query code")
        verbose_name_plural = _("case query codes")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party_name"], name="query_code_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.party_name}"


class PushChannel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")


class PushStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class PushNotice(models.Model):
    """One attempt to tell a party by text message or e-mail that a document or a
    deadline exists and how to query it (R19.1) — a notice, never service (regulation
    Art. 10(四)). Write-once: a retry of a failed attempt is a new row pointing to it."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="push_notices",
    )
    issued = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    party_name = models.CharField(_("party"), max_length=200)
    channel = models.CharField(_("channel"), max_length=10, choices=PushChannel.choices)
    to = models.CharField(_("sent to"), max_length=254)
    text = models.TextField(_("text"))
    text_sha256 = models.CharField(_("text digest (SHA-256)"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=PushStatus.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)
    retry_of = models.OneToOneField(
        "self",
        verbose_name=_("retry of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retried_by",
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("push notice")
        verbose_name_plural = _("push notices")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.channel} · {self.status}"
