"""The audit log's Merkle tree (RFC 9162) over the API: tree head and proofs.

Only the audit admin may call these (``audit.view``, R1.1); every other caller gets 403
and the denial is itself audited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from liuhen.api.schemas import ERRORS_404
from liuhen.core import access, proofs
from liuhen.core.perms import AuditLogPerms

router = Router(tags=["audit"])


def _require_auditor(request: HttpRequest) -> None:
    access.require(request.user, AuditLogPerms.VIEW, None, request=request)


def _proof(request: HttpRequest, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A proof for the auditor; one the log cannot give (no such event or tree) is 422."""
    _require_auditor(request)
    try:
        return compute()
    except ValueError as exc:
        raise HttpError(422, _("No such proof: %(reason)s") % {"reason": exc}) from exc


@router.get(
    "/audit/tree-head",
    response={200: dict[str, Any], **ERRORS_404},
    summary="The latest signed tree head",
)
def tree_head(request: HttpRequest) -> dict[str, Any]:
    _require_auditor(request)
    head = proofs.latest_head()
    if head is None:
        raise Http404
    return head


@router.get(
    "/audit/proofs/inclusion",
    response={200: dict[str, Any], **ERRORS_404},
    summary="Inclusion proof of one event in a tree",
)
def inclusion_proof(
    request: HttpRequest,
    seq: int = Query(..., ge=1, description="sequence number of the event"),
    tree_size: int | None = Query(None, ge=1, description="default: the latest tree head"),
) -> dict[str, Any]:
    return _proof(request, lambda: proofs.inclusion(seq, tree_size=tree_size))


@router.get(
    "/audit/proofs/consistency",
    response={200: dict[str, Any], **ERRORS_404},
    summary="Consistency proof between two tree sizes",
)
def consistency_proof(
    request: HttpRequest,
    first: int = Query(..., ge=1, description="the smaller tree size, 1 at least"),
    second: int = Query(..., ge=1, description="the larger tree size"),
) -> dict[str, Any]:
    return _proof(request, lambda: proofs.consistency(first, second))
