"""Rectification 责令限期整改 and accountability 责任追究: finding → order → report with
evidence → verification → closed; returned and escalated; the clock and 我的待办; access
both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from liuhen.cases import deadlines
from liuhen.core import access
from liuhen.core.access import AccessDenied
from liuhen.core.inbox import tasks_for
from liuhen.core.models import AuditEvent
from liuhen.supervision.actions import accountability as accountability_actions
from liuhen.supervision.actions import catalogue as catalogue_actions
from liuhen.supervision.actions import rectification as actions
from liuhen.supervision.models import (
    AccountabilityRecord,
    ClosedBy,
    Finding,
    OrderState,
    RectificationOrder,
    Verdict,
)
from liuhen.supervision.rectification.state import order_state
from tests.factories import sign_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("activity_types", "blob_root"),
    pytest.mark.local_dates,
]


@pytest.fixture
def open_av_finding(case_a_two_officers, inspection) -> Finding:
    catalogue_actions.raise_daily_findings()
    return Finding.objects.get(kind="av_missing")


@pytest.fixture
def av_order(open_av_finding, supervisor_zheng, officer_wang) -> RectificationOrder:
    return actions.order_rectification(
        supervisor_zheng,
        unit=officer_wang.unit,
        responsible=officer_wang,
        requirement="补录音像记录说明，并组织培训。",
        deadline=timezone.localdate() + dt.timedelta(days=10),
        findings=[open_av_finding],
    )


def photo(name: str = "培训签到.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff evidence", content_type="image/jpeg")


def test_finding_to_order_to_report_to_closed(
    av_order, open_av_finding, supervisor_zheng, officer_wang
):
    assert order_state(av_order) == OrderState.AWAITING_REPORT
    report = actions.report_rectification(
        officer_wang, av_order, text="已补充说明并培训。", files=[photo()]
    )
    [evidence] = report.evidence.all()
    assert evidence.name == "培训签到.jpg" and len(evidence.blob_id) == 64
    assert order_state(av_order) == OrderState.AWAITING_VERIFICATION
    actions.verify_rectification(
        supervisor_zheng, av_order, verdict=Verdict.ACCEPTED, note="整改到位。"
    )
    assert order_state(av_order) == OrderState.CLOSED
    closure = Finding.objects.get(pk=open_av_finding.pk).closure
    assert closure.how == ClosedBy.RECTIFIED and "整改到位" in closure.reason
    actions_logged = list(
        AuditEvent.objects.filter(action__startswith="rectification.").values_list(
            "action", flat=True
        )
    )
    assert actions_logged == [
        "rectification.order",
        "rectification.report",
        "rectification.verify",
    ]


def test_report_needs_text_and_evidence(av_order, officer_wang):
    with pytest.raises(ValidationError) as refused:
        actions.report_rectification(officer_wang, av_order, text="已整改", files=[])
    assert "佐证材料" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        actions.report_rectification(officer_wang, av_order, text=" ", files=[photo()])


def test_returned_report_asks_for_another(
    av_order, supervisor_zheng, officer_wang, open_av_finding
):
    actions.report_rectification(officer_wang, av_order, text="初步整改", files=[photo()])
    actions.verify_rectification(
        supervisor_zheng, av_order, verdict=Verdict.RETURNED, note="缺少培训记录。"
    )
    assert order_state(av_order) == OrderState.AWAITING_REPORT
    assert Finding.objects.get(pk=open_av_finding.pk).is_open
    actions.report_rectification(
        officer_wang, av_order, text="补充培训记录", files=[photo("b.jpg")]
    )
    assert order_state(av_order) == OrderState.AWAITING_VERIFICATION


def test_escalation_leaves_findings_open(av_order, supervisor_zheng, open_av_finding):
    with pytest.raises(ValidationError):
        actions.verify_rectification(
            supervisor_zheng, av_order, verdict=Verdict.ACCEPTED, note="无报告"
        )
    actions.verify_rectification(
        supervisor_zheng, av_order, verdict=Verdict.ESCALATED, note="逾期未整改，提请局领导处理。"
    )
    assert order_state(av_order) == OrderState.ESCALATED
    assert Finding.objects.get(pk=open_av_finding.pk).is_open
    with pytest.raises(ValidationError):
        actions.verify_rectification(
            supervisor_zheng, av_order, verdict=Verdict.ESCALATED, note="再次"
        )


def test_order_needs_a_future_deadline_and_an_open_finding(
    open_av_finding, supervisor_zheng, officer_wang
):
    with pytest.raises(ValidationError) as refused:
        actions.order_rectification(
            supervisor_zheng,
            unit=officer_wang.unit,
            responsible=officer_wang,
            requirement="整改",
            deadline=timezone.localdate() - dt.timedelta(days=1),
            findings=[open_av_finding],
        )
    assert "deadline" in refused.value.message_dict
    catalogue_actions.dismiss_finding(supervisor_zheng, open_av_finding, reason="已核实")
    with pytest.raises(ValidationError) as refused:
        actions.order_rectification(
            supervisor_zheng,
            unit=officer_wang.unit,
            responsible=officer_wang,
            requirement="整改",
            deadline=timezone.localdate() + dt.timedelta(days=3),
            findings=[Finding.objects.get(pk=open_av_finding.pk)],
        )
    assert "findings" in refused.value.message_dict


def test_history_rows_are_write_once(av_order):
    with pytest.raises(DatabaseError), transaction.atomic():
        RectificationOrder.objects.filter(pk=av_order.pk).update(requirement="改")


# --- the clock and 我的待办 ------------------------------------------------------------


def test_deadline_is_a_clock_of_the_case(av_order, case_a_two_officers):
    clocks = [
        c for c in deadlines.clocks_for_case(case_a_two_officers) if c.code == "rectification"
    ]
    [clock] = clocks
    assert clock.due == av_order.deadline and clock.is_open


def test_responsible_person_sees_the_task_others_do_not(
    av_order, officer_wang, officer_ma, supervisor_zheng
):
    [task] = [t for t in tasks_for(officer_wang) if t.link.endswith(f"/{av_order.pk}/")]
    assert task.due == av_order.deadline and not task.overdue
    assert not [t for t in tasks_for(officer_ma) if "rectifications" in t.link]
    assert not [t for t in tasks_for(supervisor_zheng) if "rectifications" in t.link]
    actions.report_rectification(officer_wang, av_order, text="已整改", files=[photo()])
    assert not [t for t in tasks_for(officer_wang) if "rectifications" in t.link]
    [verify] = [t for t in tasks_for(supervisor_zheng) if "rectifications" in t.link]
    assert verify.link == reverse("supervision:rectification", args=[av_order.pk])


# --- access both ways --------------------------------------------------------------------


def test_only_a_supervisor_orders_and_verifies(
    open_av_finding, av_order, officer_wang, head_zhang, agency_head_liu
):
    for person in (officer_wang, head_zhang, agency_head_liu):
        with pytest.raises(AccessDenied):
            actions.order_rectification(
                person,
                unit=officer_wang.unit,
                responsible=officer_wang,
                requirement="整改",
                deadline=timezone.localdate() + dt.timedelta(days=3),
                findings=[open_av_finding],
            )
        with pytest.raises(AccessDenied):
            actions.verify_rectification(person, av_order, verdict=Verdict.ESCALATED, note="x")


def test_the_responsible_and_their_unit_head_report_others_do_not(
    av_order, officer_ma, officer_li, head_zhang, supervisor_zheng
):
    assert access.can(head_zhang, "rectification.report", av_order)
    for person in (officer_ma, officer_li, supervisor_zheng):
        with pytest.raises(AccessDenied):
            actions.report_rectification(person, av_order, text="x", files=[photo()])


def test_order_seen_by_its_unit_not_by_another(client, av_order, officer_li, officer_wang):
    sign_in(client, officer_li)
    assert client.get(reverse("supervision:rectification", args=[av_order.pk])).status_code == 404
    assert "order-row" not in client.get(reverse("supervision:rectifications")).content.decode()
    sign_in(client, officer_wang)
    assert client.get(reverse("supervision:rectification", args=[av_order.pk])).status_code == 200
    assert "order-row" in client.get(reverse("supervision:rectifications")).content.decode()


def test_pages_run_the_flow(client, open_av_finding, supervisor_zheng, officer_wang):
    sign_in(client, supervisor_zheng)
    new = reverse("supervision:rectification_new") + f"?finding={open_av_finding.pk}"
    page = client.get(new)
    assert page.status_code == 200 and open_av_finding.summary[:8] in page.content.decode()
    deadline = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = client.post(
        new,
        {
            "unit": officer_wang.unit_id,
            "responsible": officer_wang.pk,
            "requirement": "补录说明",
            "deadline": deadline,
        },
    )
    order = RectificationOrder.objects.get()
    assert response.status_code == 302 and list(order.findings.all()) == [open_av_finding]
    sign_in(client, officer_wang)
    url = reverse("supervision:rectification", args=[order.pk])
    response = client.post(url, {"do": "report", "text": "已整改", "evidence": [photo()]})
    assert response.status_code == 302
    evidence = order.reports.get().evidence.get()
    download = client.get(reverse("supervision:rectification_evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content).endswith(b"evidence")
    assert AuditEvent.objects.filter(action="rectification.read_evidence").exists()
    sign_in(client, supervisor_zheng)
    response = client.post(url, {"do": "verify", "verdict": "accepted", "note": "到位"})
    assert response.status_code == 302 and order_state(order) == OrderState.CLOSED
    ledger = client.get(reverse("supervision:rectifications"), {"state": "closed"})
    assert ledger.content.decode().count('data-testid="order-row"') == 1
    export = client.get(reverse("supervision:rectifications_export", args=["csv"]))
    assert "补录说明" in b"".join(export.streaming_content).decode("utf-8-sig")


# --- accountability ------------------------------------------------------------------------


@pytest.fixture
def accountability_record(open_av_finding, supervisor_zheng, officer_wang) -> AccountabilityRecord:
    return accountability_actions.record_accountability(
        supervisor_zheng,
        unit=officer_wang.unit,
        person=officer_wang,
        facts="多次未按规定记录音像。",
        rule="制度第二十三条第（一）项",
        decision="通报批评。",
        decision_document="洼农监〔2026〕1号",
        decided_on=timezone.localdate(),
        findings=[open_av_finding],
    )


def test_accountability_needs_its_parts(supervisor_zheng, officer_wang):
    with pytest.raises(ValidationError) as refused:
        accountability_actions.record_accountability(
            supervisor_zheng,
            unit=officer_wang.unit,
            person=officer_wang,
            facts="",
            rule="",
            decision="通报",
            decision_document="",
            decided_on=timezone.localdate(),
        )
    assert set(refused.value.message_dict) == {"facts", "rule", "decision_document"}


def test_accountability_seen_by_supervisors_and_agency_head_only(
    client, accountability_record, supervisor_zheng, agency_head_liu, head_zhang, officer_wang
):
    url = reverse("supervision:accountability_record", args=[accountability_record.pk])
    for person in (supervisor_zheng, agency_head_liu):
        sign_in(client, person)
        assert client.get(url).status_code == 200
        assert "洼农监" in client.get(reverse("supervision:accountability")).content.decode()
    assert AuditEvent.objects.filter(action="accountability.view").count() == 2
    for person in (head_zhang, officer_wang):
        sign_in(client, person)
        assert client.get(url).status_code == 404
        assert client.get(reverse("supervision:accountability")).status_code == 403
    with pytest.raises(AccessDenied):
        accountability_actions.record_accountability(
            agency_head_liu,
            unit=officer_wang.unit,
            person=None,
            facts="x",
            rule="x",
            decision="x",
            decision_document="x",
            decided_on=timezone.localdate(),
        )
