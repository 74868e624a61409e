"""Deadline lists and reminders. Views and the task only call these.

Lists go through the access policy: ``access.require`` for the page, ``access.visible``
for the cases, so a list never shows a clock of a case its reader may not open.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, Unit, User
from liuhen.cases import deadlines
from liuhen.cases.deadlines import Clock, Status
from liuhen.cases.models import Case, Lead, LeadStatus
from liuhen.core import access, notifications
from liuhen.deadlines.perms import DeadlinePerms


@dataclass
class Grouped:
    """Open clocks, most urgent first: overdue, due soon, running."""

    overdue: list[Clock] = field(default_factory=list)
    due_soon: list[Clock] = field(default_factory=list)
    running: list[Clock] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.running)


def group(clocks: list[Clock]) -> Grouped:
    grouped = Grouped()
    for clock in clocks:
        getattr(grouped, str(clock.status)).append(clock)
    return grouped


def _open_cases() -> Any:
    return Case.objects.filter(closed_at__isnull=True).select_related("unit")


def _checking() -> Any:
    """Leads still being checked: no case yet, filing not decided."""
    return Lead.objects.filter(status__in=(LeadStatus.OPEN, LeadStatus.PROPOSED), case__isnull=True)


def _open_leads(user: Any) -> Any:
    """Leads still being checked that ``user`` may see."""
    return access.visible(user, _checking().select_related("unit"))


def _pending_leads() -> Any:
    """Every lead still being checked (the reminder job runs as the system)."""
    return _checking().select_related("unit", "recorded_by")


def _with_leads(clocks: list[Clock], leads: Any, today: dt.date | None) -> list[Clock]:
    if leads is None:
        return clocks
    merged = clocks + deadlines.open_lead_clocks(leads, today=today)
    return sorted(merged, key=lambda c: (c.due, c.ref, c.code))


def my_clocks(user: Any, *, today: dt.date | None = None, request: Any = None) -> Grouped:
    """The open clocks of the cases ``user`` is assigned to."""
    access.require(user, DeadlinePerms.LIST_OWN, request=request)
    cases = access.visible(user, _open_cases().filter(officers=user))
    leads = _open_leads(user)
    if leads is not None:
        leads = leads.filter(recorded_by=user)
    return group(_with_leads(deadlines.open_clocks(cases, today=today), leads, today))


def default_unit(user: Any) -> Unit | None:
    """What the unit page shows first: all units to whom may see all, else one's own."""
    if access.can(user, DeadlinePerms.LIST_UNIT, None):
        return None
    return user.unit


def unit_clocks(
    user: Any, unit: Unit | None, *, today: dt.date | None = None, request: Any = None
) -> Grouped:
    """The open clocks of ``unit``'s cases (``None``: all units, for the agency head)."""
    access.require(user, DeadlinePerms.LIST_UNIT, unit, request=request)
    cases = access.visible(user, _open_cases())
    leads = _open_leads(user)
    if unit is not None:
        cases = cases.filter(unit=unit)
        leads = leads.filter(unit=unit) if leads is not None else None
    return group(_with_leads(deadlines.open_clocks(cases, today=today), leads, today))


def may_list_unit(user: Any) -> bool:
    """Whether the unit page is open to ``user`` at all (for links to it)."""
    return access.can(user, DeadlinePerms.LIST_UNIT, default_unit(user))


def selectable_units(user: Any) -> list[Unit]:
    """The units whose list ``user`` may choose (none when they see one unit only)."""
    if not access.can(user, DeadlinePerms.LIST_UNIT, None):
        return []
    return list(access.visible(user, Unit.objects.filter(active=True)).order_by("id"))


# --- reminders --------------------------------------------------------------------------


def _about(clock: Clock) -> str:
    if clock.case is not None:
        return str(clock.case.number)
    summary = str(getattr(clock.lead, "summary", ""))[:30]
    return _("Lead “%(summary)s”") % {"summary": summary}


def _reminder_text(clock: Clock) -> str:
    number = _about(clock)
    if clock.status == Status.OVERDUE:
        return _("%(case)s: %(clock)s was due on %(due)s and is overdue (%(citation)s).") % {
            "case": number,
            "clock": clock.label,
            "due": clock.due.isoformat(),
            "citation": clock.citation,
        }
    return _("%(case)s: %(clock)s is due on %(due)s (%(citation)s).") % {
        "case": number,
        "clock": clock.label,
        "due": clock.due.isoformat(),
        "citation": clock.citation,
    }


def _unit_heads() -> dict[int, list[User]]:
    heads: dict[int, list[User]] = defaultdict(list)
    found = User.objects.filter(
        is_active=True, unit__isnull=False, role_grants__role=Role.UNIT_HEAD
    ).distinct()
    for head in found:
        heads[head.unit_id].append(head)  # type: ignore[index]
    return heads


def send_reminders(*, today: dt.date | None = None) -> int:
    """Notify, once per clock and day, the officers of every clock due soon or overdue;
    for an overdue clock also the heads of the case's unit. Returns notifications sent.

    Run by the system (scheduler); messages are written in the bureau's language.
    """
    today = today or timezone.localdate()
    officers = Prefetch("officers", queryset=User.objects.filter(is_active=True))
    cases = _open_cases().prefetch_related(officers)
    clocks = [
        c
        for c in _with_leads(deadlines.open_clocks(cases, today=today), _pending_leads(), today)
        if c.status in (Status.DUE_SOON, Status.OVERDUE)
    ]
    if not clocks:
        return 0
    heads = _unit_heads()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for clock in clocks:
            if clock.case is not None:
                recipients = {u.pk: u for u in clock.case.officers.all()}
                unit_id = clock.case.unit_id
                link = reverse("cases:detail", args=[clock.case_id]) + "#section-deadlines"
            else:
                recorder = clock.lead.recorded_by
                recipients = {recorder.pk: recorder} if recorder.is_active else {}
                unit_id = clock.lead.unit_id
                link = reverse("cases:lead_detail", args=[clock.lead.pk])
            if clock.status == Status.OVERDUE:
                recipients.update({u.pk: u for u in heads.get(unit_id, [])})
            text = _reminder_text(clock)
            for recipient in recipients.values():
                note = notifications.notify(
                    recipient,
                    text,
                    link=link,
                    dedupe_key=f"deadline:{clock.key}:{today.isoformat()}",
                    subject=_("Deadline reminder: %(case)s") % {"case": _about(clock)},
                )
                sent += note is not None
    return sent
