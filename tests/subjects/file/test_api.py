"""``GET /api/v1/subjects/{id}/file`` (R18.3): the sections as JSON, a page of each,
narrowed to what the caller may read; a subject the caller may not see is 404."""

from __future__ import annotations

import pytest

from tests.factories import person
from tests.fixtures.api import assert_error, client_for
from tests.subjects.file.world import build_world

pytestmark = pytest.mark.django_db


def _sections(body) -> dict[str, dict]:
    return {section["key"]: section for section in body["sections"]}


def test_the_file_holds_every_section_the_supervisor_may_read(
    unit_a, officer_wang, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    body = client_for(supervisor_zheng).get(f"/subjects/{world.subject.pk}/file").json()
    found = _sections(body)
    assert {"cases", "activities", "av", "documents", "services", "payments"} <= set(found)
    case = found["cases"]["entries"][0]
    assert case["case"] == world.case.number and case["facts"]["result"]
    assert found["payments"]["entries"][0]["title"] == world.notice.number
    assert found["av"]["count"] == 1 and found["documents"]["count"] == 1


def test_one_section_a_page_at_a_time(unit_a, officer_wang, supervisor_zheng) -> None:
    world = build_world(unit_a, officer_wang)
    api = client_for(supervisor_zheng)
    body = api.get(f"/subjects/{world.subject.pk}/file", data={"section": "av", "page": 2}).json()
    assert [s["key"] for s in body["sections"]] == ["av"]
    assert body["sections"][0]["page"] == 1  # past the end: the last page


def test_an_officer_of_another_unit_gets_empty_sections(unit_a, officer_wang, officer_li) -> None:
    world = build_world(unit_a, officer_wang)
    body = client_for(officer_li).get(f"/subjects/{world.subject.pk}/file").json()
    assert all(section["count"] == 0 for section in body["sections"])


def test_a_hidden_subject_is_404(officer_li) -> None:
    hidden = person(confidentiality="state_secret")
    assert_error(client_for(officer_li).get(f"/subjects/{hidden.pk}/file"), 404, "not_found")
