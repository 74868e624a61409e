"""The archives' records (制度第十八条): the case file 案卷 (R18.1) with its catalogue
卷内目录 of entries, the bound PDF, and the archive number 档号 with its gapless series per
year; and the archive package built for an archived case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core.field_groups import RequestWithReason, SingletonRow, Stamped


class Retention(models.TextChoices):
    """保管期限 (档案法; DA/T 22 codes Y, D30, D10 in the 档号)."""

    PERMANENT = "permanent", _("Permanent")
    YEARS_30 = "30y", _("30 years")
    YEARS_10 = "10y", _("10 years")


# The code each retention class carries in the 档号 (DA/T 22-2015).
RETENTION_CODES = {
    Retention.PERMANENT: "Y",
    Retention.YEARS_30: "D30",
    Retention.YEARS_10: "D10",
}

DEFAULT_ARCHIVE_PATTERN = "{fonds}-{year}-{retention}-{serial}"
DEFAULT_FONDS = "001"


class ArchiveNumbering(SingletonRow):
    """The 档号 pattern and the bureau's 全宗号, one row; no row means the defaults.

    Placeholders: ``{fonds}`` 全宗号, ``{year}`` 年度, ``{retention}`` 保管期限 code,
    ``{serial}`` 件号 (four digits, zero-padded).
    """

    fonds = models.CharField(_("fonds number"), max_length=20, default=DEFAULT_FONDS)
    pattern = models.CharField(
        _("archive number pattern"), max_length=120, default=DEFAULT_ARCHIVE_PATTERN
    )

    class Meta:
        verbose_name = _("archive numbering")
        verbose_name_plural = _("archive numbering")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="archive_numbering_singleton"),
        ]

    def __str__(self) -> str:
        return self.pattern


class ArchiveSeries(models.Model):
    """The last 件号 given per year: archive numbers are gapless within a year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("archive number series")
        verbose_name_plural = _("archive number series")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_serial}"


class CaseFileStatus(models.TextChoices):
    ASSEMBLED = "assembled", _("Assembled, awaiting review")
    ARCHIVED = "archived", _("Archived")


class CaseFile(models.Model):
    """One case, one file (一案一卷, 农业行政处罚程序规定): assembled from the case's records,
    reviewed and archived by the archivist."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="case_file"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseFileStatus.choices, default=CaseFileStatus.ASSEMBLED
    )
    assembled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assembled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assembled_at = models.DateTimeField(_("assembled at"), default=timezone.now)
    # 备考表: the archivist's note on the file (what is missing, what was found).
    note = models.TextField(_("archivist's note"), blank=True)
    # The retention the rule suggests and the one the archivist confirmed.
    suggested_retention = models.CharField(
        _("suggested retention"), max_length=10, choices=Retention.choices
    )
    retention = models.CharField(
        _("retention"), max_length=10, choices=Retention.choices, blank=True
    )
    archive_number = models.CharField(_("archive number"), max_length=80, blank=True)
    archive_year = models.PositiveSmallIntegerField(_("archive year"), null=True, blank=True)
    archive_serial = models.PositiveIntegerField(_("archive serial"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # The whole file bound as one sealed PDF; None while the catalogue has changed since.
    bound = models.ForeignKey(
        "core.Blob",
        verbose_name=_("bound PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bound_pages = models.PositiveIntegerField(_("pages of the bound PDF"), default=0)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["-assembled_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["archive_year", "archive_serial"],
                condition=models.Q(archive_serial__isnull=False),
                name="case_file_archive_serial_once",
            ),
        ]

    def __str__(self) -> str:
        return self.archive_number or str(self.case_id)

    @property
    def is_archived(self) -> bool:
        return self.status == CaseFileStatus.ARCHIVED


class EntryKind(models.TextChoices):
    DOCUMENT = "document", _("Issued document")
    SCAN = "scan", _("Scan of a paper record")
    AV = "av", _("AV evidence")


class CaseFileEntry(models.Model):
    """One line of the 卷内目录: a document, a scan or an AV record, in its place."""

    case_file = models.ForeignKey(
        CaseFile, verbose_name=_("case file"), on_delete=models.CASCADE, related_name="entries"
    )
    position = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    group = models.CharField(_("group"), max_length=30)
    number = models.CharField(_("document number"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    first_page = models.PositiveIntegerField(_("first page"), null=True, blank=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)
    document_file = models.ForeignKey(
        "documents.DocumentFile",
        verbose_name=_("document file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    av_record = models.ForeignKey(
        "media.AvRecord",
        verbose_name=_("AV record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # AV: its SHA-256, duration and where it lies in the archive package.
    digest = models.CharField(_("SHA-256"), max_length=64, blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    package_path = models.CharField(_("location in the package"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case file entry")
        verbose_name_plural = _("case file entries")
        ordering = ["case_file", "position"]

    def __str__(self) -> str:
        return f"{self.position} {self.title}"

    @property
    def last_page(self) -> int | None:
        if self.first_page is None or not self.pages:
            return None
        return self.first_page + self.pages - 1


class ArchivePackage(models.Model):
    """An OCFL object of an archived case, kept in the blob store as one tar (write-once).

    A case may get a new package after material is added to its file; the newest is the
    one exported. ``inventory_sha512`` is the digest OCFL's ``inventory.json.sha512``
    holds; ``manifest_sha256`` the one the log recorded at ``seal_seq``.
    """

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="archive_packages",
    )
    blob = models.ForeignKey(
        "core.Blob", verbose_name=_("stored file"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("OCFL object id"), max_length=200)
    inventory_sha512 = models.CharField(_("inventory SHA-512"), max_length=128)
    manifest_sha256 = models.CharField(_("manifest SHA-256"), max_length=64)
    seal_seq = models.PositiveBigIntegerField(_("sequence number of the seal event"))
    tree_size = models.PositiveBigIntegerField(_("size of the signed tree head"))
    item_count = models.PositiveIntegerField(_("items"))
    file_count = models.PositiveIntegerField(_("files"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("built by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    built_at = models.DateTimeField(_("built at"), default=timezone.now)

    class Meta:
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")
        ordering = ["-built_at", "-id"]

    def __str__(self) -> str:
        return self.object_id


class DestructionRequest(RequestWithReason):
    """鉴定: the archivist proposes destroying case files whose retention has ended (R18.4;
    write-once). The agency head decides (:class:`DestructionDecision`)."""

    class Meta:
        verbose_name = _("case file destruction request")
        verbose_name_plural = _("case file destruction requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"destruction request {self.pk}"


class DestructionItem(models.Model):
    """A case file in a destruction request, with the archivist's appraisal of it."""

    request = models.ForeignKey(DestructionRequest, on_delete=models.PROTECT, related_name="items")
    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "case_file"], name="destruction_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.case_file_id}"


class DestructionDecision(Stamped):
    """The agency head's approval or rejection of a destruction request (write-once; one
    per request). The approved request's list is the 销毁清册."""

    request = models.OneToOneField(
        DestructionRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    approved = models.BooleanField(_("approved"))
    opinion = models.TextField(_("opinion"))

    class Meta:
        verbose_name = _("case file destruction decision")
        verbose_name_plural = _("case file destruction decisions")

    def __str__(self) -> str:
        return f"decision on {self.request_id}"


class CaseFileDestruction(models.Model):
    """A case file destroyed after approval (write-once): its bound PDF and archive
    packages leave the store; the row, the case's register entry and the audit trail stay
    for good, so the 销毁清册 can always be shown."""

    case_file = models.OneToOneField(
        CaseFile,
        verbose_name=_("case file"),
        on_delete=models.PROTECT,
        related_name="destruction",
    )
    decision = models.ForeignKey(
        DestructionDecision,
        verbose_name=_("destruction decision"),
        on_delete=models.PROTECT,
        related_name="destructions",
    )
    files_removed = models.PositiveIntegerField(_("stored files removed"), default=0)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("case file destruction")
        verbose_name_plural = _("case file destructions")

    def __str__(self) -> str:
        return f"{self.case_file_id} destroyed"


class Transfer(Stamped):
    """移交: case files handed over to the county archive after the years the archives
    regulations set (write-once); its list of files is the 移交清册."""

    receiver = models.CharField(_("receiving archive"), max_length=200)
    handed_over_on = models.DateField(_("handed over on"))
    note = models.TextField(_("remarks"), blank=True)

    class Meta:
        verbose_name = _("transfer to the archive")
        verbose_name_plural = _("transfers to the archive")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"transfer {self.pk}"


class TransferItem(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="items")
    # A file is handed over once.
    case_file = models.OneToOneField(CaseFile, on_delete=models.PROTECT, related_name="transfer")

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.case_file_id}"
