"""The findings catalogue: each kind raised as a stored finding with its article, severity,
owner and evidence; raised once per dedupe key; closed by a dismissal with a reason."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions.frozen import CaseArchived, refuse_if_archived
from liuhen.cases.compliance import check, finding
from liuhen.cases.models import ApprovalRequest, Case, Stage
from liuhen.core import access, registry, rules
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from liuhen.devices import actions as device_actions
from liuhen.media.actions import ingest, viewing
from liuhen.media.models import IntegrityFinding
from liuhen.supervision import tasks
from liuhen.supervision.actions import catalogue as actions
from liuhen.supervision.models import ClosedBy, Finding, Severity
from liuhen.supervision.rectification import catalogue
from liuhen.web.management.commands.scheduler import JOBS
from tests.factories import sign_in
from tests.fixtures.findings import kind_found
from tests.fixtures.media import ingest_bytes
from tests.media import linking as media_linking
from tests.supervision.helpers import M, recording

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("activity_types")]

H = dt.timedelta(hours=1)


def raised(kind: str) -> list[Finding]:
    return list(Finding.objects.filter(kind=kind).order_by("pk"))


def test_every_kind_has_article_severity_and_owner():
    kinds = catalogue.kinds()
    codes = [k.code for k in kinds]
    assert len(codes) == len(set(codes))
    assert set(registry.case_checks.keys()) <= set(codes)
    for kind in kinds:
        assert kind.article.startswith("R"), kind.code
        assert kind.severity in Severity.values
        assert kind.owner in (catalogue.Owner.UNIT, catalogue.Owner.OFFICER)
        # Every kind reads as a label of its own, not the generic one.
        assert kind.label != catalogue.CASE_CHECK_GENERIC, kind.code


@pytest.mark.parametrize("code", sorted(catalogue.CASE_CHECK_LABELS))
def test_each_case_check_is_raised_as_its_kind(code, case_a):
    """Every check on a case becomes a stored finding of its kind, with its article, the
    severity its blocking gives, the case's unit and a link to the case."""
    registered = registry.case_checks[code]

    @check(code, article=registered.article, blocking=registered.blocking)
    def stub(case):
        yield finding(code, "发现的问题", case, case.stage)

    with registry.case_checks.without(code), registry.case_checks.temporarily(code, stub):
        counts = actions.raise_daily_findings()
    assert counts == {code: 1}
    [stored] = raised(code)
    assert stored.article == registered.article
    assert stored.severity == (Severity.MAJOR if registered.blocking else Severity.MINOR)
    assert stored.case == case_a and stored.unit == case_a.unit
    assert stored.evidence[0] == {
        "label": "案件",
        "object_type": "cases.case",
        "object_id": str(case_a.pk),
    }
    assert stored.dedupe_key == f"check:{code}:cases.case:{case_a.pk}"


@pytest.mark.finding_kind("av_missing")
def test_av_missing_from_real_data_links_the_activity(case_a_two_officers, inspection):
    actions.raise_daily_findings()
    [stored] = raised("av_missing")
    assert stored.case == case_a_two_officers
    assert (stored.object_type, stored.object_id) == ("activities.activity", str(inspection.pk))
    assert [e["object_type"] for e in stored.evidence] == ["cases.case", "activities.activity"]


def test_a_closed_case_long_ago_is_not_checked(case_a_two_officers, inspection):
    Case.objects.filter(pk=case_a_two_officers.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=400)
    )
    actions.raise_daily_findings()
    assert raised("av_missing") == []


@pytest.mark.finding_kind("device_overdue")
def test_device_kept_out(recorder_a, officer_wang):
    device_actions.check_out(officer_wang, recorder_a, at=timezone.now() - 30 * H)
    actions.raise_daily_findings()
    [stored] = raised(catalogue.DEVICE_OVERDUE)
    assert stored.officer == officer_wang and stored.unit == recorder_a.unit
    assert stored.article == "R13.1" and stored.severity == Severity.MINOR
    assert stored.evidence[0]["object_type"] == "devices.device"


def test_device_out_within_the_limit_is_no_finding(recorder_a, officer_wang):
    device_actions.check_out(officer_wang, recorder_a, at=timezone.now() - 2 * H)
    actions.raise_daily_findings()
    assert raised(catalogue.DEVICE_OVERDUE) == []


@pytest.mark.finding_kind("upload_late")
def test_late_upload(custodian_zhou, officer_wang, recorder, blob_root):
    two_days = timezone.localtime() - dt.timedelta(days=2)
    device_actions.check_out(custodian_zhou, recorder, holder=officer_wang, at=two_days - 3 * H)
    device_actions.return_device(custodian_zhou, recorder, at=two_days)
    late = ingest_bytes(officer_wang, b"late", device=recorder, captured_at=two_days - 2 * H)
    on_time = ingest_bytes(officer_wang, b"fresh", captured_at=timezone.now() - H)
    assert late.late and not on_time.late
    actions.raise_daily_findings()
    [stored] = raised(catalogue.UPLOAD_LATE)
    assert (stored.object_type, stored.object_id) == ("media.avrecord", str(late.pk))
    assert stored.officer == officer_wang and stored.unit == late.unit


@pytest.mark.finding_kind("integrity_problem")
def test_integrity_problem_is_serious(unit_a):
    IntegrityFinding.objects.create(sha256="a" * 64, problem="changed", store="file:///x")
    actions.raise_daily_findings()
    [stored] = raised(catalogue.INTEGRITY)
    assert stored.severity == Severity.SERIOUS and stored.article == "R16.1"
    assert stored.evidence[0]["object_type"] == "media.integrityfinding"


@pytest.mark.finding_kind("archived_change_refused")
def test_refused_change_to_an_archived_case(case_a, officer_wang):
    Case.objects.filter(pk=case_a.pk).update(archived_at=timezone.now())
    with pytest.raises(CaseArchived):
        refuse_if_archived(officer_wang, case_a, "cases.advance_stage")
    actions.raise_daily_findings()
    [stored] = raised(catalogue.ARCHIVED_CHANGE)
    seq = AuditEvent.objects.get(action="case.frozen_refused").seq
    assert stored.case == case_a and stored.officer == officer_wang
    assert stored.dedupe_key == f"{catalogue.ARCHIVED_CHANGE}:{seq}"
    assert {"label": "审计事件", "object_type": "core.auditevent", "object_id": str(seq)} in (
        stored.evidence
    )


def test_second_run_raises_nothing_new(case_a_two_officers, inspection, recorder_a, officer_wang):
    device_actions.check_out(officer_wang, recorder_a, at=timezone.now() - 30 * H)
    first = tasks.raise_daily_findings.call()
    assert first == {"av_missing": 1, catalogue.DEVICE_OVERDUE: 1}
    events = AuditEvent.objects.filter(action="finding.raise").count()
    assert tasks.raise_daily_findings.call() == {}
    assert Finding.objects.count() == 2
    assert AuditEvent.objects.filter(action="finding.raise").count() == events


def test_scheduler_runs_the_catalogue():
    assert any(job.task == "liuhen.supervision.tasks.raise_daily_findings" for job in JOBS)


def test_finding_is_write_once(case_a_two_officers, inspection):
    from django.db import DatabaseError, transaction

    actions.raise_daily_findings()
    stored = Finding.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        Finding.objects.filter(pk=stored.pk).update(summary="改")


# --- dismissal -------------------------------------------------------------------------


@pytest.fixture
def av_finding(case_a_two_officers, inspection) -> Finding:
    actions.raise_daily_findings()
    return Finding.objects.get(kind="av_missing")


def test_dismissal_needs_a_reason(av_finding, supervisor_zheng):
    with pytest.raises(ValidationError) as refused:
        actions.dismiss_finding(supervisor_zheng, av_finding, reason="  ")
    assert "理由" in refused.value.messages[0]
    assert Finding.objects.get(pk=av_finding.pk).is_open


def test_supervisor_dismisses_with_reason_once(av_finding, supervisor_zheng):
    closure = actions.dismiss_finding(supervisor_zheng, av_finding, reason="已核实设备故障")
    assert closure.how == ClosedBy.DISMISSED and closure.reason == "已核实设备故障"
    assert not Finding.objects.get(pk=av_finding.pk).is_open
    with pytest.raises(ValidationError):
        actions.dismiss_finding(supervisor_zheng, av_finding, reason="再次")


def test_others_may_not_dismiss(av_finding, head_zhang, agency_head_liu, officer_wang):
    for person in (head_zhang, agency_head_liu, officer_wang):
        with pytest.raises(AccessDenied):
            actions.dismiss_finding(person, av_finding, reason="不需要")


# --- the register and the finding page -----------------------------------------------------


def test_register_filters_by_unit_kind_and_state(
    client, av_finding, supervisor_zheng, unit_b, recorder_b, officer_li
):
    device_actions.check_out(officer_li, recorder_b, at=timezone.now() - 30 * H)
    actions.raise_daily_findings()
    sign_in(client, supervisor_zheng)
    url = reverse("supervision:findings")
    assert client.get(url).content.decode().count('data-testid="finding-row"') == 2
    page = client.get(url, {"unit": unit_b.pk}).content.decode()
    assert (
        page.count('data-testid="finding-row"') == 1
        and f'data-kind="{catalogue.DEVICE_OVERDUE}"' in page
    )
    page = client.get(url, {"kind": "av_missing"}).content.decode()
    assert page.count('data-testid="finding-row"') == 1
    actions.dismiss_finding(supervisor_zheng, av_finding, reason="已核实")
    page = client.get(url, {"state": "open"}).content.decode()
    assert page.count('data-testid="finding-row"') == 1 and 'data-kind="av_missing"' not in page
    page = client.get(url, {"state": "closed"}).content.decode()
    assert page.count('data-testid="finding-row"') == 1 and 'data-kind="av_missing"' in page


def test_register_export_is_audited(client, av_finding, supervisor_zheng):
    sign_in(client, supervisor_zheng)
    response = client.get(reverse("supervision:findings_export", args=["csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert av_finding.summary[:10] in body
    assert AuditEvent.objects.filter(action="finding.export").exists()


def test_finding_page_links_its_evidence_and_dismisses(
    client, av_finding, supervisor_zheng, inspection
):
    sign_in(client, supervisor_zheng)
    url = reverse("supervision:finding", args=[av_finding.pk])
    page = client.get(url).content.decode()
    assert reverse("activities:detail", args=[inspection.pk]) in page
    assert reverse("cases:detail", args=[av_finding.case_id]) in page
    assert client.post(url, {"reason": ""}).status_code == 422
    response = client.post(url, {"reason": "经核实无需整改"})
    assert response.status_code == 302
    assert Finding.objects.get(pk=av_finding.pk).closure.reason == "经核实无需整改"


def test_finding_seen_by_its_unit_head_not_by_another_unit(
    client, av_finding, head_zhang, officer_li, officer_wang
):
    from liuhen.accounts.models import Role
    from tests.fixtures.personas import make_person

    assert access.can(head_zhang, "finding.view", av_finding)
    head_b = make_person("head_b", "赵一", [Role.UNIT_HEAD], officer_li.unit)
    assert not access.can(head_b, "finding.view", av_finding)
    assert list(access.visible(head_b, Finding.objects.all())) == []
    sign_in(client, head_b)
    assert client.get(reverse("supervision:finding", args=[av_finding.pk])).status_code == 404
    sign_in(client, officer_wang)
    assert client.get(reverse("supervision:findings")).status_code == 403


# --- the workflow's checks, raised from real records ------------------------------------


@pytest.mark.finding_kind("urgent_paperwork_overdue")
def test_urgent_paperwork_overdue_is_raised(officer_wang, case_a_two_officers):
    ApprovalRequest.objects.create(
        case=case_a_two_officers,
        step="advance_preservation",
        requested_by=officer_wang,
        urgent_reason="证据可能灭失",
        urgent_started_at=timezone.now() - dt.timedelta(days=5),
        paperwork_due=timezone.localdate() - dt.timedelta(days=1),
    )
    assert actions.raise_daily_findings() == {"urgent_paperwork_overdue": 1}
    [stored] = raised("urgent_paperwork_overdue")
    assert stored.object_type == "cases.approvalrequest" and stored.severity == Severity.MINOR


@pytest.mark.finding_kind("urgent_report_late")
def test_urgent_report_late_is_raised(officer_wang, case_a_two_officers, time_machine):
    started = timezone.now()
    approval_actions.start_urgently(officer_wang, case_a_two_officers, "seizure", "证据可能灭失")
    time_machine.move_to(started + 23 * H, tick=False)
    actions.raise_daily_findings()
    assert raised("urgent_report_late") == []  # still within the hours
    time_machine.move_to(started + 25 * H, tick=False)
    actions.raise_daily_findings()
    [stored] = raised("urgent_report_late")
    assert stored.case == case_a_two_officers and stored.article == "R7.2"


@pytest.mark.finding_kind("advance_notice_missing")
def test_advance_notice_missing_is_raised(case_a_two_officers):
    actions.raise_daily_findings()
    assert raised("advance_notice_missing") == []  # not yet at the decision
    Case.objects.filter(pk=case_a_two_officers.pk).update(stage=Stage.DECISION)
    actions.raise_daily_findings()
    [stored] = raised("advance_notice_missing")
    assert stored.severity == Severity.MAJOR and stored.case == case_a_two_officers


# --- AV interrupted (R14.1, 不得中断) ----------------------------------------------------


@pytest.fixture
def inspection_days_ago(officer_wang, officer_ma, case_a_two_officers):
    """A 30-minute inspection three days ago: its recorders are due back and uploaded."""
    return media_linking.activity(
        officer_wang,
        case_a_two_officers,
        [officer_wang, officer_ma],
        timezone.now() - dt.timedelta(days=3),
        30,
    )


@pytest.mark.finding_kind("av_interrupted")
def test_recordings_leaving_a_gap_are_an_interruption(officer_wang, inspection_days_ago):
    start = inspection_days_ago.started_at
    recording(officer_wang, start, 12, link_to=inspection_days_ago, officer=officer_wang)
    recording(officer_wang, start + 15 * M, 15, link_to=inspection_days_ago, officer=officer_wang)
    actions.raise_daily_findings()
    [stored] = raised(catalogue.AV_INTERRUPTED)
    assert (stored.object_type, stored.object_id) == (
        "activities.activity",
        str(inspection_days_ago.pk),
    )
    assert stored.article == "R14.1" and stored.unit == inspection_days_ago.unit
    assert "90.0%" in stored.summary and "3.0" in stored.summary
    assert actions.raise_daily_findings() == {}  # once per activity


def test_recordings_covering_the_activity_are_no_interruption(officer_wang, inspection_days_ago):
    start = inspection_days_ago.started_at
    recording(officer_wang, start, 31, link_to=inspection_days_ago, officer=officer_wang)
    actions.raise_daily_findings()
    assert raised(catalogue.AV_INTERRUPTED) == []


def test_a_gap_at_the_threshold_is_no_interruption(officer_wang, inspection_days_ago):
    threshold = int(rules.value("av_gap_threshold_minutes"))
    start = inspection_days_ago.started_at
    recording(officer_wang, start, 30 - threshold, link_to=inspection_days_ago)
    actions.raise_daily_findings()
    assert raised(catalogue.AV_INTERRUPTED) == []


def test_a_recent_activity_is_not_judged_before_its_footage_is_due(
    officer_wang, officer_ma, case_a_two_officers
):
    start = timezone.now() - 2 * H
    act = media_linking.activity(
        officer_wang, case_a_two_officers, [officer_wang, officer_ma], start, 30
    )
    recording(officer_wang, start, 5, link_to=act)
    actions.raise_daily_findings()
    assert raised(catalogue.AV_INTERRUPTED) == []


# --- attempts to change or delete an AV record (R14.1) ----------------------------------


@pytest.mark.finding_kind("av_change_attempted")
def test_an_attempt_to_delete_an_av_record_is_a_finding(officer_wang, blob_root):
    record = ingest_bytes(officer_wang, b"kept", captured_at=timezone.now() - H)
    ingest.refuse_change(officer_wang, record, "delete")
    actions.raise_daily_findings()
    [stored] = raised(catalogue.AV_CHANGE_ATTEMPTED)
    seq = AuditEvent.objects.get(action="media.modify").seq
    assert stored.officer == officer_wang and stored.unit == record.unit
    assert (stored.object_type, stored.object_id) == ("media.avrecord", str(record.pk))
    assert stored.dedupe_key == f"{catalogue.AV_CHANGE_ATTEMPTED}:{seq}"
    assert record.original_name in stored.summary and stored.severity == Severity.MAJOR


def test_reading_an_av_record_is_no_finding(officer_wang, blob_root):
    record = ingest_bytes(officer_wang, b"read", captured_at=timezone.now() - H)
    viewing.view_record(officer_wang, record)
    actions.raise_daily_findings()
    assert raised(catalogue.AV_CHANGE_ATTEMPTED) == []


# --- every kind of the catalogue is shown raised by a test ------------------------------

MARKED = re.compile(r'mark\.finding_kind\(\s*"([a-z0-9_]+)"\)')
CATALOGUE_CODES = sorted(
    [*catalogue.CASE_CHECK_LABELS]
    + [k.code for k in catalogue.OTHER_KINDS]
    + [k.code for k in catalogue.REVIEW_KINDS]
)


def marked_kinds() -> set[str]:
    """The kinds that tests anywhere under tests/ are marked as raising."""
    tests = Path(__file__).resolve().parents[1]
    return {
        code
        for path in tests.rglob("test_*.py")
        for code in MARKED.findall(path.read_text(encoding="utf-8"))
    }


def test_the_parametrised_codes_are_the_catalogue():
    assert sorted(k.code for k in catalogue.kinds()) == CATALOGUE_CODES


@pytest.mark.parametrize("code", CATALOGUE_CODES)
def test_each_kind_of_the_catalogue_has_a_test_that_raises_it(code):
    """A test marked ``finding_kind(code)`` puts the database where that kind is raised; the
    marker's hook (tests/fixtures/findings.py) fails it when it does not."""
    assert code in marked_kinds(), f"no test is marked @pytest.mark.finding_kind({code!r})"


def test_the_markers_hook_sees_a_kind_raised_only_when_it_is(recorder_a, officer_wang):
    assert not kind_found(catalogue.DEVICE_OVERDUE)
    device_actions.check_out(officer_wang, recorder_a, at=timezone.now() - 30 * H)
    assert kind_found(catalogue.DEVICE_OVERDUE)  # found by the daily run, not stored yet
    assert not Finding.objects.exists()
    actions.raise_daily_findings()
    assert kind_found(catalogue.DEVICE_OVERDUE) and not kind_found(catalogue.UPLOAD_LATE)
