"""Permission codes of this app: what the access policy is asked, with what people read.

Each code has a rule in this app's or another app's ``policy.py``; a code checked
anywhere must be declared here (``core.access`` refuses an undeclared one)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServicePerms(models.TextChoices):
    RECORD = "service.record", _("Record service of document")
    VIEW = "service.view", _("View service record")
    LIST = "service.list", _("List service records")


class PaymentPerms(models.TextChoices):
    VIEW = "payment.view", _("View payment")
    PROCEEDING = "payment.proceeding", _("Record reconsideration or litigation")
    DEFERRAL = "payment.deferral", _("Request deferred or instalment payment")


class PaymentDeferralPerms(models.TextChoices):
    REQUEST = "payment_deferral.request", _("Request deferred or instalment payment")
