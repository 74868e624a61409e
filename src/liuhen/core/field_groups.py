"""Abstract models for the groups of fields that several apps' tables declare alike.

Most records say who made them and when; a table inherits the group instead of declaring
the fields again. Each group holds its fields exactly as its tables declare them (names,
types, options, labels), so inheriting one changes no column and needs no migration.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Recorded(models.Model):
    """Who entered the record and when."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True


class Created(models.Model):
    """Who created the row and when."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        abstract = True


class Requested(models.Model):
    """Who asked and when."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        abstract = True


class RequestWithReason(Requested):
    """A request that states why it is made."""

    reason = models.TextField(_("reason"))

    class Meta:
        abstract = True


class Stamped(models.Model):
    """Who did it and when, for a row whose name says what was done (a label, a mark)."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True


class GpsPosition(models.Model):
    """Where it happened, when known."""

    gps_lat = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    gps_lon = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        abstract = True


class SingletonRow(models.Model):
    """A table of one row (settings an administrator edits): its key is fixed. Each table
    also declares a check constraint on ``id = SINGLETON_ID`` under its own name."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
