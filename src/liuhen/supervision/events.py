"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingEvents(models.TextChoices):
    RAISE = "finding.raise", _("Raise finding")
    CLOSE = "finding.close", _("Close finding")


class ComplaintEvents(models.TextChoices):
    RECORD = "complaint.record", _("Record complaint")
    LINK = "complaint.link", _("Link footage to complaint")
    REPLAY = "complaint.replay", _("Record complaint replay")
    EXPORT = "complaint.export", _("Export complaint ledger")


class CaseReviewEvents(models.TextChoices):
    PLAN = "case_review.plan", _("Create case-file review plan")
    ASSIGN = "case_review.assign", _("Assign case file for review")
    SCORE = "case_review.score", _("Score case file")


class SpotCheckEvents(models.TextChoices):
    PLAN = "spot_check.plan", _("Create spot-check plan")
    DRAW = "spot_check.draw", _("Draw spot-check sample")
    REVIEW = "spot_check.review", _("Review sampled AV record")
    EXPORT = "spot_check.export", _("Export spot-check ledger")


class StatisticsEvents(models.TextChoices):
    REFRESH = "statistics.refresh", _("Refresh statistics")
    EXPORT = "statistics.export", _("Export statistics")
    ANNUAL_REPORT = "statistics.annual_report", _("Make the annual report")


class FindingRegisterEvents(models.TextChoices):
    EXPORT = "finding.export", _("Export findings register")


class RectificationEvents(models.TextChoices):
    ORDER = "rectification.order", _("Order rectification")
    REPORT = "rectification.report", _("Report rectification")
    VERIFY = "rectification.verify", _("Verify rectification")
    READ_EVIDENCE = "rectification.read_evidence", _("Open rectification evidence")
    EXPORT = "rectification.export", _("Export rectification ledger")


class AccountabilityEvents(models.TextChoices):
    RECORD = "accountability.record", _("Record accountability")
    VIEW = "accountability.view", _("View accountability record")
    EXPORT = "accountability.export", _("Export accountability ledger")


class GuidanceEvents(models.TextChoices):
    LIST_UNIT = "guidance.list_unit", _("List unit for focused guidance")
    FOLLOW_UP = "guidance.follow_up", _("Record guidance follow-up")
