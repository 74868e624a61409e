"""The audit log's tables. Rows are write-once: database triggers reject UPDATE and DELETE."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core import vocabulary


class ActorType(models.TextChoices):
    USER = "user", _("User")
    DEVICE = "device", _("Device")
    SYSTEM = "system", _("System")
    ANONYMOUS = "anonymous", _("Anonymous")


class Outcome(models.TextChoices):
    OK = "ok", _("Succeeded")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class AuditEvent(models.Model):
    """One event of the hash-linked log (R1.1). ``seq`` is gapless and is the key."""

    seq = models.BigIntegerField(_("sequence number"), primary_key=True)
    time = models.DateTimeField(_("time"), db_index=True)
    actor_type = models.CharField(_("actor type"), max_length=12, choices=ActorType.choices)
    actor_id = models.CharField(_("actor id"), max_length=64, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    case_id = models.BigIntegerField(_("case"), null=True, blank=True, db_index=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    sm3 = models.CharField(_("SM3 hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        # A case's trail also gathers the events of the records linked to it (R1.1).
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def action_label(self) -> str:
        return vocabulary.label(self.action)

    @property
    def actor_label(self) -> str:
        """The actor as people read it: the server's own acts (seed data, commands, a
        payment gateway's callback) say 系统, never their technical name."""
        if self.actor_type == ActorType.SYSTEM:
            return str(self.get_actor_type_display())
        return self.actor_name or str(self.get_actor_type_display())

    @property
    def object_label(self) -> str:
        """The kind of object in words (案件), not its table's label ("cases.case")."""
        if not self.object_type:
            return ""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return str(model._meta.verbose_name)


class TreeHead(models.Model):
    """A signed tree head (RFC 9162 §4.10) over the first ``tree_size`` events."""

    tree_size = models.BigIntegerField(_("tree size"))
    timestamp = models.DateTimeField(_("time"))
    root_hash = models.CharField(_("root hash"), max_length=64)
    signature = models.CharField(_("signature"), max_length=128)
    key_id = models.CharField(_("key id"), max_length=64)

    class Meta:
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")
        ordering = ["-tree_size", "-id"]

    def __str__(self) -> str:
        return f"STH {self.tree_size}"


# --- law as configuration (R2.1) and the working-day calendar -------------------------


class RuleOverride(models.Model):
    """An administrator's value for one legal rule of ``core.rules`` (R2.1).

    Append-only history: the newest row of a key is its current value; a row whose
    ``value`` is null puts the rule back to its default. Each row is also an audit event.
    """

    key = models.CharField(_("rule"), max_length=80, db_index=True)
    value = models.JSONField(_("value"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_by_name = models.CharField(_("changed by"), max_length=150, blank=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("rule override")
        verbose_name_plural = _("rule overrides")
        ordering = ["key", "-id"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value!r}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Statutory holiday")
    WORKDAY = "workday", _("Make-up working day")


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar package")
    ADMIN = "admin", _("Entered by an administrator")


class CalendarEntry(models.Model):
    """Where a row of the calendar came from, and when it last changed."""

    source = models.CharField(_("source"), max_length=8, choices=CalendarSource.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CalendarDay(CalendarEntry):
    """A day that breaks the Monday–Friday pattern: a statutory holiday, or a weekend day
    that is worked instead (调休上班). Deadlines count working days (行政处罚法 Art. 85)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


class CalendarYear(CalendarEntry):
    """Whether the holiday schedule of a year is fully known; deadlines that reach into a
    year without it carry a warning."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(_("holiday data complete"), default=False)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Notification(models.Model):
    """An in-app message to one person (deadline reminders); unread until opened.

    ``dedupe_key`` makes a reminder idempotent: the same key is delivered to a recipient
    once, even when two schedulers run the same job.
    """

    recipient = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    emailed = models.BooleanField(_("sent by e-mail"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return self.text


# --- the write-once blob store (R14.1, R16.1) -------------------------------------------


class Blob(models.Model):
    """One stored file of the blob store (``core.blobs``), keyed by its SHA-256.

    Write-once: database triggers reject UPDATE and DELETE. The row is the record that
    these bytes were stored and what their digests were; ``liuhen blobs fixity`` checks
    the store against it.
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True)
    sm3 = models.CharField(_("SM3 hash"), max_length=64)
    size = models.BigIntegerField(_("size in bytes"))
    backend = models.CharField(_("storage backend"), max_length=16)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["created_at", "sha256"]

    def __str__(self) -> str:
        return self.sha256


class BlobSm3(models.Model):
    """The SM3 of a blob stored with SHA-256 only (``LIUHEN_INGEST_SM3=deferred``),
    computed afterwards by a background task in one read (write-once)."""

    blob = models.OneToOneField(
        Blob, verbose_name=_("stored file"), on_delete=models.PROTECT, related_name="late_sm3"
    )
    sm3 = models.CharField(_("SM3 hash"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("SM3 computed later")
        verbose_name_plural = _("SM3 computed later")

    def __str__(self) -> str:
        return f"{self.blob_id} SM3"


class BlobRemoval(models.Model):
    """A blob removed from the store after approved disposal (R18.4; write-once): the
    ``Blob`` row stays as the record that the bytes existed, and fixity skips it — until
    the same bytes come in again (:class:`BlobRestore`)."""

    blob = models.ForeignKey(
        Blob, verbose_name=_("stored file"), on_delete=models.PROTECT, related_name="removals"
    )
    reason = models.CharField(_("reason"), max_length=300)
    removed_at = models.DateTimeField(_("removed at"), default=timezone.now)

    class Meta:
        verbose_name = _("removed stored file")
        verbose_name_plural = _("removed stored files")

    def __str__(self) -> str:
        return f"{self.blob_id} removed"


class BlobRestore(models.Model):
    """The bytes of a removed blob were stored again (an identical file came in after an
    earlier disposal); fixity expects them again (write-once)."""

    removal = models.OneToOneField(
        BlobRemoval, verbose_name=_("removal"), on_delete=models.PROTECT, related_name="restore"
    )
    restored_at = models.DateTimeField(_("stored again at"), default=timezone.now)

    class Meta:
        verbose_name = _("stored file stored again")
        verbose_name_plural = _("stored files stored again")

    def __str__(self) -> str:
        return f"removal {self.removal_id} restored"


def removed_blobs() -> models.QuerySet[Blob]:
    """Blobs whose latest removal has not been followed by the same bytes coming back."""
    return Blob.objects.filter(removals__isnull=False, removals__restore__isnull=True)
