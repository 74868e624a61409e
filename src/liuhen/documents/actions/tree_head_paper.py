"""The daily sealed PDF of the audit log's latest signed tree head, for the paper file
(R1.1): a witness that sits in a binder, out of any server's reach.

Once a local day the scheduler asks for it (``documents.tasks.daily_tree_head_pdf``); the
PDF states the head (size, time, root hash, signature, key id), carries the bureau's seal
as an invisible PAdES signature and is written once to ``settings.AUDIT_HEAD_PDF_DIR``
as ``tree-head-<date>.pdf`` for printing. Without an installed seal it is not made, and
the failure is recorded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.core import access, audit
from liuhen.core.models import Outcome, TreeHead
from liuhen.core.perms import AuditLogPerms
from liuhen.core.treehead import latest_head
from liuhen.documents.events import DocumentEvents
from liuhen.documents.printing.pdf import render_listing_pdf
from liuhen.documents.seal.certificate import active_seal, seal_credentials
from liuhen.documents.seal.sealing import seal_pdf

logger = logging.getLogger(__name__)


def pdf_path(day: dt.date) -> Path:
    return Path(settings.AUDIT_HEAD_PDF_DIR) / f"tree-head-{day.isoformat()}.pdf"


def tree_head_html(head: TreeHead, day: dt.date) -> str:
    return render_to_string(
        "documents/audit/tree_head.html",
        {"head": head, "day": day, "signed_at": timezone.localtime(head.timestamp)},
    )


def _write_once(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".tree-head-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp_name, 0o444)
        os.link(temp_name, path)  # never replaces the day's paper once written
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)


def seal_tree_head_pdf(actor: audit.Actor) -> Path | None:
    """Today's sealed PDF of the latest head; None when already made today or nothing was
    signed yet (or no seal is installed: recorded as a failure)."""
    access.require(actor, AuditLogPerms.SIGN)
    day = timezone.localdate()
    path = pdf_path(day)
    head = latest_head()
    if head is None or path.exists():
        return None
    seal = active_seal()
    if seal is None:
        logger.error("no seal certificate installed: the audit tree head PDF was not made")
        with transaction.atomic(durable=True):
            audit.record(
                DocumentEvents.TREE_HEAD_PDF,
                actor=actor,
                obj=head,
                outcome=Outcome.FAILED,
                details={"reason": "no seal certificate installed"},
            )
        return None
    # Rendering and sealing are slow and touch no table: outside any transaction.
    pdf = seal_pdf(
        render_listing_pdf(tree_head_html(head, day)),
        seal_credentials(seal),
        box=None,
        field_name="BureauSeal",
        reason=_("Audit log signed tree head"),
    )
    try:
        _write_once(path, pdf)
    except FileExistsError:
        return None  # another scheduler made today's at the same moment
    with transaction.atomic(durable=True):
        audit.record(
            DocumentEvents.TREE_HEAD_PDF,
            actor=actor,
            obj=head,
            details={"file": str(path), "tree_size": head.tree_size},
        )
    return path
