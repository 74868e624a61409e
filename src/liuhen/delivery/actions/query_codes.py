"""The party's query code 查询码 (R19.1): one random code per party of a case, made when
the first document to be served on the party is issued (or, for a document issued before,
when it is served), and printed on every document served on the party.

The documents app asks for it through the behaviour ``query_code`` this app provides
(:class:`QueryCode`, registered in ``ready()``), inside the issue's transaction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from liuhen.cases.models import Case
from liuhen.core import audit
from liuhen.delivery.events import QueryEvents
from liuhen.delivery.models import PartyQueryCode
from liuhen.subjects.models import CaseParty, PartyRole, Subject

PARTY_FIELD = "party_name"


def query_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}/query/"


def _parties(case: Case) -> list[Subject]:
    links = CaseParty.objects.filter(case=case, role=PartyRole.PARTY).select_related("subject")
    return [link.subject for link in links.order_by("created_at", "id")]


def party_of(case: Case, values: dict[str, Any]) -> tuple[str, Subject | None]:
    """Whom a document of ``case`` with ``values`` is served on: the party it names, else
    the case's only party ("" when neither tells)."""
    parties = _parties(case)
    named = str(values.get(PARTY_FIELD, "") or "").strip()
    if named:
        return named, next((s for s in parties if s.name == named), None)
    if len(parties) == 1:
        return parties[0].name, parties[0]
    return "", None


def code_of(case: Case, party_name: str) -> PartyQueryCode | None:
    return PartyQueryCode.objects.filter(case=case, party_name=party_name).first()


def _ensure_code(case: Case, values: dict[str, Any]) -> PartyQueryCode | None:
    """The party's code, made (and audited) in the caller's transaction when it is the
    first; None when the document names no party."""
    party_name, subject = party_of(case, values)
    if not party_name:
        return None
    found = code_of(case, party_name)
    if found is not None:
        return found
    # The case row's lock serialises the first code of a party (a concurrent issue waits).
    Case.objects.select_for_update().filter(pk=case.pk).values("pk").get()
    found = code_of(case, party_name)
    if found is not None:
        return found
    made = PartyQueryCode.objects.create(case=case, party_name=party_name[:200], subject=subject)
    audit.record(
        QueryEvents.CODE,
        actor=audit.SYSTEM,
        obj=made,
        case_id=case.pk,
        details={"party": party_name},
    )
    return made


class QueryCode:
    """The behaviour ``query_code`` (R19.1): a document served on a party prints where and
    with which code the party queries the case."""

    key = "query_code"

    def at_issue(self, case: Case, values: dict[str, Any]) -> tuple[str, str]:
        """The query page's URL and the party's code, the code made inside the issuing
        transaction when this is the first document served on the party."""
        made = _ensure_code(case, values)
        return ("", "") if made is None else (query_url(), made.code)

    def printed(self, case: Case, values: dict[str, Any]) -> tuple[str, str]:
        """What a re-print of an issued document shows (nothing is made)."""
        party_name, _subject = party_of(case, values)
        found = code_of(case, party_name) if party_name else None
        return ("", "") if found is None else (query_url(), found.code)

    def at_service(self, case: Case, values: dict[str, Any]) -> PartyQueryCode | None:
        """R19.1: service makes the code of a party served a document issued before."""
        return _ensure_code(case, values)
