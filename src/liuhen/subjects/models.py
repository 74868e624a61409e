"""Enforcement subjects 执法对象 (R18.3) and their part in cases.

One record per subject, shared by every case about it, so all its records can be shown
together. A resident id number is never stored in clear (R18.5): see ``crypto``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liuhen.core.confidentiality import Confidentiality
from liuhen.subjects import crypto
from liuhen.subjects.identifiers import mask_resident_id


class SubjectKind(models.TextChoices):
    UNIT = "unit", pgettext_lazy("subject kind", "Unit")
    PERSON = "person", _("Person")
    VEHICLE = "vehicle", _("Vehicle (vessel)")
    PROJECT = "project", _("Project")


# The kinds that are owned by another subject, and the kinds that own them.
OWNED_KINDS = (SubjectKind.VEHICLE, SubjectKind.PROJECT)
OWNER_KINDS = (SubjectKind.UNIT, SubjectKind.PERSON)


class PartyRole(models.TextChoices):
    PARTY = "party", _("Party")
    INTERESTED = "interested", _("Interested party")


def _live_unique(field: str) -> models.UniqueConstraint:
    # One live record per identifier; a merged record keeps its value for the history.
    return models.UniqueConstraint(
        fields=[field],
        condition=Q(merged_into__isnull=True) & ~Q(**{field: ""}),
        name=f"subject_live_unique_{field}",
    )


class Subject(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    resident_id_encrypted = models.TextField(_("resident id number (encrypted)"), blank=True)
    resident_id_index = models.CharField(
        _("resident id number (blind index)"), max_length=64, blank=True
    )
    plate = models.CharField(_("plate or registration number"), max_length=40, blank=True)
    project_code = models.CharField(_("project code"), max_length=60, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.ORDINARY,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
    )
    # A vehicle, vessel or project belongs to a unit or person: the records of a boat and
    # of its owner meet on each other's page.
    owner = models.ForeignKey(
        "self",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned",
    )

    class Meta:
        verbose_name = _("enforcement subject")
        verbose_name_plural = _("enforcement subjects")
        ordering = ["-created_at", "-id"]
        constraints = [
            _live_unique("uscc"),
            _live_unique("resident_id_index"),
            _live_unique("plate"),
            _live_unique("project_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_resident_id(self) -> bool:
        return bool(self.resident_id_encrypted)

    def resident_id(self) -> str:
        """The number in clear. Callers check ``subject.view_identifier`` first."""
        return crypto.decrypt(self.resident_id_encrypted) if self.resident_id_encrypted else ""

    def resident_id_masked(self) -> str:
        if not self.resident_id_encrypted:
            return ""
        try:
            return mask_resident_id(self.resident_id())
        except crypto.UndecryptableIdentifier:
            return "******************"

    @property
    def identifier_label(self) -> str:
        """The kind's identifier for lists (masked for persons)."""
        if self.kind == SubjectKind.UNIT:
            return self.uscc
        if self.kind == SubjectKind.PERSON:
            return self.resident_id_masked()
        if self.kind == SubjectKind.VEHICLE:
            return self.plate
        return self.project_code


class CaseParty(models.Model):
    """A subject's part in a case: party 当事人 or interested party 利害关系人."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="parties"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="case_links"
    )
    role = models.CharField(
        _("role in the case"), max_length=12, choices=PartyRole.choices, default=PartyRole.PARTY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("case party")
        verbose_name_plural = _("case parties")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "subject"], name="case_party_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.subject_id} · {self.role}"


# --- licences and permits (R18.3) and what the government data exchange gave (R20) ---


class LicenceType(models.Model):
    """A kind of licence or permit the bureau records (configurable; seeded by migration)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("licence type")
        verbose_name_plural = _("licence types")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class LicenceStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("licence status", "Valid")
    SUSPENDED = "suspended", pgettext_lazy("licence status", "Suspended")
    REVOKED = "revoked", pgettext_lazy("licence status", "Revoked")
    EXPIRED = "expired", pgettext_lazy("licence status", "Expired")
    CANCELLED = "cancelled", pgettext_lazy("licence status", "Cancelled")


class LicenceOrigin(models.TextChoices):
    HAND = "hand", _("Entered by an officer")
    EXCHANGE = "exchange", _("Government data exchange")


class ExchangeRecord(models.Model):
    """One item the government data exchange answered, kept as third-party material with
    its provenance (R20). Write-once: database triggers reject UPDATE and DELETE; the same
    answer (source and digest) fetched again for the subject is kept once."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=100)
    query = models.CharField(_("query"), max_length=200)
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now)
    fetched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fetched by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payload = models.TextField(_("payload as received"))
    payload_sha256 = models.CharField(_("payload SHA-256"), max_length=64)
    signature = models.CharField(_("signature of the exchange"), max_length=200, blank=True)
    signature_valid = models.BooleanField(_("signature verified"), default=False)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    blob = models.ForeignKey(
        "core.Blob",
        verbose_name=_("electronic file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("data exchange record")
        verbose_name_plural = _("data exchange records")
        ordering = ["-fetched_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "source", "payload_sha256"], name="exchange_record_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.query}"


class Licence(models.Model):
    """A licence or permit the subject holds, entered by an officer or from the exchange.

    A licence from the exchange points to the record it came from; it never replaces one
    an officer entered (both are kept and shown)."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="licences"
    )
    licence_type = models.ForeignKey(
        LicenceType,
        verbose_name=_("licence type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    type_name = models.CharField(_("licence type as given"), max_length=60, blank=True)
    number = models.CharField(_("licence number"), max_length=60)
    issuer = models.CharField(_("issuing authority"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    scope = models.CharField(_("licensed scope"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=LicenceOrigin.choices, default=LicenceOrigin.HAND
    )
    exchange_record = models.OneToOneField(
        ExchangeRecord,
        verbose_name=_("data exchange record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licence",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["licence_type__order", "number", "id"]

    def __str__(self) -> str:
        return f"{self.type_label} {self.number}"

    @property
    def type_label(self) -> str:
        return self.licence_type.name if self.licence_type is not None else self.type_name


class SubjectLookup(models.Model):
    """What the government data exchange has registered for a credit code or resident id
    number (R20): the registered name, legal representative and address, kept as
    third-party material with its provenance. Write-once, and never copied into the
    subject by itself: the officer reads it beside what they entered and chooses.

    Asked from the new-subject form it belongs to no subject yet (``subject`` empty); the
    same answer for the same subject (or the same query) is kept once."""

    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_lookups",
    )
    source = models.CharField(_("source"), max_length=100)
    query = models.CharField(_("query"), max_length=200)
    fetched_at = models.DateTimeField(_("fetched at"), default=timezone.now)
    fetched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fetched by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    found = models.BooleanField(_("registered with the exchange"), default=False)
    payload = models.TextField(_("payload as received"), blank=True)
    payload_sha256 = models.CharField(_("payload SHA-256"), max_length=64)
    signature = models.CharField(_("signature of the exchange"), max_length=200, blank=True)
    signature_valid = models.BooleanField(_("signature verified"), default=False)
    # The registered facts, as the exchange gave them (also inside ``payload``).
    name = models.CharField(_("registered name"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    address = models.CharField(_("registered address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("data exchange lookup")
        verbose_name_plural = _("data exchange lookups")
        ordering = ["-fetched_at", "-id"]
        indexes = [models.Index(fields=["subject", "-fetched_at"], name="subject_lookup_newest")]

    def __str__(self) -> str:
        return f"{self.source} · {self.query}"
