"""What the case page header sums up: parties, officers, next deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from liuhen.cases import deadlines
from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.subjects.perms import SubjectPerms

HEADER_CLOCKS = 3  # the full list is in the Deadlines section


@dataclass(frozen=True)
class Header:
    parties: list[dict[str, Any]]
    officers: list[str]
    clocks: list[deadlines.Clock]
    more_clocks: int


def summary(user: Any, case: Case) -> Header:
    parties = [
        {
            "name": link.subject.name,
            "pk": link.subject_id,
            "role": link.get_role_display(),
            "linked": access.can(user, SubjectPerms.VIEW, link.subject),
        }
        for link in case.parties.select_related("subject").order_by("role", "created_at", "id")
    ]
    officers = [officer.display_name for officer in case.officers.order_by("username")]
    # Overdue first, then the nearest due date: what needs doing now.
    today = timezone.localdate()
    open_clocks = [c for c in deadlines.clocks_for_case(case, today=today) if c.is_open]
    open_clocks.sort(key=lambda c: (c.status != deadlines.Status.OVERDUE, c.due, c.code))
    return Header(
        parties=parties,
        officers=officers,
        clocks=open_clocks[:HEADER_CLOCKS],
        more_clocks=max(len(open_clocks) - HEADER_CLOCKS, 0),
    )
