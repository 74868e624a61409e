"""The audit event codes 执法公示 writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosureEvents(models.TextChoices):
    PUBLISH = "disclosure.publish", _("Publish a decision")
    WITHDRAW = "disclosure.withdraw", _("Withdraw a publication")
    CORRECT = "disclosure.correct", _("Correct a publication")
    ANNUAL = "disclosure.annual", _("Publish the annual enforcement data")
    TEXTS = "disclosure.texts", _("Save the texts published beforehand")
