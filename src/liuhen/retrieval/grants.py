"""What a live 调阅 grant lets its holder do (R21.1), answered for ``core.access`` at each use.

A view grant opens the case page, a document and its files, an AV record and its player; a
download grant also downloads the AV file. A grant for a case reaches the case's documents
and the AV records linked to it. The expiry is compared with the clock on every call: an
expired or revoked grant allows nothing from that moment (no permission is cached).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.documents.models import IssuedDocument
from liuhen.documents.perms import DocumentPerms
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.retrieval.models import AccessKind, Grant, TargetKind

# The reads a view grant allows; opening a document's file is how a document is read.
VIEW_READS = frozenset(
    {
        CasePerms.VIEW,
        DocumentPerms.VIEW,
        DocumentPerms.DOWNLOAD,
        MediaPerms.VIEW,
        MediaPerms.PLAY,
    }
)
DOWNLOAD_READS = frozenset({MediaPerms.DOWNLOAD})


def _cases_of_record(record: AvRecord) -> models.QuerySet[Any]:
    return Case.objects.filter(
        models.Q(av_links__record=record, av_links__unlink__isnull=True)
        | models.Q(activities__av_links__record=record, activities__av_links__unlink__isnull=True)
    ).values("pk")


def _reaching(obj: Any) -> models.Q | None:
    """The requests whose grant reaches ``obj``."""
    whole_case = models.Q(request__target_kind=TargetKind.CASE)
    if isinstance(obj, Case):
        return whole_case & models.Q(request__case=obj)
    if isinstance(obj, IssuedDocument):
        found = models.Q(request__target_kind=TargetKind.DOCUMENT, request__document=obj)
        if obj.case_id is not None:
            found |= whole_case & models.Q(request__case_id=obj.case_id)
        return found
    if isinstance(obj, AvRecord):
        return models.Q(request__target_kind=TargetKind.RECORD, request__record=obj) | (
            whole_case & models.Q(request__case__in=_cases_of_record(obj))
        )
    return None


def live_grant(user: Any, action: str, obj: Any) -> Grant | None:
    """The live grant of ``user`` that allows ``action`` on ``obj`` (the latest to expire)."""
    if action in VIEW_READS:
        kinds: tuple[str, ...] = (AccessKind.VIEW, AccessKind.DOWNLOAD)
    elif action in DOWNLOAD_READS:
        kinds = (AccessKind.DOWNLOAD,)
    else:
        return None
    reach = _reaching(obj)
    if reach is None:
        return None
    return (
        Grant.objects.filter(
            reach,
            request__requested_by=user,
            request__access__in=kinds,
            expires_at__gt=timezone.now(),
            revocation__isnull=True,
        )
        .select_related("request")
        .order_by("-expires_at", "-pk")
        .first()
    )
