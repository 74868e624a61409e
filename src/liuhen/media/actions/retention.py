"""Disposal of AV records after retention (R18.4): the custodian asks, the agency head
decides.

The custodian asks (:func:`request_disposal`, ``media.dispose_request``) for candidates
(:mod:`liuhen.media.retention.candidates`); the agency head approves or rejects with an
opinion (:func:`decide`, ``media.dispose_decide``) — never their own request. Approval
disposes of every record of the request in one transaction; a stored file is removed only
when nothing else refers to it (``core.blob_refs``): a ``core.BlobRemoval`` row is written
with the disposal, and the bytes are deleted after the transaction commits
(:mod:`liuhen.media.retention.removal`), so a rollback never loses bytes still on record.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.core import access, audit, blob_refs
from liuhen.core.models import Outcome
from liuhen.media.events import MediaEvents
from liuhen.media.models import (
    AvDisposal,
    AvProbe,
    AvRecord,
    DisposalDecision,
    DisposalItem,
    DisposalRequest,
)
from liuhen.media.perms import MediaPerms
from liuhen.media.retention.candidates import (
    RECORD_LABEL,
    candidates,
    past_retention,
    retention_months,
)
from liuhen.media.retention.notices import notify_heads, notify_requester
from liuhen.media.retention.removal import delete_removed_bytes

if TYPE_CHECKING:
    from django.http import HttpRequest


def request_disposal(
    actor: User,
    record_ids: Iterable[int | str],
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> DisposalRequest:
    """The custodian asks to dispose of candidates (R18.4); only candidates are accepted."""
    access.require(actor, MediaPerms.DISPOSE_REQUEST, request=request)
    reason = (reason or "").strip()
    try:
        ids = sorted({int(pk) for pk in record_ids})
    except (TypeError, ValueError):
        raise ValidationError({"records": [_("Choose records from the list.")]}) from None
    errors: dict[str, list[str]] = {}
    if not ids:
        errors["records"] = [_("Choose at least one record.")]
    if not reason:
        errors["reason"] = [_("Give the reason for the disposal.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        # Lock the rows (PostgreSQL), so two requests cannot both take one record.
        list(AvRecord.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        found = set(candidates().filter(pk__in=ids).values_list("pk", flat=True))
        refused = [pk for pk in ids if pk not in found]
        if refused:
            raise ValidationError(
                {
                    "records": [
                        _(
                            "Not disposal candidates (retention not run out, important, "
                            "evidence, already asked for or disposed of): %(records)s"
                        )
                        % {"records": ", ".join(f"AV-{pk}" for pk in refused)}
                    ]
                }
            )
        asked = DisposalRequest.objects.create(reason=reason, requested_by=actor)
        DisposalItem.objects.bulk_create([DisposalItem(request=asked, record_id=pk) for pk in ids])
        audit.record(
            MediaEvents.DISPOSE_REQUEST,
            actor=actor,
            request=request,
            obj=asked,
            details={"records": ids, "reason": reason, "retention_months": retention_months()},
        )
        transaction.on_commit(partial(notify_heads, asked.pk, len(ids), actor.pk))
    return asked


def _refuse_own(actor: User, asked: DisposalRequest, request: HttpRequest | None) -> None:
    """Who asked does not decide (one person holding both roles): refused and audited."""
    with transaction.atomic():
        audit.record(
            MediaEvents.DISPOSE_DECIDE,
            actor=actor,
            request=request,
            obj=asked,
            outcome=Outcome.DENIED,
            details={"reason": "own request"},
        )
    raise ValidationError(
        {"approved": [_("You asked for this disposal; another agency head must decide on it.")]}
    )


def decide(
    actor: User,
    asked: DisposalRequest,
    *,
    approve: bool,
    opinion: str,
    request: HttpRequest | None = None,
) -> DisposalDecision:
    """The agency head approves (and so disposes of the records) or rejects (R18.4)."""
    access.require(actor, MediaPerms.DISPOSE_DECIDE, asked, request=request)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": [_("Write your opinion.")]})
    if asked.requested_by_id == getattr(actor, "pk", None):
        _refuse_own(actor, asked, request)
    try:
        with transaction.atomic(durable=True):
            DisposalRequest.objects.select_for_update().filter(pk=asked.pk).values("pk").get()
            if DisposalDecision.objects.filter(request=asked).exists():
                raise ValidationError({"approved": [_("This request has been decided already.")]})
            ids = list(asked.items.order_by("record_id").values_list("record_id", flat=True))
            if approve:
                # The same row locks the marking and linking take (media.actions.curation): an
                # important mark or evidence link made meanwhile is seen, not missed.
                list(AvRecord.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
                _check_still_disposable(ids)
            decision = DisposalDecision.objects.create(
                request=asked, approved=approve, opinion=opinion, by=actor
            )
            audit.record(
                MediaEvents.DISPOSE_DECIDE,
                actor=actor,
                request=request,
                obj=asked,
                details={"approved": approve, "opinion": opinion, "records": ids},
            )
            if approve:
                _dispose_all(actor, asked, decision, ids, request)
            transaction.on_commit(partial(notify_requester, asked.pk, approve))
    except IntegrityError:  # decided at the same moment by someone else
        raise ValidationError({"approved": [_("This request has been decided already.")]}) from None
    return decision


def _check_still_disposable(ids: list[int]) -> None:
    """Since the request, a record may have been marked important, linked as evidence,
    or the retention period raised: then the request cannot be approved as it stands."""
    still = set(past_retention().filter(pk__in=ids).values_list("pk", flat=True))
    kept = [pk for pk in ids if pk not in still]
    if kept:
        raise ValidationError(
            {
                "records": [
                    _(
                        "These records must be kept now (marked important, linked as "
                        "evidence, or retention not run out): %(records)s. Reject the "
                        "request; the custodian may ask again for the others."
                    )
                    % {"records": ", ".join(f"AV-{pk}" for pk in kept)}
                ]
            }
        )


def _dispose_all(
    actor: User,
    asked: DisposalRequest,
    decision: DisposalDecision,
    ids: list[int],
    request: HttpRequest | None,
) -> None:
    releasing = {RECORD_LABEL: set(ids)}
    removed: set[str] = set()
    reason = f"AV disposal request {asked.pk}, decision {decision.pk} (R18.4)"
    thumbnails = dict(
        AvProbe.objects.filter(record_id__in=ids, thumbnail__isnull=False).values_list(
            "record_id", "thumbnail_id"
        )
    )
    for record in AvRecord.objects.filter(pk__in=ids).order_by("pk"):
        blob_removed = blob_refs.release(record.blob_id, releasing, removed, reason)
        thumbnail = thumbnails.get(record.pk)
        thumbnail_removed = thumbnail is not None and blob_refs.release(
            thumbnail, releasing, removed, reason
        )
        AvDisposal.objects.create(record=record, decision=decision, blob_removed=blob_removed)
        audit.record(
            MediaEvents.DISPOSE,
            actor=actor,
            request=request,
            obj=record,
            details={
                "request": asked.pk,
                "decision": decision.pk,
                "sha256": record.blob_id,
                "blob_removed": blob_removed,
                "thumbnail": thumbnail,
                "thumbnail_removed": thumbnail_removed,
            },
        )
    # The bytes go only once the removal is on record: a rollback keeps them.
    transaction.on_commit(partial(delete_removed_bytes, sorted(removed)))
