"""The case page section "Licences of the parties" (R18.3, R20): the licences and permits
of the case's parties that the viewer may read, with their status and where each came
from — what a proposal to suspend or revoke a licence (暂扣、吊销许可证件) is about."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from liuhen.cases.sections import Section
from liuhen.core import access
from liuhen.subjects.models import Licence, Subject

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _licences(request: HttpRequest, case: Case) -> dict[str, Any]:
    parties = access.visible(request.user, Subject.objects.filter(case_links__case=case))
    licences = (
        Licence.objects.filter(subject__in=parties.values("pk"))
        .select_related("subject", "licence_type", "exchange_record")
        .order_by("subject__name", "licence_type__order", "number", "id")
    )
    return {"licences": list(licences[:100])}


SECTION = Section(
    "licences",
    _("Licences of the parties"),
    "cases/sections/licences.html",
    order=12,
    context=_licences,
)
