"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in ``policy.py``; one class per area of supervision."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintPerms(models.TextChoices):
    LIST = "complaint.list", _("List complaints and their replay")
    RECORD = "complaint.record", _("Record a complaint")
    VIEW = "complaint.view", _("View a complaint")
    LINK = "complaint.link", _("Link footage to a complaint")
    REPLAY = "complaint.replay", _("Record the replay review of a complaint")


class CaseReviewPerms(models.TextChoices):
    LIST = "case_review.list", _("List case-file review plans and results")
    PLAN = "case_review.plan", _("Plan case-file reviews and assign reviewers")
    SCORE = "case_review.score", _("Score a case file")


class CoveragePerms(models.TextChoices):
    VIEW = "coverage.view", _("View AV coverage per unit and officer")


class SpotCheckPerms(models.TextChoices):
    VIEW = "spot_check.view", _("View spot-check plans and the spot-check ledger")
    PLAN = "spot_check.plan", _("Create spot-check plans and draw their samples")
    REVIEW = "spot_check.review", _("Review a sampled AV record")


class SupervisionHomePerms(models.TextChoices):
    HOME = "supervision.home", _("Open the supervisor's home")


class StatisticsPerms(models.TextChoices):
    VIEW = "statistics.view", _("View enforcement statistics")
    EXPORT = "statistics.export", _("Export enforcement statistics")
    ANNUAL_REPORT = "statistics.annual_report", _("Make the annual report")


class FindingPerms(models.TextChoices):
    LIST = "finding.list", _("List supervision findings")
    VIEW = "finding.view", _("View a supervision finding")
    DISMISS = "finding.dismiss", _("Dismiss a supervision finding")


class RectificationPerms(models.TextChoices):
    LIST = "rectification.list", _("List rectification orders")
    VIEW = "rectification.view", _("View a rectification order")
    ORDER = "rectification.order", _("Order rectification within a time limit")
    REPORT = "rectification.report", _("Report a rectification")
    VERIFY = "rectification.verify", _("Verify a rectification")


class AccountabilityPerms(models.TextChoices):
    LIST = "accountability.list", _("List accountability records")
    VIEW = "accountability.view", _("View an accountability record")
    RECORD = "accountability.record", _("Record accountability")


class GuidancePerms(models.TextChoices):
    LIST = "guidance.list", _("List units under focused guidance")
    MANAGE = "guidance.manage", _("List a unit for focused guidance and follow it up")
