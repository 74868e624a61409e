"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingEvents(models.TextChoices):
    RAISE = "finding.raise", _("Raise finding")
    CLOSE = "finding.close", _("Close finding")


class SpotCheckEvents(models.TextChoices):
    PLAN = "spot_check.plan", _("Create spot-check plan")
    DRAW = "spot_check.draw", _("Draw spot-check sample")
    REVIEW = "spot_check.review", _("Review sampled AV record")
    EXPORT = "spot_check.export", _("Export spot-check ledger")
