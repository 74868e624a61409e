"""The audit event codes this app writes, with what people read in the log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceEvents(models.TextChoices):
    RECORD = "service.record", _("Record service of document")
    VIEW = "service.view", _("View service record")
    CONSENT = "service.consent", _("Record consent to electronic service")
    EXPORT = "service.export", _("Export delivery register")


class PaymentEvents(models.TextChoices):
    VIEW = "payment.view", _("View payment")
    NOTICE = "payment.notice", _("Create payment notice")
    PAID = "payment.paid", _("Payment received")
    CALLBACK_REFUSED = "payment.callback_refused", _("Payment callback refused")
    PROCEEDING = "payment.proceeding", _("Record reconsideration or litigation")
    DEFERRAL = "payment.deferral", _("Request deferred or instalment payment")
    SURCHARGE = "payment.surcharge", _("Compute late surcharge")
    PROCEEDING_END = "payment.proceeding_end", _("Record end of reconsideration or litigation")
