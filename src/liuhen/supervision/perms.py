"""Permission codes of the supervision app, one class per area: what the access policy is
asked, with what people read. Each code has a rule in ``policy.py``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
