"""The append-only, hash-linked audit log (R1.1).

Every action writes its event with :func:`record` inside its own transaction, so the
event exists exactly when the change does. Denials are recorded by the access policy
in a transaction of their own (the denied action's transaction rolls back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from liuhen.core import proxies, vocabulary
from liuhen.core.chain import GENESIS_HASH, event_hashes
from liuhen.core.models import ActorType, AuditEvent, Outcome

if TYPE_CHECKING:
    from django.http import HttpRequest

# Any constant: the advisory lock that serialises appends on PostgreSQL.
_APPEND_LOCK_KEY = 0x6C69756865  # "liuhe"


@dataclass(frozen=True)
class Actor:
    type: str
    id: str
    name: str

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(ActorType.SYSTEM, "", name)

    @classmethod
    def device(cls, serial: str) -> Actor:
        return cls(ActorType.DEVICE, serial, serial)

    @classmethod
    def of(cls, who: Any) -> Actor:
        """An Actor for a user, a device (anything with ``audit_actor()``), or nobody."""
        if who is None:
            return cls.system()
        if isinstance(who, Actor):
            return who
        if hasattr(who, "audit_actor"):
            return who.audit_actor()
        if getattr(who, "is_authenticated", False):
            return cls(ActorType.USER, str(who.pk), who.get_username())
        return cls(ActorType.ANONYMOUS, "", "")


# The server acting on its own or for the operator (seed data, management commands).
SYSTEM = Actor.system("system")


def client_ip(request: HttpRequest) -> str:
    """The address the request came from: the peer, or — when the peer is a trusted reverse
    proxy — the nearest address it forwards that is not one of the trusted proxies."""
    remote = str(request.META.get("REMOTE_ADDR", ""))[:45]
    if not proxies.trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if not proxies.is_address(hop):
            # A hop that is not an address was not written by a proxy we trust.
            return remote
        if not proxies.trusted(hop):
            return hop[:45]
    return remote


def record(
    action: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    case_id: int | None = None,
    outcome: str = Outcome.OK,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    ``actor`` defaults to the request's user (or device) and then to the system.
    ``obj`` fills object type/id (``app.model`` and pk) and, when it has one, the case.
    ``action`` is a declared event or permission code (an app's ``events.py``/``perms.py``).
    """
    action = vocabulary.require_declared(action)
    if actor is None and request is not None:
        actor = getattr(request, "auth_device", None) or getattr(request, "user", None)
    who = Actor.of(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        if case_id is None:
            case_id = getattr(obj, "case_id", None)
            if case_id is None and obj._meta.label_lower == "cases.case":
                case_id = obj.pk
    fields: dict[str, Any] = {
        "actor_type": str(who.type),
        "actor_id": who.id,
        "actor_name": who.name[:150],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "case_id": case_id,
        "ip": client_ip(request) if request is not None else "",
        "user_agent": request.headers.get("User-Agent", "")[:300] if request is not None else "",
        "outcome": str(outcome),
        "details": details or {},
    }
    # No savepoint: the event and the change it records commit or roll back together,
    # and an action's transaction that fails here is rolled back whole anyway. The one
    # commit (one sync of the log at synchronous=FULL) is the action's, shared by all the
    # events it records.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        seq, prev_hash = _chain_tail()
        now = timezone.now()
        sha256, sm3 = event_hashes(
            {**fields, "seq": seq, "time": format_time(now), "prev_hash": prev_hash}
        )
        return AuditEvent.objects.create(
            seq=seq, time=now, prev_hash=prev_hash, hash=sha256, sm3=sm3, **fields
        )


def _chain_tail() -> tuple[int, str]:
    """The next sequence number and the hash it links to (read under the append lock)."""
    with connection.cursor() as cursor:
        # One indexed row, without building a queryset on every append.
        cursor.execute("SELECT seq, hash FROM core_auditevent ORDER BY seq DESC LIMIT 1")
        last = cursor.fetchone()
    return (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)


def _lock_chain() -> None:
    # SQLite transactions here are IMMEDIATE (settings), so they are serialised already.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK_KEY])


def format_time(moment: dt.datetime) -> str:
    """UTC, microseconds, 'Z' — the form the hash covers."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_chain_dict(event: AuditEvent) -> dict[str, Any]:
    """An event as the chain sees it (the input of :func:`chain.canonical`)."""
    return {
        "seq": event.seq,
        "time": format_time(event.time),
        "actor_type": event.actor_type,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case_id": event.case_id,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "outcome": event.outcome,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }


def latest_seq() -> int:
    return AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
