"""调阅 (制度第二十一条, R21.1): a person asks to see (or download) a case, a document or an
AV record beyond their scope, the owning unit's head decides, and a granted request gives a
time-limited access that the grantor may revoke.

The request is the one row that is filed; everything after it — the refusal, the grant
with its expiry, the revocation — is a write-once row of its own (triggers in the
migration), so the history of an access is never rewritten.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liuhen.core.field_groups import RequestWithReason


class TargetKind(models.TextChoices):
    CASE = "case", _("Case")
    DOCUMENT = "document", _("Document")
    RECORD = "record", _("AV record")


class AccessKind(models.TextChoices):
    VIEW = "view", _("View")
    DOWNLOAD = "download", _("View and download")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    REFUSED = "refused", _("Refused")
    GRANTED = "granted", _("Granted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class RetrievalRequest(RequestWithReason):
    """调阅申请: who asks, for what, how (view or download), why and for how many days."""

    number = models.CharField(_("request number"), max_length=30, unique=True)
    target_kind = models.CharField(_("what is asked for"), max_length=10, choices=TargetKind)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retrieval_requests",
    )
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retrieval_requests",
    )
    record = models.ForeignKey(
        "media.AvRecord",
        verbose_name=_("AV record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="retrieval_requests",
    )
    access = models.CharField(_("access"), max_length=10, choices=AccessKind)
    days = models.PositiveSmallIntegerField(_("period (days)"))
    # The unit whose head decides: the unit that owns the record asked for.
    owning_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="+"
    )
    # A classified record also needs the agency head (R21.1); the policy reads this.
    needs_agency_head = models.BooleanField(_("needs the agency head"), default=False)

    class Meta:
        verbose_name = _("retrieval request")
        verbose_name_plural = _("retrieval requests")
        ordering = ("-requested_at", "-id")
        indexes = (models.Index(fields=("owning_unit", "requested_at")),)

    def __str__(self) -> str:
        return self.number

    @property
    def target(self) -> models.Model | None:
        return {
            TargetKind.CASE: self.case,
            TargetKind.DOCUMENT: self.document,
            TargetKind.RECORD: self.record,
        }.get(TargetKind(self.target_kind))

    def status(self, now: dt.datetime | None = None) -> RequestStatus:
        grant = getattr(self, "grant", None)
        if grant is not None:
            if hasattr(grant, "revocation"):
                return RequestStatus.REVOKED
            return RequestStatus.GRANTED if grant.is_live(now) else RequestStatus.EXPIRED
        if hasattr(self, "refusal"):
            return RequestStatus.REFUSED
        return RequestStatus.PENDING


class Refusal(models.Model):
    """The request refused, with the reason (write-once)."""

    request = models.OneToOneField(
        RetrievalRequest,
        verbose_name=_("request"),
        on_delete=models.PROTECT,
        related_name="refusal",
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("retrieval refusal")
        verbose_name_plural = _("retrieval refusals")

    def __str__(self) -> str:
        return self.request.number


class Grant(models.Model):
    """The access given (write-once): from when, until when, by whom."""

    request = models.OneToOneField(
        RetrievalRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="grant"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("retrieval grant")
        verbose_name_plural = _("retrieval grants")
        indexes = (models.Index(fields=("expires_at",)),)

    def __str__(self) -> str:
        return self.request.number

    def is_live(self, now: dt.datetime | None = None) -> bool:
        return not hasattr(self, "revocation") and (now or timezone.now()) < self.expires_at


class Revocation(models.Model):
    """The grant taken back before it expired (write-once)."""

    grant = models.OneToOneField(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="revocation"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("retrieval revocation")
        verbose_name_plural = _("retrieval revocations")

    def __str__(self) -> str:
        return self.grant.request.number
