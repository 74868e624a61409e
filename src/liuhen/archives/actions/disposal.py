"""The one door of case files leaving the bureau (R18.4; 档案法实施条例 Art. 20).

Destruction (鉴定, 销毁) follows the path of AV disposal: the archivist asks for files whose
retention has ended (:func:`request_destruction`), the agency head — never the one who
asked — approves or rejects with an opinion (:func:`decide_destruction`). Approval destroys
every file of the request in one transaction: the bound PDF and the archive packages leave
the store (a ``core.BlobRemoval`` row each, the bytes deleted after commit), a write-once
``CaseFileDestruction`` row stays as the 销毁清册, and the AV evidence the file held becomes
an ordinary disposal candidate. Files the county archive takes are handed over instead
(:func:`record_transfer`), listed on a 移交清册.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.archives import disposal
from liuhen.archives.events import ArchiveDisposalEvents
from liuhen.archives.models import (
    ArchivePackage,
    CaseFile,
    CaseFileDestruction,
    DestructionDecision,
    DestructionItem,
    DestructionRequest,
    Transfer,
    TransferItem,
)
from liuhen.archives.perms import ArchiveDisposalPerms
from liuhen.core import access, audit, blob_refs
from liuhen.core.models import Outcome
from liuhen.media.retention.removal import delete_removed_bytes

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User

RECEIVER_MAX = 200


def _ids(chosen: Iterable[int | str]) -> list[int]:
    try:
        return sorted({int(pk) for pk in chosen})
    except (TypeError, ValueError):
        raise ValidationError({"files": [_("Choose case files from the list.")]}) from None


def _numbers(case_files: Iterable[CaseFile]) -> str:
    return "、".join(f.archive_number or str(f.case_id) for f in case_files)


def request_destruction(
    actor: User,
    file_ids: Iterable[int | str],
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> DestructionRequest:
    """The archivist asks to destroy case files whose retention has ended (R18.4)."""
    access.require(actor, ArchiveDisposalPerms.DESTROY_REQUEST, request=request)
    reason = (reason or "").strip()
    ids = _ids(file_ids)
    errors: dict[str, list[str]] = {}
    if not ids:
        errors["files"] = [_("Choose at least one case file.")]
    if not reason:
        errors["reason"] = [_("Give the appraisal's reason for destroying them.")]
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    with transaction.atomic(durable=True):
        # Lock the rows (PostgreSQL), so two requests cannot both take one file.
        list(CaseFile.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        found = set(
            disposal.destruction_candidates(today).filter(pk__in=ids).values_list("pk", flat=True)
        )
        refused = CaseFile.objects.filter(pk__in=[pk for pk in ids if pk not in found])
        if refused.exists() or len(found) != len(ids):
            raise ValidationError(
                {
                    "files": [
                        _(
                            "Not destruction candidates (retention not ended, handed over, "
                            "already asked for or destroyed): %(files)s"
                        )
                        % {"files": _numbers(refused) or ", ".join(map(str, ids))}
                    ]
                }
            )
        asked = DestructionRequest.objects.create(reason=reason, requested_by=actor)
        DestructionItem.objects.bulk_create(
            [DestructionItem(request=asked, case_file_id=pk) for pk in ids]
        )
        audit.record(
            ArchiveDisposalEvents.DESTROY_REQUEST,
            actor=actor,
            request=request,
            obj=asked,
            details={"case_files": ids, "reason": reason},
        )
    return asked


def _refuse_own(actor: User, asked: DestructionRequest, request: HttpRequest | None) -> None:
    """Who asked does not decide (one person holding both roles): refused and audited."""
    with transaction.atomic():
        audit.record(
            ArchiveDisposalEvents.DESTROY_DECIDE,
            actor=actor,
            request=request,
            obj=asked,
            outcome=Outcome.DENIED,
            details={"reason": "own request"},
        )
    raise ValidationError(
        {"approved": [_("You asked for this destruction; another agency head must decide on it.")]}
    )


def decide_destruction(
    actor: User,
    asked: DestructionRequest,
    *,
    approve: bool,
    opinion: str,
    request: HttpRequest | None = None,
) -> DestructionDecision:
    """The agency head approves (and so destroys the files) or rejects (R18.4)."""
    access.require(actor, ArchiveDisposalPerms.DESTROY_DECIDE, asked, request=request)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": [_("Write your opinion.")]})
    if asked.requested_by_id == getattr(actor, "pk", None):
        _refuse_own(actor, asked, request)
    try:
        with transaction.atomic(durable=True):
            DestructionRequest.objects.select_for_update().filter(pk=asked.pk).values("pk").get()
            if DestructionDecision.objects.filter(request=asked).exists():
                raise ValidationError({"approved": [_("This request has been decided already.")]})
            ids = list(asked.items.order_by("case_file_id").values_list("case_file_id", flat=True))
            decision = DestructionDecision.objects.create(
                request=asked, approved=approve, opinion=opinion, by=actor
            )
            audit.record(
                ArchiveDisposalEvents.DESTROY_DECIDE,
                actor=actor,
                request=request,
                obj=asked,
                details={"approved": approve, "opinion": opinion, "case_files": ids},
            )
            if approve:
                _destroy_all(actor, decision, ids, request)
    except IntegrityError:  # decided at the same moment by someone else
        raise ValidationError({"approved": [_("This request has been decided already.")]}) from None
    return decision


def _destroy_all(
    actor: User, decision: DestructionDecision, ids: list[int], request: HttpRequest | None
) -> None:
    # A file handed over meanwhile is the archive's now: the request cannot stand as it is.
    handed = CaseFile.objects.filter(pk__in=ids, transfer__isnull=False)
    if handed.exists():
        raise ValidationError(
            {
                "approved": [
                    _("Handed over to the archive since the request: %(files)s. Reject it.")
                    % {"files": _numbers(handed)}
                ]
            }
        )
    packages = dict(
        ArchivePackage.objects.filter(case__case_file__in=ids).values_list("pk", "case_id")
    )
    releasing = {"archives.casefile": set(ids), "archives.archivepackage": set(packages)}
    removed: set[str] = set()
    reason = f"case file destruction, decision {decision.pk} (R18.4)"
    for case_file in CaseFile.objects.filter(pk__in=ids).order_by("pk"):
        shas = [case_file.bound_id] if case_file.bound_id else []
        shas += list(
            ArchivePackage.objects.filter(case_id=case_file.case_id).values_list(
                "blob_id", flat=True
            )
        )
        gone = sum(blob_refs.release(sha, releasing, removed, reason) for sha in shas)
        CaseFileDestruction.objects.create(
            case_file=case_file, decision=decision, files_removed=gone
        )
        audit.record(
            ArchiveDisposalEvents.DESTROY,
            actor=actor,
            request=request,
            obj=case_file,
            details={
                "decision": decision.pk,
                "archive_number": case_file.archive_number,
                "case": case_file.case_id,
                "files": shas,
                "files_removed": gone,
            },
        )
    # The bytes go only once the destruction is on record: a rollback keeps them.
    transaction.on_commit(partial(delete_removed_bytes, sorted(removed)))


def record_transfer(
    actor: User,
    file_ids: Iterable[int | str],
    *,
    receiver: str,
    handed_over_on: dt.date,
    note: str = "",
    request: HttpRequest | None = None,
) -> Transfer:
    """The archivist records case files handed over to the county archive (档案法实施条例
    Art. 20); only files due for transfer are accepted, each once."""
    access.require(actor, ArchiveDisposalPerms.TRANSFER, request=request)
    receiver = (receiver or "").strip()
    ids = _ids(file_ids)
    errors: dict[str, list[str]] = {}
    if not ids:
        errors["files"] = [_("Choose at least one case file.")]
    if not receiver:
        errors["receiver"] = [_("Name the archive that received the files.")]
    elif len(receiver) > RECEIVER_MAX:
        errors["receiver"] = [_("At most %(count)d characters.") % {"count": RECEIVER_MAX}]
    today = timezone.localdate()
    if handed_over_on > today:
        errors["handed_over_on"] = [_("The hand-over cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        list(CaseFile.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        due = set(disposal.transfer_due(today).filter(pk__in=ids).values_list("pk", flat=True))
        refused = CaseFile.objects.filter(pk__in=[pk for pk in ids if pk not in due])
        if refused.exists() or len(due) != len(ids):
            raise ValidationError(
                {
                    "files": [
                        _("Not due for transfer (or handed over already): %(files)s")
                        % {"files": _numbers(refused) or ", ".join(map(str, ids))}
                    ]
                }
            )
        transfer = Transfer.objects.create(
            receiver=receiver, handed_over_on=handed_over_on, note=(note or "").strip(), by=actor
        )
        TransferItem.objects.bulk_create(
            [TransferItem(transfer=transfer, case_file_id=pk) for pk in ids]
        )
        audit.record(
            ArchiveDisposalEvents.TRANSFER,
            actor=actor,
            request=request,
            obj=transfer,
            details={
                "case_files": ids,
                "receiver": receiver,
                "handed_over_on": handed_over_on.isoformat(),
            },
        )
    return transfer
