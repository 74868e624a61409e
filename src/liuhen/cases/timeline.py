"""The case timeline 全程留痕: audit events of one case, with the actors' full names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from liuhen.accounts.models import User
from liuhen.core.models import ActorType, AuditEvent

PAGE_SIZE = 20


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    actor: str  # the user's full name, else the name the event recorded


def entries(events: Iterable[AuditEvent]) -> list[Entry]:
    """Events with their actors' names: one query for all the users of the page."""
    events = list(events)
    user_ids = {
        int(e.actor_id) for e in events if e.actor_type == ActorType.USER and e.actor_id.isdigit()
    }
    names: dict[str, str] = {}
    if user_ids:
        names = {
            str(pk): full_name or username
            for pk, full_name, username in User.objects.filter(pk__in=user_ids).values_list(
                "pk", "full_name", "username"
            )
        }
    return [
        Entry(
            event=e,
            actor=(names.get(e.actor_id) if e.actor_type == ActorType.USER else None)
            or e.actor_label,
        )
        for e in events
    ]
