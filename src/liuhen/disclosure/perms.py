"""Permission codes of 执法公示: what the access policy is asked, with what people read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisclosurePerms(models.TextChoices):
    QUEUE = "disclosure.queue", _("List decisions to publish")
    PUBLISH = "disclosure.publish", _("Publish a decision")
    WITHDRAW = "disclosure.withdraw", _("Withdraw or correct a publication")
    ANNUAL = "disclosure.annual", _("Publish the annual enforcement data")
    TEXTS = "disclosure.texts", _("Edit the texts published beforehand")
