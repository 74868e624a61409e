"""An archived case is frozen (R18.1): from ``Case.archived_at`` on, nothing in it changes.

Every action that changes a case or anything belonging to it asks :func:`refuse_if_archived`
first — after its access check and before its transaction — so the refusal reads the same on
every page, API call, command and task, and the refused attempt is kept in the audit log
while the attempted work never starts. The database refuses the same writes on its own
(``liuhen.core.frozen``, installed by the cases migrations), for any path that forgets to ask.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases.events import CaseEvents
from liuhen.cases.models import Case
from liuhen.core import audit
from liuhen.core.basis import basis
from liuhen.core.models import Outcome

ARCHIVED = "archived"


class CaseArchived(ValidationError):
    """The case is archived: the attempted change is refused (R18.1)."""


def is_archived(case: Case) -> bool:
    """Is ``case`` archived now? Read from the database: the object in hand may be stale."""
    return Case.objects.filter(pk=case.pk, archived_at__isnull=False).exists()


def refuse_if_archived(
    actor: Any,
    case: Case | None,
    what: str,
    *,
    request: HttpRequest | None = None,
) -> None:
    """Raise :class:`CaseArchived` if ``case`` is archived, recording the attempt ``what``
    (the code of the action refused) as a denied event of the case."""
    if case is None or case.pk is None:
        return
    archived_at = Case.objects.filter(pk=case.pk).values_list("archived_at", flat=True).first()
    if archived_at is None:
        return
    # Its own transaction: whatever the caller opened is about to roll back.
    with transaction.atomic():
        audit.record(
            CaseEvents.FROZEN_REFUSED,
            actor=actor,
            request=request,
            obj=case,
            outcome=Outcome.DENIED,
            details={"what": str(what)},
        )
    raise CaseArchived(refusal_message(archived_at), code=ARCHIVED)


def refusal_message(archived_at: Any) -> str:
    when = timezone.localtime(archived_at).strftime("%Y-%m-%d")
    return _(
        "This case was archived on %(date)s: its file is frozen and nothing in it can be "
        "changed. Later material is added by supplementary archiving. %(basis)s"
    ) % {"date": when, "basis": basis("R18.1")}
