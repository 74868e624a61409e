"""Enforcement activities 执法活动 (R4.2, R4.4, R5.1, R5.2, R13.2).

An activity is one act on site or off it — an inspection, an inquiry, a sampling — with
its time span, place, the officers present (and the certificate each held then) and the
party. Activity types are data: the bureau's AV item checklist hangs off them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from liuhen.cases.models import ApprovedRequest, Stage
from liuhen.core import rules
from liuhen.core.field_groups import GpsPosition

if TYPE_CHECKING:
    from liuhen.accounts.models import User


class ActivityType(models.Model):
    """A kind of activity; its code is what the legal rule lists (R5.1)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    # R4.2 (行政处罚法 Art. 42): acts on site need two certified officers present.
    on_site = models.BooleanField(_("on site"), default=True)
    # The legal rule "av_required_activity_types" decides; the bureau may add a type on
    # top of it, never take one away (R2.1: the higher rule prevails).
    needs_av_extra = models.BooleanField(
        _("needs AV although the rule does not list it"), default=False
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = translation.get_language() or ""
        return self.name_zh if language.startswith("zh") or not self.name_en else self.name_en

    @property
    def needs_av(self) -> bool:
        """R5.1: whether an activity of this type must be recorded on AV."""
        return self.needs_av_extra or self.code in rules.value("av_required_activity_types")


class AvChecklistItem(models.Model):
    """What the AV recording of an activity of ``type`` must show (the bureau's list, R13.2)."""

    type = models.ForeignKey(
        ActivityType,
        verbose_name=_("activity type"),
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("item"), max_length=200)

    class Meta:
        verbose_name = _("AV checklist item")
        verbose_name_plural = _("AV checklist items")
        ordering = ["type", "order", "id"]

    def __str__(self) -> str:
        return self.text


LAT_RANGE = (Decimal("-90"), Decimal("90"))
LON_RANGE = (Decimal("-180"), Decimal("180"))


class Activity(GpsPosition):
    # R3.1: patrols and other acts outside a case have none.
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    # The case's stage when the activity was recorded (R3.1: every record has its stage).
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, blank=True)
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    type = models.ForeignKey(
        ActivityType, verbose_name=_("activity type"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    place = models.CharField(_("place"), max_length=300)
    officers: models.ManyToManyField[User, ActivityOfficer] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officers present"),
        through="ActivityOfficer",
        related_name="activities",
    )
    party = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("party"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    notes = models.TextField(_("notes"), blank=True)
    # R4.4: non-site enforcement (CCTV, remote monitoring) is recorded like field work.
    non_site = models.BooleanField(_("non-site enforcement"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("enforcement activity")
        verbose_name_plural = _("enforcement activities")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=F("started_at")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(gps_lat__isnull=True, gps_lon__isnull=True)
                | Q(gps_lat__gte=-90, gps_lat__lte=90, gps_lon__gte=-180, gps_lon__lte=180),
                name="activity_gps_in_range",
            ),
        ]
        indexes = [models.Index(fields=["case", "-started_at"], name="activity_case_order")]

    def __str__(self) -> str:
        return f"{self.type.name} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"

    @property
    def date(self) -> dt.date:
        """The local date of the act: the day certificates must be valid on (R4.2)."""
        return timezone.localtime(self.started_at).date()

    @property
    def needs_two_officers(self) -> bool:
        return self.type.on_site and not self.non_site

    @property
    def av_exemption(self) -> AvExemption | None:
        """The latest AV exemption asked for (R5.2), if any: an earlier one was rejected.
        Reads ``av_exemptions`` (prefetch it for a list)."""
        return max(self.av_exemptions.all(), key=lambda exemption: exemption.pk, default=None)


class ActivityOfficer(models.Model):
    """An officer present, with the certificate held on the day (R4.2)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="presences")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT
    )
    certificate = models.ForeignKey(
        "accounts.Certificate",
        verbose_name=_("enforcement certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text too: the number shown at the time stays even if the record changes.
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("officer present")
        verbose_name_plural = _("officers present")
        constraints = [
            models.UniqueConstraint(fields=["activity", "officer"], name="activity_officer_once")
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.certificate_number}"


class AvExemption(ApprovedRequest):
    """R5.2: an activity that needs AV may go without it, on a written reason the unit
    head approves ("根据实际情况…").

    The approval is an approval request of the step ``av_exemption`` (R7.1: each approver's
    opinion, name and date; the chain is a rule, the unit head by default). Write-once:
    after a rejection the officer asks again, which makes a new exemption.
    """

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="av_exemptions",
    )

    class Meta(ApprovedRequest.Meta):
        verbose_name = _("AV exemption")
        verbose_name_plural = _("AV exemptions")

    def __str__(self) -> str:
        return f"{self.activity}: {self.reason[:40]}"

    @property
    def case_id(self) -> int | None:
        # The audit log files the exemption's events under the activity's case.
        return self.activity.case_id
