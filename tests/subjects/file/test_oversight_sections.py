"""Findings, rectification orders and publications in the subject's file (R18.3): on the
page, in the timeline, the API and the export, each narrowed as supervision's and
disclosure's policy say, with a number of queries that does not grow with the rows."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from liuhen.subjects import sections
from liuhen.supervision.models import OrderState, RectificationReport
from tests.factories import sign_in
from tests.fixtures.api import client_for
from tests.subjects.file.world import add_oversight, build_world

pytestmark = pytest.mark.django_db

KEYS = ("findings", "rectifications", "publications")


def _page(user, subject, **params) -> str:
    response = sign_in(Client(), user).get(reverse("subjects:detail", args=[subject.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _section(key: str):
    return next(s for s in sections.registered() if s.key == key)


def test_the_supervisor_sees_findings_orders_and_publications(
    unit_a, officer_wang, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    seen = add_oversight(world, officer_wang, supervisor_zheng)
    html = _page(supervisor_zheng, world.subject)
    for key in KEYS:
        assert f'data-testid="section-{key}"' in html
    assert reverse("supervision:finding", args=[seen.finding.pk]) in html
    assert "依据：制度第五条" in html and "R5.2" not in html
    assert reverse("supervision:rectification", args=[seen.order.pk]) in html
    assert "补充现场执法记录1" in html
    assert reverse("portal:disclosure_publication", args=[seen.publication.pk]) in html


def test_an_officer_of_another_unit_sees_none_of_them(
    unit_a, officer_wang, officer_li, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    seen = add_oversight(world, officer_wang, supervisor_zheng)
    html = _page(officer_li, world.subject)
    assert reverse("supervision:finding", args=[seen.finding.pk]) not in html
    assert reverse("supervision:rectification", args=[seen.order.pk]) not in html
    assert reverse("portal:disclosure_publication", args=[seen.publication.pk]) not in html
    for key in KEYS:
        assert list(sections.entries(officer_li, world.subject, _section(key))) == []


def test_the_unit_head_sees_the_units_findings_and_the_officer_the_order_naming_them(
    unit_a, officer_wang, head_zhang, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    seen = add_oversight(world, officer_wang, supervisor_zheng)
    head = {key: list(sections.entries(head_zhang, world.subject, _section(key))) for key in KEYS}
    assert [e.url for e in head["findings"]] == [
        reverse("supervision:finding", args=[seen.finding.pk])
    ]
    assert len(head["rectifications"]) == 1 and len(head["publications"]) == 1
    # The officer reads the case (so its publication) and the order naming them, but
    # findings are for overseers and unit heads.
    officer = {
        key: list(sections.entries(officer_wang, world.subject, _section(key))) for key in KEYS
    }
    assert officer["findings"] == []
    assert len(officer["rectifications"]) == 1 and len(officer["publications"]) == 1


def test_an_order_shows_its_state_read_from_its_reports(
    unit_a, officer_wang, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    seen = add_oversight(world, officer_wang, supervisor_zheng)
    [before] = sections.entries(supervisor_zheng, world.subject, _section("rectifications"))
    RectificationReport.objects.create(order=seen.order, text="已补录", submitted_by=officer_wang)
    [after] = sections.entries(supervisor_zheng, world.subject, _section("rectifications"))
    assert before.facts["state"] != after.facts["state"]
    assert before.facts["state"] == str(OrderState.AWAITING_REPORT.label)
    assert after.facts["state"] == str(OrderState.AWAITING_VERIFICATION.label)


def test_they_are_in_the_timeline_the_api_and_the_export(
    unit_a, officer_wang, supervisor_zheng
) -> None:
    world = build_world(unit_a, officer_wang)
    seen = add_oversight(world, officer_wang, supervisor_zheng)
    items = sections.timeline(supervisor_zheng, world.subject)[1]
    assert set(KEYS) <= {item.section for item in items}

    body = client_for(supervisor_zheng).get(f"/subjects/{world.subject.pk}/file").json()
    found = {section["key"]: section for section in body["sections"]}
    assert found["findings"]["entries"][0]["facts"]["basis"] == "依据：制度第五条"
    assert found["rectifications"]["count"] == 1
    assert found["publications"]["entries"][0]["title"].endswith(seen.publication.decision_number)

    response = sign_in(Client(), supervisor_zheng).get(
        reverse("subjects:export", args=[world.subject.pk, "xlsx"])
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert any("现场检查未同步录像1" in c for c in cells)
    assert any("补充现场执法记录1" in c for c in cells)
    assert any(seen.publication.decision_number in c for c in cells)


def test_more_rows_take_no_more_queries(unit_a, officer_wang, supervisor_zheng) -> None:
    world = build_world(unit_a, officer_wang)
    add_oversight(world, officer_wang, supervisor_zheng)
    client = sign_in(Client(), supervisor_zheng)
    url = reverse("subjects:detail", args=[world.subject.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for serial in range(2, 6):
        more = add_oversight(world, officer_wang, supervisor_zheng, serial=serial)
        RectificationReport.objects.create(
            order=more.order, text="已整改", submitted_by=officer_wang
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
