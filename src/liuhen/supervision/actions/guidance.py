"""Focused guidance 重点指导督办 (制度第二十二条): listing a unit, with the reason and the
guidance plan, and following it up. Each is a write-once row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.core import access, audit
from liuhen.supervision.events import GuidanceEvents
from liuhen.supervision.models import GuidanceEntry, GuidanceFollowUp, ListedBy
from liuhen.supervision.perms import GuidancePerms
from liuhen.supervision.rectification import guidance

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import Unit, User


def list_unit_for_guidance(
    actor: User,
    unit: Unit,
    *,
    reason: str,
    plan: str,
    request: HttpRequest | None = None,
) -> GuidanceEntry:
    """List ``unit``: by its thresholds crossed when it crosses any (their figures kept),
    else by the supervisor's decision, which then needs a reason."""
    access.require(actor, GuidancePerms.MANAGE, request=request)
    crossed = guidance.crossed_for(unit)
    errors: dict[str, list[str]] = {}
    if not plan.strip():
        errors["plan"] = [_("Write the guidance plan.")]
    if not crossed and not reason.strip():
        errors["reason"] = [_("The unit crosses no threshold: give the reason to list it.")]
    if guidance.under_guidance(unit):
        errors["unit"] = [_("The unit is under focused guidance already.")]
    if errors:
        raise ValidationError(errors)
    metrics: dict[str, Any] = {c.metric.key: c.value for c in crossed}
    if not reason.strip():
        reason = "；".join(c.describe() for c in crossed)
    with transaction.atomic(durable=True):
        entry = GuidanceEntry.objects.create(
            unit=unit,
            listed_by=ListedBy.THRESHOLD if crossed else ListedBy.MANUAL,
            reason=reason.strip(),
            metrics=metrics,
            plan=plan.strip(),
            created_by=actor,
        )
        audit.record(
            GuidanceEvents.LIST_UNIT,
            actor=actor,
            request=request,
            obj=entry,
            details={"unit": unit.pk, "listed_by": entry.listed_by, "metrics": metrics},
        )
    return entry


def follow_up_guidance(
    actor: User,
    entry: GuidanceEntry,
    *,
    note: str,
    concludes: bool = False,
    request: HttpRequest | None = None,
) -> GuidanceFollowUp:
    access.require(actor, GuidancePerms.MANAGE, entry, request=request)
    if not note.strip():
        raise ValidationError({"note": [_("Write what the follow-up found.")]})
    if entry.follow_ups.filter(concludes=True).exists():
        raise ValidationError(_("The guidance of this unit is concluded already."))
    with transaction.atomic(durable=True):
        follow_up = GuidanceFollowUp.objects.create(
            entry=entry, note=note.strip(), concludes=concludes, recorded_by=actor
        )
        audit.record(
            GuidanceEvents.FOLLOW_UP,
            actor=actor,
            request=request,
            obj=entry,
            details={"concludes": concludes},
        )
    return follow_up
