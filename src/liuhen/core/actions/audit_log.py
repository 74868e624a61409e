"""Reading, checking, signing and exporting the audit log (R1.1, R23.1).

Reading the log is itself recorded: one ``audit.view`` event per page request. Only the
audit admin reads and signs it (``audit.view``, ``audit.sign``); the operator's shell and
the scheduler act as the system.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TextIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet

from liuhen.core import access, audit
from liuhen.core.actions import witnesses
from liuhen.core.audit import latest_seq
from liuhen.core.events import AuditLogEvents
from liuhen.core.export import write_export
from liuhen.core.logcheck import CheckResult
from liuhen.core.models import AuditEvent, Outcome, TreeHead
from liuhen.core.perms import AuditLogPerms
from liuhen.core.treehead import InconsistentLog, as_dict, latest_head, sign_tree_head
from liuhen.core.verify import verify_chain

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)


def filter_events(queryset: QuerySet[AuditEvent], filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Apply the search form's cleaned filters (empty values are ignored)."""
    if actor := filters.get("actor"):
        queryset = queryset.filter(Q(actor_name__icontains=actor) | Q(actor_id=actor))
    if action := filters.get("action"):
        queryset = queryset.filter(action__icontains=action)
    if object_type := filters.get("object_type"):
        queryset = queryset.filter(object_type__icontains=object_type)
    if object_id := filters.get("object_id"):
        queryset = queryset.filter(object_id=object_id)
    if (case_id := filters.get("case_id")) is not None:
        queryset = queryset.filter(case_id=case_id)
    if outcome := filters.get("outcome"):
        queryset = queryset.filter(outcome=outcome)
    if time_from := filters.get("time_from"):
        queryset = queryset.filter(time__gte=time_from)
    if time_to := filters.get("time_to"):
        queryset = queryset.filter(time__lte=time_to)
    return queryset


def search_events(
    actor: AbstractBaseUser | audit.Actor,
    *,
    filters: dict[str, Any],
    page: int = 1,
    request: HttpRequest | None = None,
) -> QuerySet[AuditEvent]:
    """The events the audit admin searched for, newest first; the search is recorded."""
    access.require(actor, AuditLogPerms.VIEW, request=request)
    queryset = filter_events(access.visible(actor, AuditEvent.objects.all()), filters)
    used = {key: str(value) for key, value in filters.items() if value not in (None, "")}
    with transaction.atomic(durable=True):
        viewed = audit.record(
            AuditLogEvents.VIEW,
            actor=actor,
            request=request,
            object_type="core.auditevent",
            details={"filters": used, "page": page},
        )
    # The log as it was when searched: this search's own event shows up next time.
    return queryset.filter(seq__lt=viewed.seq).order_by("-seq")


def view_event(
    actor: AbstractBaseUser | audit.Actor,
    event: AuditEvent,
    *,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Open one event (fetched through the access idiom); the reading is recorded."""
    access.require(actor, AuditLogPerms.VIEW, event, request=request)
    with transaction.atomic(durable=True):
        audit.record(AuditLogEvents.VIEW, actor=actor, request=request, obj=event)
    return event


def view_status(
    actor: AbstractBaseUser | audit.Actor, *, request: HttpRequest | None = None
) -> None:
    """Opening the chain status page (tree heads, public key) is a read of the log."""
    access.require(actor, AuditLogPerms.VIEW, request=request)
    with transaction.atomic(durable=True):
        audit.record(AuditLogEvents.VIEW, actor=actor, request=request, object_type="core.treehead")


def check_chain(
    actor: AbstractBaseUser | audit.Actor, *, request: HttpRequest | None = None
) -> CheckResult:
    """Run the full verification for the audit admin; a failure is recorded (R23.1)."""
    access.require(actor, AuditLogPerms.VIEW, request=request)
    result = verify_chain()
    with transaction.atomic(durable=True):
        audit.record(
            AuditLogEvents.VERIFY,
            actor=actor,
            request=request,
            outcome=Outcome.OK if result.ok else Outcome.FAILED,
            details={
                "events": result.count,
                "first_bad_seq": result.first_bad_seq,
                "reason": result.reason,
            },
        )
    return result


def sign_now(
    actor: AbstractBaseUser | audit.Actor, *, request: HttpRequest | None = None
) -> TreeHead:
    """Sign a tree head now: the audit admin on the status page, or the operator's shell
    (``liuhen audit sign``, the system actor).

    The ``audit.sign`` event comes after the head, so the head covers the log as it was.
    A log that no longer extends the last head is not signed, and the refusal is
    recorded (R23.1).
    """
    access.require(actor, AuditLogPerms.SIGN, request=request)
    try:
        with transaction.atomic(durable=True):
            head = sign_tree_head()
            audit.record(
                AuditLogEvents.SIGN,
                actor=actor,
                request=request,
                obj=head,
                details={"tree_size": head.tree_size, "root_hash": head.root_hash},
            )
    except InconsistentLog as exc:
        _record_sign_refusal(actor, str(exc), request=request)
        raise
    witnesses.announce_head(head)
    return head


def sign_if_new_events(actor: audit.Actor) -> dict[str, Any] | None:
    """The scheduler's periodic signing (R1.1): sign a tree head when events were appended
    since the latest one; else do nothing.

    Writes no audit event when it signs (a signing event would itself be "new" and make
    every period sign again); a refusal to sign a tampered log is recorded.
    """
    head = latest_head()
    size = latest_seq()
    if size == 0 or (head is not None and head.tree_size >= size):
        return None
    try:
        signed = sign_tree_head()
    except InconsistentLog:
        # R23.1: the log was tampered with; say so loudly, never sign over it.
        logger.exception("audit log not signed")
        _record_sign_refusal(actor, "the log does not extend the latest signed tree head")
        return None
    witnesses.announce_head(signed)
    return as_dict(signed)


def _record_sign_refusal(
    actor: AbstractBaseUser | audit.Actor, reason: str, *, request: HttpRequest | None = None
) -> None:
    # Its own transaction: the signing's rolled back.
    with transaction.atomic(durable=True):
        audit.record(
            AuditLogEvents.SIGN,
            actor=actor,
            request=request,
            object_type="core.treehead",
            outcome=Outcome.FAILED,
            details={"reason": reason},
        )


def export_log(actor: audit.Actor, *, stream: TextIO, destination: str) -> dict[str, Any]:
    """Export for an outside auditor, from the operator's shell (R1.1).

    When the log checks out, the export is recorded and a tree head is signed over
    everything up to and including that event, so the file ends with a signed head
    covering all of it. A log that fails the check is exported exactly as it stands
    (the export event is left out of the file), so the outsider sees what we see.
    """
    access.require(actor, AuditLogPerms.VIEW)
    size_before = latest_seq()
    result = verify_chain()
    with transaction.atomic(durable=True):
        audit.record(
            AuditLogEvents.EXPORT,
            actor=actor,
            outcome=Outcome.OK if result.ok else Outcome.FAILED,
            details={"destination": destination[:200], "first_bad_seq": result.first_bad_seq},
        )
    size = size_before
    if result.ok:
        signed = sign_tree_head()
        witnesses.announce_head(signed)
        size = signed.tree_size
    counts: dict[str, Any] = dict(write_export(stream, size, all_heads=not result.ok))
    counts["intact"] = result.ok
    return counts
