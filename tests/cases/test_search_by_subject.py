"""Case register search by the party's name or identifier (issue 3, R4.3, R18.5)."""

from __future__ import annotations

import pytest

from liuhen.cases.actions.registration import link_party
from liuhen.core.audit import SYSTEM
from liuhen.subjects import actions
from liuhen.subjects.identifiers import mask_resident_id
from tests.factories import CaseFactory, resident_id, uscc

pytestmark = pytest.mark.django_db

NUMBER = resident_id(456)
CODE = uscc(42)


@pytest.fixture
def parties(unit_a, unit_b, officer_wang, officer_li):
    shop = actions.create_subject(SYSTEM, kind="unit", name="金穗农资经营部", uscc=CODE)
    farmer = actions.create_subject(SYSTEM, kind="person", name="赵大海", resident_id=NUMBER)
    truck = actions.create_subject(SYSTEM, kind="vehicle", name="农用运输车", plate="辽L·12345")
    case_a = CaseFactory(unit=unit_a, number="A-1", title="甲案", officers=[officer_wang])
    # Two matching parties on one case: it is still listed once.
    link_party(SYSTEM, case_a, shop)
    link_party(SYSTEM, case_a, farmer, role="interested")
    case_b = CaseFactory(unit=unit_b, number="B-1", title="乙案", officers=[officer_li])
    link_party(SYSTEM, case_b, truck)
    CaseFactory(unit=unit_a, number="A-2", title="丙案", officers=[officer_wang])
    return case_a, case_b


def _found(client, query: str) -> list[str]:
    page = client.get("/cases/", {"q": query}).context["page"]
    return [case.number for case in page.object_list]


def test_search_by_party_name(client, parties, officer_wang) -> None:
    client.force_login(officer_wang)
    assert _found(client, "金穗") == ["A-1"]
    assert _found(client, "赵大") == ["A-1"]  # one row although two parties match
    assert _found(client, "钱") == []


def test_search_by_uscc_normalised(client, parties, officer_wang) -> None:
    client.force_login(officer_wang)
    assert _found(client, CODE) == ["A-1"]
    assert _found(client, f" {CODE[:6]} {CODE[6:].lower()} ") == ["A-1"]


def test_search_by_plate_normalised(client, parties, officer_li) -> None:
    client.force_login(officer_li)
    assert _found(client, "辽l12345") == ["B-1"]


def test_search_by_full_resident_id_only(client, parties, officer_wang) -> None:
    client.force_login(officer_wang)
    assert _found(client, NUMBER) == ["A-1"]
    # What a list shows (masked) or a part of the number finds nothing.
    assert _found(client, mask_resident_id(NUMBER)) == []
    assert _found(client, NUMBER[:10]) == []
    assert _found(client, NUMBER[-6:]) == []


def test_search_respects_access(client, parties, officer_li, agency_head_liu) -> None:
    client.force_login(officer_li)
    assert _found(client, "金穗") == []
    assert _found(client, NUMBER) == []
    client.force_login(agency_head_liu)
    assert _found(client, "金穗") == ["A-1"]


def test_export_uses_the_same_search(client, parties, officer_wang) -> None:
    client.force_login(officer_wang)
    response = client.get("/cases/register/export.csv", {"q": "金穗"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "A-1" in body and "A-2" not in body


def _queries(client, params: dict[str, str]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/cases/", params).status_code == 200
    return len(ctx.captured_queries)


def test_search_adds_no_queries(client, parties, officer_wang) -> None:
    client.force_login(officer_wang)
    client.get("/cases/")  # warm-up: the first request of a session does more
    plain = _queries(client, {})
    # The party match is a subquery of the same count and page queries.
    assert _queries(client, {"q": NUMBER}) == plain
    assert _queries(client, {"q": "金穗"}) == plain
