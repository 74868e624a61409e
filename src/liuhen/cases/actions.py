"""Changes to cases. The foundation registers a case; the cases feature adds the workflow."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liuhen.accounts import access
from liuhen.accounts.models import Unit, User
from liuhen.cases.models import Case, Confidentiality, Stage
from liuhen.core import audit

if TYPE_CHECKING:
    from django.http import HttpRequest


def register_case(
    actor: Any,
    *,
    number: str,
    title: str,
    unit: Unit,
    officers: Iterable[User] = (),
    stage: str = Stage.INITIATION,
    confidentiality: str = Confidentiality.ORDINARY,
    request: HttpRequest | None = None,
) -> Case:
    """Enter a case in the case register 案件台账 (R4.3) with its officers (R4.1)."""
    if isinstance(actor, User):
        access.require(actor, "case.create", unit, request=request)
    number, title = number.strip(), title.strip()
    if not number or not title:
        raise ValidationError(_("A case needs a number and a title."), code="required")
    if stage not in Stage.values or confidentiality not in Confidentiality.values:
        raise ValidationError(_("Unknown stage or confidentiality class."), code="invalid")
    officers = list(officers)
    with transaction.atomic():
        if Case.objects.filter(number=number).exists():
            raise ValidationError(_("This case number is in use already."), code="duplicate")
        case = Case.objects.create(
            number=number, title=title, unit=unit, stage=stage, confidentiality=confidentiality
        )
        case.officers.set(officers)
        audit.record(
            "case.create",
            actor=actor,
            request=request,
            obj=case,
            details={"number": number, "officers": [officer.pk for officer in officers]},
        )
    return case
