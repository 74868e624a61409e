"""The case timeline 全程留痕 (R1.1): the audit events of one case — its own rows, the
records that belong to it without a case column (AV records linked to it), and the denied
attempts on any of them — with the actors' full names and what each event was about in
words people read (the case number, a document's title and 文号, an AV file's name)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet

from liuhen.accounts.models import User
from liuhen.cases.models import Case
from liuhen.core import registry
from liuhen.core.models import ActorType, AuditEvent

PAGE_SIZE = 20


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    actor: str  # the user's full name, else the name the event recorded
    about: str = ""  # the object's label, "" when the event names none


def trail(case: Case) -> QuerySet[AuditEvent]:
    """Every event of ``case``'s trail, in no particular order."""
    match = Q(case_id=case.pk)
    for object_type, ids_of in registry.case_trail_records.items():
        # A subquery of ids as text (the log's object id is text): no query of its own.
        match |= Q(object_type=object_type, object_id__in=ids_of(case))
    return AuditEvent.objects.filter(match)


def _actor_names(events: list[AuditEvent]) -> dict[str, str]:
    user_ids = {
        int(e.actor_id) for e in events if e.actor_type == ActorType.USER and e.actor_id.isdigit()
    }
    if not user_ids:
        return {}
    return {
        str(pk): full_name or username
        for pk, full_name, username in User.objects.filter(pk__in=user_ids).values_list(
            "pk", "full_name", "username"
        )
    }


def _model_name(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return ""


def object_labels(events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """(object type, id) → the object's label, one query per kind of object; a kind no
    app labels reads as its name alone (never its table and id)."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            wanted[event.object_type].add(event.object_id)
    labels: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        labeler = registry.object_labels.get(object_type)
        found = labeler(sorted(ids)) if labeler is not None else {}
        fallback = _model_name(object_type)
        for object_id in ids:
            labels[(object_type, object_id)] = found.get(object_id) or fallback
    return labels


def entries(events: Iterable[AuditEvent]) -> list[Entry]:
    """Events with their actors' names and objects' labels, a few queries per page."""
    events = list(events)
    names = _actor_names(events)
    labels = object_labels(events)
    return [
        Entry(
            event=e,
            actor=(names.get(e.actor_id) if e.actor_type == ActorType.USER else None)
            or e.actor_label,
            about=labels.get((e.object_type, e.object_id), ""),
        )
        for e in events
    ]


def case_labels(ids: list[str]) -> dict[str, str]:
    """A case reads as its 立案 number, or its title before it has one."""
    return {
        str(pk): number or title
        for pk, number, title in Case.objects.filter(pk__in=_ints(ids)).values_list(
            "pk", "number", "title"
        )
    }


def _ints(ids: Iterable[str]) -> list[int]:
    return [int(i) for i in ids if str(i).isdigit()]


LABELS = {"cases.case": case_labels}
