"""The case register 案件台账 (R4.3): one filter for the list, the print view and the exports.

Exports are streamed: CSV row by row, XLSX through openpyxl's write-only mode into a
temporary file that is then sent in chunks, so memory stays flat for any number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.models import Case, Stage
from liuhen.core import access, tabular
from liuhen.core.confidentiality import Confidentiality
from liuhen.core.tabular import safe
from liuhen.subjects import crypto
from liuhen.subjects.identifiers import normalize_plate, normalize_uscc, validate_resident_id
from liuhen.subjects.models import CaseParty, PartyRole

CHUNK = 2000


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


def headers() -> list[str]:
    return [
        _("Case number"),
        _("Title"),
        _("Party"),
        _("Field of enforcement"),
        _("Unit"),
        _("Stage"),
        _("Confidentiality"),
        _("Assigned officers"),
        _("Opened"),
        _("Closed"),
    ]


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def rows(cases: QuerySet[Case]) -> Iterator[list[Any]]:
    """One list per case (dates as ``date``), read in chunks with the officers prefetched."""
    stages = dict(Stage.choices)
    classes = dict(Confidentiality.choices)
    for case in with_parties(with_officers(cases)).iterator(chunk_size=CHUNK):
        yield [
            safe(case.number),
            safe(case.title),
            safe(party_names(case)),
            safe(case.field),
            safe(case.unit.name),
            str(stages.get(case.stage, case.stage)),
            str(classes.get(case.confidentiality, case.confidentiality)),
            safe("、".join(o.full_name or o.username for o in case.officers.all())),
            _local_date(case.opened_at),
            _local_date(case.closed_at),
        ]


def csv_response(cases: QuerySet[Case], filename: str) -> StreamingHttpResponse:
    return tabular.csv_response(headers(), rows(cases), filename)


def xlsx_response(cases: QuerySet[Case], filename: str) -> FileResponse:
    return tabular.xlsx_response(headers(), rows(cases), filename, title=_("Case register"))
