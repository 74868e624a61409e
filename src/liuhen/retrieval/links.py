"""Where a refusal page sends a person who needs what was refused: the 调阅申请 form,
naming the case, document or AV record when the refusal knows it (R21.1)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from liuhen.cases.models import Case
from liuhen.documents.models import IssuedDocument
from liuhen.media.models import AvRecord
from liuhen.media.perms import MediaPerms
from liuhen.retrieval.models import AccessKind, TargetKind

_KINDS = (
    (Case, TargetKind.CASE),
    (IssuedDocument, TargetKind.DOCUMENT),
    (AvRecord, TargetKind.RECORD),
)


def request_link(action: str, obj: Any) -> str:
    """The form's address for ``obj`` refused for ``action``; "" for anything else."""
    for model, kind in _KINDS:
        if isinstance(obj, model):
            wanted = AccessKind.DOWNLOAD if action == MediaPerms.DOWNLOAD else AccessKind.VIEW
            query = urlencode({"kind": kind, "target": obj.pk, "access": wanted})
            return f"{reverse('retrieval:new')}?{query}"
    return ""
