"""Retention and disposal of AV records (R18.4).

Raw AV is kept at least ``rules.value("av_raw_retention")`` days (180 by default; the
rule's floor of 180 cannot be lowered). The period runs from the **later** of the upload
and the capture time — in practice the upload: the bureau must hold the material for the
whole period, so an old capture time (third-party footage obtained years later, a
recorder with a wrong clock) never shortens it.

A record is a disposal **candidate** when its period has run out and it is not disposed
of, not in a request awaiting decision, not marked important (its latest ``AvMark``), and
not linked as evidence to a case (a current ``AvLink`` with ``evidence``, to the case or
to an activity of the case). AV used as evidence inherits the case-file retention, which
the archive app will set when the case file is archived; until it exists such records are
never candidates.

The custodian asks (:func:`request_disposal`, ``media.dispose_request``); the agency head
approves or rejects with an opinion (:func:`decide`, ``media.dispose_decide``) — never
their own request. Approval disposes of every record of the request in one transaction;
a stored file is removed only when nothing else refers to it (``core.blob_refs``): a
``core.BlobRemoval`` row is written with the disposal, and the bytes are deleted after the
transaction commits, so a rollback never loses bytes that are still on record.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, User
from liuhen.core import access, audit, blob_refs, notifications, rules
from liuhen.core.blobs import BlobNotFound, BlobStore, get_store
from liuhen.core.models import Blob, BlobRemoval, Outcome
from liuhen.media.events import MediaEvents
from liuhen.media.models import (
    AvDisposal,
    AvLink,
    AvMark,
    AvProbe,
    AvRecord,
    DisposalDecision,
    DisposalItem,
    DisposalRequest,
    DisposalStatus,
)
from liuhen.media.perms import MediaPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

RECORD_LABEL = "media.avrecord"


# --- which records may go --------------------------------------------------------------


def retention_days() -> int:
    return int(rules.value("av_raw_retention"))


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Records that came in before this moment have served their retention."""
    return (now or timezone.now()) - dt.timedelta(days=retention_days())


def past_retention(now: dt.datetime | None = None) -> QuerySet[AvRecord]:
    """Records whose retention has run out and that nothing keeps (pending requests
    included): not disposed of, not marked important, not evidence in a case."""
    cutoff = retention_cutoff(now)
    latest_mark = (
        AvMark.objects.filter(record=OuterRef("pk")).order_by("-at", "-id").values("important")[:1]
    )
    # R18.4: evidence is kept with its case file (the archive app will set that period).
    evidence = AvLink.objects.filter(
        record=OuterRef("pk"), unlink__isnull=True, evidence=True
    ).filter(Q(case__isnull=False) | Q(activity__case__isnull=False))
    return (
        AvRecord.objects.filter(uploaded_at__lt=cutoff)
        .filter(Q(captured_at__isnull=True) | Q(captured_at__lt=cutoff))
        .filter(~Exists(AvDisposal.objects.filter(record=OuterRef("pk"))))
        .annotate(marked_important=Subquery(latest_mark, output_field=BooleanField()))
        .filter(Q(marked_important__isnull=True) | Q(marked_important=False))
        .filter(~Exists(evidence))
    )


def candidates(now: dt.datetime | None = None) -> QuerySet[AvRecord]:
    """Disposal candidates: past retention and not already asked for; oldest first."""
    pending = DisposalItem.objects.filter(record=OuterRef("pk"), request__decision__isnull=True)
    return past_retention(now).filter(~Exists(pending)).order_by("uploaded_at", "pk")


def status_of(asked: DisposalRequest) -> DisposalStatus:
    try:
        decision = asked.decision
    except DisposalDecision.DoesNotExist:
        return DisposalStatus.PENDING
    return DisposalStatus.APPROVED if decision.approved else DisposalStatus.REJECTED


def references_blob(sha256: str, releasing: blob_refs.Releasing) -> bool:
    """The media app's blob references: a record not disposed of, or its thumbnail."""
    live = AvRecord.objects.filter(~Exists(AvDisposal.objects.filter(record=OuterRef("pk"))))
    gone = releasing.get(RECORD_LABEL, ())
    if gone:
        live = live.exclude(pk__in=list(gone))
    if live.filter(blob_id=sha256).exists():
        return True
    return AvProbe.objects.filter(thumbnail_id=sha256, record__in=live).exists()


# --- asking ------------------------------------------------------------------------------


def _agency_heads() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_grants__role=Role.AGENCY_HEAD).distinct()


def request_disposal(
    actor: Any,
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
    with transaction.atomic():
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
            details={"records": ids, "reason": reason, "retention_days": retention_days()},
        )
        transaction.on_commit(partial(_notify_heads, asked.pk, len(ids), actor.pk))
    return asked


def _notify_heads(request_id: int, count: int, requester_id: int) -> None:
    link = reverse("media:disposal_request", args=[request_id])
    with translation.override(settings.LANGUAGE_CODE):
        text = _("AV disposal request no. %(number)s (%(count)s records) awaits your decision.") % {
            "number": request_id,
            "count": count,
        }
        for head in _agency_heads().exclude(pk=requester_id):
            notifications.notify(
                head, text, link=link, dedupe_key=f"av-disposal:{request_id}:asked"
            )


# --- deciding ----------------------------------------------------------------------------


def _refuse_own(actor: Any, asked: DisposalRequest, request: HttpRequest | None) -> None:
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
    actor: Any,
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
        with transaction.atomic():
            DisposalRequest.objects.select_for_update().filter(pk=asked.pk).values("pk").get()
            if DisposalDecision.objects.filter(request=asked).exists():
                raise ValidationError({"approved": [_("This request has been decided already.")]})
            ids = list(asked.items.order_by("record_id").values_list("record_id", flat=True))
            if approve:
                # The same row locks the marking and linking take (media.curation): an
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
            transaction.on_commit(partial(_notify_requester, asked.pk, approve))
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
    actor: Any,
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
        blob_removed = _release(record.blob_id, releasing, removed, reason)
        thumbnail = thumbnails.get(record.pk)
        thumbnail_removed = thumbnail is not None and _release(
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


def _release(sha256: str, releasing: blob_refs.Releasing, removed: set[str], reason: str) -> bool:
    """Record the blob's removal if nothing else refers to it; True if it goes."""
    if sha256 in removed:
        return True
    if blob_refs.is_referenced(sha256, releasing=releasing):
        return False
    # Bytes disposed of before and stored again since have a restored earlier removal;
    # each removal is its own write-once row.
    if not BlobRemoval.objects.filter(blob_id=sha256, restore__isnull=True).exists():
        BlobRemoval.objects.create(blob_id=sha256, reason=reason[:300])
    removed.add(sha256)
    return True


def _delete_if_still_removed(store: BlobStore, sha256: str) -> None:
    """Delete under the blob row's lock, the one an identical new upload takes before it
    records the bytes as back (core.blobs): never bytes a new record points to."""
    with transaction.atomic():
        Blob.objects.select_for_update().filter(pk=sha256).values("pk").get()
        still_removed = BlobRemoval.objects.filter(blob_id=sha256, restore__isnull=True)
        if blob_refs.is_referenced(sha256) or not still_removed.exists():
            # The same bytes came in again since the decision: keep them.
            logger.warning("blob %s is referenced again; its bytes are kept", sha256)
            return
        store.delete(sha256)


def delete_removed_bytes(sha256s: list[str]) -> None:
    """After commit: delete the bytes whose removal is on record."""
    store = get_store()
    for sha256 in sha256s:
        try:
            _delete_if_still_removed(store, sha256)
        except BlobNotFound:
            logger.warning("blob %s to be removed was not in the store", sha256)
        except Exception:
            # The removal is on record; the bytes can be deleted by hand. Never a 500.
            logger.exception(
                "blob %s: could not delete its bytes from %s", sha256, store.describe()
            )


def _notify_requester(request_id: int, approved: bool) -> None:
    asked = DisposalRequest.objects.select_related("requested_by").get(pk=request_id)
    if not asked.requested_by.is_active:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if approved:
            text = _(
                "AV disposal request no. %(number)s was approved; the records are disposed of."
            )
        else:
            text = _("AV disposal request no. %(number)s was rejected.")
        notifications.notify(
            asked.requested_by,
            text % {"number": request_id},
            link=reverse("media:disposal_request", args=[request_id]),
            dedupe_key=f"av-disposal:{request_id}:decided",
        )
