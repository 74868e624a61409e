"""The export of a case's trail 全程留痕 (R1.1) as a spreadsheet or PDF: a read of the
whole history at once, allowed to whoever may read the trail and audited like any read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases import timeline
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.cases.trail import EXPORT_FORMATS
from liuhen.core import access, audit
from liuhen.core.models import AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest


def export_trail(
    actor: User, case: Case, *, fmt: str, request: HttpRequest | None = None
) -> QuerySet[AuditEvent]:
    """The case's whole trail, oldest first, for an export in ``fmt``; the export is
    recorded (with its size) before the file is written, so it is in the trail it exports."""
    access.require(actor, CasePerms.TIMELINE, case, request=request)
    if fmt not in EXPORT_FORMATS:
        raise ValidationError(_("Choose PDF, XLSX or CSV."))
    with transaction.atomic(durable=True):
        rows = timeline.trail(case).count() + 1  # this export's own event
        audit.record(
            CaseEvents.TIMELINE_EXPORT,
            actor=actor,
            request=request,
            obj=case,
            details={"format": fmt, "rows": rows},
        )
    return timeline.trail(case).order_by("seq")
