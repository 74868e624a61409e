"""我的待办 of the documents: issued documents of one's own open cases that still await
the party's signature (R9.1) — neither a signed version nor a recorded refusal (R9.2)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Role
from liuhen.core.inbox import Task
from liuhen.documents.models import DocumentFile, FilePurpose, IssuedDocument, SignatureRefusal


def signatures_owed(user: Any) -> list[Task]:
    if user.is_admin_role or not user.has_role(Role.OFFICER, Role.UNIT_HEAD):
        return []
    signed = DocumentFile.objects.filter(purpose=FilePurpose.SIGNED).values("issued_id")
    refused = SignatureRefusal.objects.values("issued_id")
    waiting = (
        IssuedDocument.objects.filter(
            needs_signature=True,
            case__officers=user,
            case__closed_at__isnull=True,
            superseded_by__isnull=True,
        )
        .exclude(pk__in=signed)
        .exclude(pk__in=refused)
        .select_related("case")
        .order_by("issued_at", "id")
    )
    return [
        Task(
            kind=_("Signature"),
            label=_("Have the party sign: %(title)s") % {"title": str(doc)},
            link=reverse("documents:issued", args=[doc.pk]),
            subject=doc.case.number if doc.case else "",
        )
        for doc in waiting
    ]


PROVIDERS = {"signatures": signatures_owed}
