"""Case-file review 案卷评查 (R22.2): a plan assigns closed or archived cases to reviewers;
a reviewer scores the file against the checklist (``supervision.reviews.checklist``):
one mark per item with a deduction and a note, a veto item failed or not; the total and
grade are kept with the review. Write-once: a plan's assignments and a review stand as
made."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core.field_groups import Stamped


class ReviewGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class ReviewPlan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=60)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("case-file review plan")
        verbose_name_plural = _("case-file review plans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReviewAssignment(models.Model):
    plan = models.ForeignKey(
        ReviewPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="assignments"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("case-file review assignment")
        verbose_name_plural = _("case-file review assignments")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "case"], name="review_case_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.case_id} → {self.reviewer_id}"


class CaseReview(Stamped):
    """A scored case file; its unit is the case's at the time, kept for the results."""

    assignment = models.OneToOneField(
        ReviewAssignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="review",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=12, choices=ReviewGrade.choices)
    vetoed = models.BooleanField(_("veto item failed"), default=False)
    notes = models.TextField(_("overall remarks"), blank=True)

    class Meta:
        verbose_name = _("case-file review")
        verbose_name_plural = _("case-file reviews")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unit", "at"], name="case_review_unit_at")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.total}"


class CaseReviewMark(models.Model):
    """One checklist item of a review: the points taken off, why, and a veto failed."""

    review = models.ForeignKey(
        CaseReview, verbose_name=_("review"), on_delete=models.PROTECT, related_name="marks"
    )
    item = models.CharField(_("checklist item"), max_length=32)
    deduction = models.DecimalField(_("deduction"), max_digits=4, decimal_places=1, default=0)
    vetoed = models.BooleanField(_("veto item failed"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case-file review mark")
        verbose_name_plural = _("case-file review marks")
        ordering = ["review", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "item"], name="review_mark_once")]

    def __str__(self) -> str:
        return f"{self.item}: -{self.deduction}"
