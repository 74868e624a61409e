"""The supervisor's home and every ledger answer in a number of queries that does not grow
with their rows (the acceptance benchmark runs them at 100,000 cases): each page is
counted with a few rows, more rows are added through the actions, and it is counted again."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from liuhen.supervision.actions import accountability as accountability_actions
from liuhen.supervision.actions import complaints as complaint_actions
from liuhen.supervision.actions import rectification as rectification_actions
from liuhen.supervision.actions import spot_checks as spot_check_actions
from liuhen.supervision.actions.findings import raise_finding
from liuhen.supervision.models import (
    ComplaintChannel,
    Finding,
    OrderState,
    PlanPeriod,
    RectificationOrder,
    Verdict,
)
from liuhen.supervision.rectification import registers
from tests.factories import CaseFactory, sign_in
from tests.media.linking import av

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types", "blob_root")]

_serial = itertools.count()
_years = itertools.count(2010)
NOON = timezone.make_aware(dt.datetime(2026, 5, 15, 12, 0))


def queries(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response.content.decode()


def findings(count: int, officer: Any) -> list[Finding]:
    case: Any = CaseFactory(unit=officer.unit)
    made = []
    for _ in range(count):
        n = next(_serial)
        finding, _new = raise_finding(
            None,
            kind="av_missing",
            article="R5.1",
            summary=f"第{n}号发现",
            dedupe_key=f"ledger-test:{n}",
            case=case,
            officer=officer,
            evidence=[{"label": "案件", "object_type": "cases.case", "object_id": str(case.pk)}],
        )
        made.append(finding)
    return made


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("培训签到.jpg", b"\xff\xd8\xff evidence", content_type="image/jpeg")


def more_findings(count: int, _supervisor: Any, officer: Any) -> None:
    findings(count, officer)


def orders(count: int, supervisor: Any, officer: Any) -> None:
    """Orders in every state: awaiting a report, reported, closed."""
    for i, finding in enumerate(findings(count, officer)):
        order = rectification_actions.order_rectification(
            supervisor,
            unit=officer.unit,
            responsible=officer,
            requirement=f"整改{finding.summary}",
            deadline=timezone.localdate() + dt.timedelta(days=10),
            findings=[finding],
        )
        if i % 3:
            rectification_actions.report_rectification(
                officer, order, text="已整改", files=[evidence()]
            )
        if i % 3 == 2:
            rectification_actions.verify_rectification(
                supervisor, order, verdict=Verdict.ACCEPTED, note="到位"
            )


def complaints(count: int, supervisor: Any, officer: Any) -> None:
    for _ in range(count):
        n = next(_serial)
        at = NOON + dt.timedelta(hours=n)
        complaint_actions.record_complaint(
            supervisor,
            channel=ComplaintChannel.values[0],
            complainant=f"投诉人{n}",
            received_at=at,
            occurred_from=at - dt.timedelta(hours=2),
            occurred_to=at - dt.timedelta(hours=1),
            place="某镇农资店",
            summary="执法人员未出示证件",
            officers=[officer],
            unit=officer.unit,
        )


def spot_check(count: int, supervisor: Any, officer: Any) -> None:
    """A plan of its own quarter over ``count`` records, all of them sampled."""
    quarter = dt.date(next(_years), 5, 1)
    captured = timezone.make_aware(dt.datetime(quarter.year, 5, 10, 9, 0))
    for i in range(count):
        av(officer, officer=officer, captured_at=captured + dt.timedelta(hours=i))
    plan = spot_check_actions.create_plan(
        supervisor,
        title=f"{quarter.year}年第二季度抽查",
        period=PlanPeriod.QUARTERLY,
        period_start=quarter,
        units=[officer.unit],
        sample_percent=100,
    )
    spot_check_actions.draw_sample(supervisor, plan)


def accountability(count: int, supervisor: Any, officer: Any) -> None:
    for finding in findings(count, officer):
        accountability_actions.record_accountability(
            supervisor,
            unit=officer.unit,
            person=officer,
            facts=f"未按规定记录：{finding.summary}",
            rule="制度第十四条",
            decision="批评教育",
            decision_document="农监〔2026〕1号",
            decided_on=timezone.localdate(),
            findings=[finding],
        )


Grow = Callable[[int, Any, Any], None]

LEDGERS: list[tuple[str, str, Grow]] = [
    ("findings", reverse("supervision:findings"), more_findings),
    (
        "findings, open",
        reverse("supervision:findings") + "?state=open",
        more_findings,
    ),
    ("rectification", reverse("supervision:rectifications"), orders),
    (
        "rectification, awaiting verification",
        reverse("supervision:rectifications") + f"?state={OrderState.AWAITING_VERIFICATION}",
        orders,
    ),
    ("complaints", reverse("supervision:complaints"), complaints),
    (
        "complaints, not replayed",
        reverse("supervision:complaints") + "?outcome=pending",
        complaints,
    ),
    ("spot checks", reverse("supervision:spot_checks"), spot_check),
    ("accountability", reverse("supervision:accountability"), accountability),
    ("guidance", reverse("supervision:guidance"), complaints),
    ("reviews", reverse("supervision:reviews"), orders),
    ("coverage", reverse("supervision:coverage"), spot_check),
    ("home", reverse("supervision:home"), orders),
]


@pytest.mark.parametrize(("name", "url", "grow"), LEDGERS, ids=[row[0] for row in LEDGERS])
def test_the_query_count_does_not_grow_with_the_rows(
    client, supervisor_zheng, officer_wang, name, url, grow
):
    sign_in(client, supervisor_zheng)
    grow(2, supervisor_zheng, officer_wang)
    client.get(url)  # the session's first request loads what later ones find cached
    few, _page = queries(client, url)
    grow(6, supervisor_zheng, officer_wang)
    many, _page = queries(client, url)
    assert many == few, f"{name}: {few} queries with a few rows, {many} with more"


def test_the_rectification_state_filter_matches_the_state_of_each_order(
    supervisor_zheng, officer_wang
):
    orders(6, supervisor_zheng, officer_wang)
    everything, _filters = registers.filtered_orders(supervisor_zheng, {})
    expected = {order.pk: registers.state_of(order) for order in everything}
    assert set(expected.values()) == {
        OrderState.AWAITING_REPORT,
        OrderState.AWAITING_VERIFICATION,
        OrderState.CLOSED,
    }
    for state in OrderState.values:
        chosen, filters = registers.filtered_orders(supervisor_zheng, {"state": state})
        assert filters["state"] == state
        assert {o.pk for o in chosen} == {pk for pk, s in expected.items() if s == state}
    assert RectificationOrder.objects.count() == 6
