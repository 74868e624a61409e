"""Reading issued documents (R21.1): every opening and every download is an audited read."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from liuhen.accounts.models import User
from liuhen.core import access, audit
from liuhen.documents.events import DocumentEvents
from liuhen.documents.files import current_file
from liuhen.documents.models import DocumentFile, IssuedDocument
from liuhen.documents.perms import DocumentPerms


def open_file(
    actor: User,
    issued: IssuedDocument,
    *,
    purpose: str | None = None,
    request: HttpRequest | None = None,
) -> DocumentFile:
    """The document's current file (or the one of ``purpose``) for download, audited;
    ``DocumentFile.DoesNotExist`` when it has no such file."""
    access.require(actor, DocumentPerms.DOWNLOAD, issued, request=request)
    file = current_file(issued) if purpose is None else issued.files.get(purpose=purpose)
    with transaction.atomic(durable=True):
        audit.record(
            DocumentEvents.DOWNLOAD,
            actor=actor,
            request=request,
            obj=issued,
            case_id=issued.case_id,
            details={
                "purpose": file.purpose,
                "sha256": file.blob_id,
                **access.used_grant(actor, DocumentPerms.DOWNLOAD, issued),
            },
        )
    return file


def view_issued(actor: User, issued: IssuedDocument, *, request: HttpRequest | None = None) -> None:
    """Every retrieval is logged (R21.1): opening an issued document."""
    access.require(actor, DocumentPerms.VIEW, issued, request=request)
    with transaction.atomic(durable=True):
        audit.record(
            DocumentEvents.VIEW,
            actor=actor,
            request=request,
            obj=issued,
            case_id=issued.case_id,
            details=access.used_grant(actor, DocumentPerms.VIEW, issued),
        )
