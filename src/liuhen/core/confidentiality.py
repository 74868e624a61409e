"""Confidentiality classes of records (R18.5): a class restricts access and export.

A vocabulary shared by every app that keeps records (cases, subjects, and what hangs
off them), so it lives below them all.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidentiality(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    PRIVACY = "privacy", _("Personal privacy")
    TRADE_SECRET = "trade_secret", _("Trade secret")
    STATE_SECRET = "state_secret", _("State secret")


# The classes that narrow who may read a record beyond its unit and role.
RESTRICTED_CLASSES = (
    Confidentiality.PRIVACY,
    Confidentiality.TRADE_SECRET,
    Confidentiality.STATE_SECRET,
)
