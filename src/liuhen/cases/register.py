"""The case register 案件台账 (R4.3): one filter for the list, the print view and the exports
(the register kit, ``core.registers``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import User
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import Case, Stage
from liuhen.cases.perms import CasePerms
from liuhen.core import access
from liuhen.core.registers import Column, Register, local_date
from liuhen.subjects import crypto
from liuhen.subjects.identifiers import normalize_plate, normalize_uscc, validate_resident_id
from liuhen.subjects.models import CaseParty, PartyRole


def filtered(user: Any, params: QueryDict) -> tuple[QuerySet[Case], dict[str, str]]:
    """The cases ``user`` may see that match the list's filter, and the filter itself."""
    cases = access.visible(user, Case.objects.select_related("unit")).order_by("-opened_at", "-id")
    filters: dict[str, str] = {}
    query = params.get("q", "").strip()
    if query:
        cases = cases.filter(pk__in=_matching(query))
        filters["q"] = query
    stage = params.get("stage", "")
    if stage in Stage.values:
        cases = cases.filter(stage=stage)
        filters["stage"] = stage
    return cases, filters


def _matching(query: str) -> QuerySet[Any, Any]:
    """Ids of cases whose number or title contains ``query``, or whose party matches it.

    A UNION of the two, not an OR: each side then uses its own index (on PostgreSQL the
    trigram indexes of migrations cases 0007 and subjects 0002), where an OR with a
    subquery makes the planner read every case.
    """
    own = Case.objects.filter(Q(number__icontains=query) | Q(title__icontains=query))
    return own.order_by().values("pk").union(_by_party(query).order_by())


def _by_party(query: str) -> QuerySet[CaseParty, Any]:
    """Ids of cases whose party has this name (part), USCC, plate or resident id.

    A subquery, so a case with two matching parties is listed once and the list keeps its
    constant number of queries. A resident id is matched only whole, through its blind
    index; the ciphertext is never searched (R18.5).
    """
    folded = normalize_uscc(query)  # the folding every identifier uses
    subject = Q(subject__name__icontains=query)
    if folded:
        subject |= Q(subject__uscc=folded) | Q(subject__plate=normalize_plate(query))
    if validate_resident_id(folded):
        subject |= Q(subject__resident_id_index=crypto.blind_index(folded))
    return CaseParty.objects.filter(subject).values("case_id")


def with_officers(cases: QuerySet[Case]) -> QuerySet[Case]:
    officers = Prefetch("officers", queryset=User.objects.order_by("full_name", "username"))
    return cases.prefetch_related(officers)


def with_parties(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Each case's parties 当事人 as ``case.party_links`` (one query per page, not per case)."""
    links = CaseParty.objects.filter(role=PartyRole.PARTY).select_related("subject")
    return cases.prefetch_related(
        Prefetch("parties", queryset=links.order_by("created_at", "id"), to_attr="party_links")
    )


def party_names(case: Case) -> str:
    return "、".join(link.subject.name for link in getattr(case, "party_links", ()))


def _officer_names(case: Case) -> str:
    return "、".join(officer.full_name or officer.username for officer in case.officers.all())


class CaseRegister(Register[Case]):
    title = _("Case register")
    file_stem = "case-register"
    permission = CasePerms.LIST
    event = CaseEvents.EXPORT
    object_type = "cases.case"
    columns = (
        Column(_("Case number"), lambda case: case.number),
        Column(_("Title"), lambda case: case.title),
        Column(_("Party"), party_names),
        Column(_("Field of enforcement"), lambda case: case.field),
        Column(_("Unit"), lambda case: case.unit.name),
        Column(_("Stage"), lambda case: case.get_stage_display()),
        Column(_("Confidentiality"), lambda case: case.get_confidentiality_display()),
        Column(_("Assigned officers"), _officer_names),
        Column(_("Opened"), lambda case: local_date(case.opened_at)),
        Column(_("Closed"), lambda case: local_date(case.closed_at)),
    )

    def prepare(self, records: QuerySet[Case]) -> QuerySet[Case]:
        return with_parties(with_officers(records))


REGISTER = CaseRegister()
