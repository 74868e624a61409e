"""The deadline lists: the open clocks of one's own cases, and of a unit's (R21.2).

Lists go through the access policy: ``access.require`` for the page, ``access.visible``
for the cases and leads, so a list never shows a clock of a case its reader may not open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from liuhen.accounts.models import Unit, User
from liuhen.cases import deadlines
from liuhen.cases.deadlines import Clock
from liuhen.cases.models import Case, Lead, LeadStatus
from liuhen.core import access
from liuhen.deadlines.perms import DeadlinePerms

if TYPE_CHECKING:
    from django.http import HttpRequest


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


def open_cases() -> QuerySet[Case]:
    """Every case not closed: the ones whose clocks still run."""
    return Case.objects.filter(closed_at__isnull=True).select_related("unit")


def checking_leads() -> QuerySet[Lead]:
    """Leads still being checked: no case yet, filing not decided."""
    return Lead.objects.filter(status__in=(LeadStatus.OPEN, LeadStatus.PROPOSED), case__isnull=True)


def with_leads(clocks: list[Clock], leads: QuerySet[Lead], today: dt.date | None) -> list[Clock]:
    """``clocks`` and the check clocks of ``leads``, by due date."""
    merged = clocks + deadlines.open_lead_clocks(leads, today=today)
    return sorted(merged, key=lambda c: (c.due, c.ref, c.code))


def _open_leads(user: User) -> QuerySet[Lead]:
    """Leads still being checked that ``user`` may see."""
    return access.visible(user, checking_leads().select_related("unit"))


def my_clocks(
    user: User, *, today: dt.date | None = None, request: HttpRequest | None = None
) -> Grouped:
    """The open clocks of the cases ``user`` is assigned to, and of the leads they recorded."""
    access.require(user, DeadlinePerms.LIST_OWN, request=request)
    cases = access.visible(user, open_cases().filter(officers=user))
    leads = _open_leads(user).filter(recorded_by=user)
    return group(with_leads(deadlines.open_clocks(cases, today=today), leads, today))


def default_unit(user: User) -> Unit | None:
    """What the unit page shows first: all units to whom may see all, else one's own."""
    if access.can(user, DeadlinePerms.LIST_UNIT, None):
        return None
    return user.unit


def unit_clocks(
    user: User,
    unit: Unit | None,
    *,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Grouped:
    """The open clocks of ``unit``'s cases (``None``: all units, for the agency head)."""
    access.require(user, DeadlinePerms.LIST_UNIT, unit, request=request)
    cases = access.visible(user, open_cases())
    leads = _open_leads(user)
    if unit is not None:
        cases = cases.filter(unit=unit)
        leads = leads.filter(unit=unit)
    return group(with_leads(deadlines.open_clocks(cases, today=today), leads, today))


def may_list_unit(user: User) -> bool:
    """Whether the unit page is open to ``user`` at all (for links to it)."""
    return access.can(user, DeadlinePerms.LIST_UNIT, default_unit(user))


def selectable_units(user: User) -> list[Unit]:
    """The units whose list ``user`` may choose (none when they see one unit only)."""
    if not access.can(user, DeadlinePerms.LIST_UNIT, None):
        return []
    return list(access.visible(user, Unit.objects.filter(active=True)).order_by("id"))
