"""The complaint ledger 投诉回放台账 (R22.4, R4.3): its filter, shared by the page and the
exports, and its columns (the register kit, ``core.registers``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liuhen.core import access
from liuhen.core.registers import (
    Column,
    Filters,
    Register,
    date_filters,
    local_date,
    within_dates,
)
from liuhen.supervision.events import ComplaintEvents
from liuhen.supervision.models import Complaint, ReplayOutcome
from liuhen.supervision.perms import ComplaintPerms

PAGE_SIZE = 50
NOT_REPLAYED = "pending"


def filtered(user: Any, params: Mapping[str, Any]) -> tuple[QuerySet[Complaint], dict[str, str]]:
    """The complaints ``user`` may see matching the filter (received between dates, the
    outcome or not yet replayed), newest first, and the filter as recognised."""
    complaints = access.visible(
        user,
        Complaint.objects.select_related("unit", "replay", "replay__by").prefetch_related(
            "officers"
        ),
    )
    filters = date_filters(params)
    complaints = within_dates(complaints, "received_at", Filters(filters))
    outcome = str(params.get("outcome") or "")
    if outcome == NOT_REPLAYED:
        complaints = complaints.filter(replay__isnull=True)
        filters["outcome"] = outcome
    elif outcome in ReplayOutcome.values:
        complaints = complaints.filter(replay__outcome=outcome)
        filters["outcome"] = outcome
    return complaints.order_by("-received_at", "-id"), filters


def _replay(complaint: Complaint, value: str) -> Any:
    replay = getattr(complaint, "replay", None)
    if replay is None:
        return ""
    if value == "outcome":
        return replay.get_outcome_display()
    if value == "by":
        return replay.by.display_name
    return local_date(replay.at)


class ComplaintRegister(Register[Complaint]):
    title = _("Complaint replay ledger")
    file_stem = "complaint-ledger"
    permission = ComplaintPerms.LIST
    event = ComplaintEvents.EXPORT
    object_type = "supervision.complaint"
    columns = (
        Column(_("Number"), lambda c: f"TS-{c.pk}"),
        Column(_("Received"), lambda c: local_date(c.received_at)),
        Column(_("Channel"), lambda c: c.get_channel_display()),
        Column(_("Complainant"), lambda c: c.complainant),
        Column(_("Happened"), lambda c: c.occurred_from),
        Column(_("Place"), lambda c: c.place),
        Column(_("Unit"), lambda c: c.unit.name if c.unit else ""),
        Column(_("Officers named"), lambda c: "、".join(o.display_name for o in c.officers.all())),
        Column(_("What the complaint says"), lambda c: c.summary),
        Column(_("Outcome"), lambda c: _replay(c, "outcome")),
        Column(_("Reviewed by"), lambda c: _replay(c, "by")),
        Column(_("Reviewed on"), lambda c: _replay(c, "at")),
    )


REGISTER = ComplaintRegister()
