"""Audio-visual records 音像记录 (R13–R18) and what is said about them afterwards.

An :class:`AvRecord` is the record that certain bytes (a ``core.Blob``) came in: from
whom, from which device, when they were captured and uploaded, and whether the upload
was on time (R15.1). It is write-once (R14.1, triggers in the migration): nothing about
a record is ever edited. What is learned or decided later is a new write-once row that
points at it — the probe (:class:`AvProbe`), links to activities and cases
(:class:`AvLink`, withdrawn by :class:`AvUnlink`), the custodian's labels
(:class:`AvLabel`), the important mark (:class:`AvMark`) and disposal after retention
(:class:`AvDisposal`). The latest row of a kind is the current state; the history stays.

:class:`TusUpload` is not a record: it is the state of a resumable upload in progress
(tus 1.0.0) and becomes an ``AvRecord`` when its last byte arrives.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core import blobs
from liuhen.core.field_groups import GpsPosition, RequestWithReason, Stamped


class AvKind(models.TextChoices):
    VIDEO = "video", _("Video")
    AUDIO = "audio", _("Audio")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other file")


class AvSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded")
    DOCK = "dock", _("Collection station")
    THIRD_PARTY = "third_party", _("Third-party material")


class LateReason(models.TextChoices):
    """R15.1: with one of these recorded, the upload is due 24 hours after the return."""

    NONE = "", _("None")
    CONTINUOUS_WORK = "continuous_work", _("Continuous work")
    REMOTE_AREA = "remote_area", _("Remote area")


class CheckoutProblem(models.TextChoices):
    """R14.1: a recorder's file made or brought in outside the checkout ledger."""

    NONE = "", _("None")
    NOT_CHECKED_OUT = "not_checked_out", _("Recorder not checked out at the capture time")
    OTHER_UPLOADER = "other_uploader", _("Uploaded by someone other than the holder")


class AvRecord(models.Model):
    """One stored AV file and where it came from (write-once, R14.1)."""

    blob = models.ForeignKey(
        "core.Blob", verbose_name=_("stored file"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AvKind.choices)
    source = models.CharField(_("source"), max_length=12, choices=AvSource.choices)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    # The recorder that made it (R13.1), and the officer who held it (the checkout ledger
    # at the capture time, or the officer number in the file name).
    device = models.ForeignKey(
        "devices.Device",
        verbose_name=_("recording device"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="av_records",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="av_records",
    )
    # The time written inside the file when it has one, else the time given at upload
    # (``declared_captured_at``, kept to show where the two disagree).
    captured_at = models.DateTimeField(_("captured at"), null=True, blank=True)
    declared_captured_at = models.DateTimeField(
        _("capture time given at upload"), null=True, blank=True
    )
    # Who brought the bytes in: a person, or a collection station / terminal (device token).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    via_device = models.ForeignKey(
        "devices.Device",
        verbose_name=_("uploaded through"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # R15.1: due by the end of the day the device came back, or 24 hours after with a reason.
    returned_at = models.DateTimeField(_("device returned at"), null=True, blank=True)
    due_at = models.DateTimeField(_("upload due by"), null=True, blank=True)
    late = models.BooleanField(_("uploaded late"), default=False)
    late_reason = models.CharField(
        _("reason for a later upload"),
        max_length=20,
        choices=LateReason.choices,
        blank=True,
    )
    late_reason_text = models.CharField(_("circumstances"), max_length=300, blank=True)
    # R17.1: material from others (the party, a third party, public cameras).
    provider = models.CharField(_("provided by"), max_length=200, blank=True)
    channel = models.CharField(_("obtained through"), max_length=200, blank=True)
    obtained_at = models.DateTimeField(_("obtained at"), null=True, blank=True)
    # A dock file whose name matched no pattern: the custodian labels it (R16.1).
    needs_labelling = models.BooleanField(_("needs labelling"), default=False)
    # R14.1: the ledger at the capture time, as it stood when the record was made.
    checkout_problem = models.CharField(
        _("checkout problem"),
        max_length=20,
        choices=CheckoutProblem.choices,
        blank=True,
        default="",
    )
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)

    class Meta:
        verbose_name = _("AV record")
        verbose_name_plural = _("AV records")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-uploaded_at"], name="av_unit_uploaded"),
            models.Index(fields=["officer", "captured_at"], name="av_officer_captured"),
            models.Index(fields=["device", "captured_at"], name="av_device_captured"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="third_party") | ~Q(provider=""),
                name="av_third_party_has_provider",
            )
        ]

    def __str__(self) -> str:
        return f"AV-{self.pk} {self.original_name}"

    @property
    def is_third_party(self) -> bool:
        return self.source == AvSource.THIRD_PARTY

    def probe_or_none(self) -> AvProbe | None:
        """The probe runs in the background after ingest: it may not be there yet."""
        try:
            return self.probe
        except ObjectDoesNotExist:
            return None

    def quarantine_or_none(self) -> AvQuarantine | None:
        """Set when the probe found the file is no recording."""
        try:
            return self.quarantine
        except ObjectDoesNotExist:
            return None


class AvProbe(GpsPosition):
    """What the file says about itself (PyAV / Pillow), read after ingest (write-once)."""

    record = models.OneToOneField(
        AvRecord, verbose_name=_("AV record"), on_delete=models.PROTECT, related_name="probe"
    )
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    video_codec = models.CharField(_("video codec"), max_length=40, blank=True)
    audio_codec = models.CharField(_("audio codec"), max_length=40, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    created = models.DateTimeField(_("creation time in the file"), null=True, blank=True)
    thumbnail = models.ForeignKey(
        "core.Blob",
        verbose_name=_("thumbnail"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    error = models.CharField(_("could not read"), max_length=500, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    probed_at = models.DateTimeField(_("probed at"), default=timezone.now)

    class Meta:
        verbose_name = _("AV probe")
        verbose_name_plural = _("AV probes")

    def __str__(self) -> str:
        return f"probe of {self.record_id}"


class AvQuarantine(models.Model):
    """A file that came in as a recording but is no decodable video, sound or photo (a web
    page, a program, a text renamed ``.mp4``): the probe found it out (write-once).

    The bytes and the record row stay (R14.1: nothing that came in is deleted), but a
    quarantined record is no AV record for anything that counts: it is never linked, never
    lifts the missing-recording block of an activity (R5.2) and is listed for the
    custodian on the integrity page."""

    record = models.OneToOneField(
        AvRecord, verbose_name=_("AV record"), on_delete=models.PROTECT, related_name="quarantine"
    )
    reason = models.CharField(_("reason"), max_length=500)
    at = models.DateTimeField(_("quarantined at"), default=timezone.now)

    class Meta:
        verbose_name = _("quarantined file")
        verbose_name_plural = _("quarantined files")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"quarantine of {self.record_id}"


class LinkKind(models.TextChoices):
    SUGGESTED = "suggested", _("Suggestion confirmed")
    MANUAL = "manual", _("Linked by hand")


class AvLink(models.Model):
    """The record belongs to an activity, or directly to a case (R16.1; write-once).

    ``evidence``: used as evidence in the case, so it is kept with the case file (R18.4).
    """

    record = models.ForeignKey(
        AvRecord, verbose_name=_("AV record"), on_delete=models.PROTECT, related_name="links"
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="av_links",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="av_links",
    )
    kind = models.CharField(_("how"), max_length=10, choices=LinkKind.choices)
    evidence = models.BooleanField(_("used as evidence"), default=False)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT
    )
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("AV link")
        verbose_name_plural = _("AV links")
        ordering = ["linked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | Q(case__isnull=False),
                name="av_link_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → activity {self.activity_id} / case {self.case_id}"


class AvUnlink(Stamped):
    """A link withdrawn (wrong activity), with the reason (write-once)."""

    link = models.OneToOneField(
        AvLink, verbose_name=_("AV link"), on_delete=models.PROTECT, related_name="unlink"
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("withdrawn AV link")
        verbose_name_plural = _("withdrawn AV links")

    def __str__(self) -> str:
        return f"link {self.link_id} withdrawn"


class AvLabel(Stamped):
    """The custodian's description of a record (R16.1); the latest one counts."""

    record = models.ForeignKey(
        AvRecord, verbose_name=_("AV record"), on_delete=models.PROTECT, related_name="labels"
    )
    text = models.CharField(_("label"), max_length=300)

    class Meta:
        verbose_name = _("AV label")
        verbose_name_plural = _("AV labels")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text


class AvMark(Stamped):
    """Marked important 重要 (or the mark taken off); the latest one counts (R16.1)."""

    record = models.ForeignKey(
        AvRecord, verbose_name=_("AV record"), on_delete=models.PROTECT, related_name="marks"
    )
    important = models.BooleanField(_("important"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("AV mark")
        verbose_name_plural = _("AV marks")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.record_id} important={self.important}"


class DisposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved and carried out")
    REJECTED = "rejected", _("Rejected")


class DisposalRequest(RequestWithReason):
    """The custodian asks to dispose of AV records past retention (R18.4; write-once)."""

    records: models.ManyToManyField[AvRecord, DisposalItem] = models.ManyToManyField(
        AvRecord, verbose_name=_("AV records"), through="DisposalItem", related_name="+"
    )

    class Meta:
        verbose_name = _("AV disposal request")
        verbose_name_plural = _("AV disposal requests")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"disposal request {self.pk}"


class DisposalItem(models.Model):
    request = models.ForeignKey(DisposalRequest, on_delete=models.PROTECT, related_name="items")
    record = models.ForeignKey(AvRecord, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "record"], name="disposal_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.record_id}"


class DisposalDecision(Stamped):
    """Approval or rejection of a disposal request (write-once; one per request)."""

    request = models.OneToOneField(
        DisposalRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    approved = models.BooleanField(_("approved"))
    opinion = models.TextField(_("opinion"))

    class Meta:
        verbose_name = _("AV disposal decision")
        verbose_name_plural = _("AV disposal decisions")

    def __str__(self) -> str:
        return f"decision on {self.request_id}"


class AvDisposal(models.Model):
    """A record disposed of after approval (write-once). The blob is removed only when
    nothing else refers to it (``blob_removed``)."""

    record = models.OneToOneField(
        AvRecord, verbose_name=_("AV record"), on_delete=models.PROTECT, related_name="disposal"
    )
    decision = models.ForeignKey(
        DisposalDecision,
        verbose_name=_("disposal decision"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    blob_removed = models.BooleanField(_("stored file removed"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("AV disposal")
        verbose_name_plural = _("AV disposals")

    def __str__(self) -> str:
        return f"{self.record_id} disposed"


class DockFile(models.Model):
    """A file a collection station has imported (``liuhen import-dock``): running the
    import again skips it without reading it (idempotent, resumable)."""

    station = models.ForeignKey(
        "devices.Device", verbose_name=_("station"), on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(_("path"), max_length=500)
    size = models.BigIntegerField(_("size"))
    mtime_ns = models.BigIntegerField(_("modified"))
    record = models.ForeignKey(
        AvRecord, verbose_name=_("AV record"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("imported dock file")
        verbose_name_plural = _("imported dock files")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "path", "size", "mtime_ns"], name="dock_file_once"
            )
        ]

    def __str__(self) -> str:
        return self.path


class TusUpload(models.Model):
    """A resumable upload in progress (tus 1.0.0). Not a record: its bytes live in a
    partial file until the last one arrives; the file's size is the true offset."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    length = models.BigIntegerField(_("length"))
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    via_device = models.ForeignKey(
        "devices.Device",
        verbose_name=_("through device"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    record = models.ForeignKey(
        AvRecord,
        verbose_name=_("AV record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("upload in progress")
        verbose_name_plural = _("uploads in progress")

    def __str__(self) -> str:
        return str(self.id)


class IntegrityFinding(models.Model):
    """A fixity run found a stored file changed, missing, untracked or still without the
    SM3 its deferred digest task should have computed (R16.1, R23.1)."""

    class Problem(models.TextChoices):
        CHANGED = "changed", _("Changed")
        MISSING = "missing", _("Missing")
        UNTRACKED = "untracked", _("Not on record")
        WITHOUT_SM3 = "no_sm3", _("SM3 digest missing")

    sha256 = models.CharField(_("SHA-256"), max_length=64)
    problem = models.CharField(_("problem"), max_length=10, choices=Problem.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    store = models.CharField(_("store"), max_length=300)
    found_at = models.DateTimeField(_("found at"), default=timezone.now)

    class Meta:
        verbose_name = _("integrity finding")
        verbose_name_plural = _("integrity findings")
        ordering = ["-found_at", "-id"]

    def __str__(self) -> str:
        return f"{self.problem} {self.sha256}"

    @property
    def store_label(self) -> str:
        return blobs.store_label(self.store)
