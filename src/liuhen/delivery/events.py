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


class QueryEvents(models.TextChoices):
    """R19.1: the party's case query on the portal and the notices pushed to the party."""

    QUERY = "case_query.query", _("Party case query")
    DOWNLOAD = "case_query.download", _("Party downloads a served document")
    CODE = "case_query.code", _("Create party query code")
    PUSH = "case_query.push", _("Push notice to party")
