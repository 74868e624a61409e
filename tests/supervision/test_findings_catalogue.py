"""The findings catalogue: each kind raised as a stored finding with its article, severity,
owner and evidence; raised once per dedupe key; closed by a dismissal with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.cases.actions.frozen import CaseArchived, refuse_if_archived
from liuhen.cases.compliance import check, finding
from liuhen.cases.models import Case
from liuhen.core import access, registry
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent
from liuhen.devices import actions as device_actions
from liuhen.media.models import IntegrityFinding
from liuhen.supervision import tasks
from liuhen.supervision.actions import catalogue as actions
from liuhen.supervision.models import ClosedBy, Finding, Severity
from liuhen.supervision.rectification import catalogue
from liuhen.web.management.commands.scheduler import JOBS
from tests.factories import sign_in
from tests.fixtures.media import ingest_bytes

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


def test_integrity_problem_is_serious(unit_a):
    IntegrityFinding.objects.create(sha256="a" * 64, problem="changed", store="file:///x")
    actions.raise_daily_findings()
    [stored] = raised(catalogue.INTEGRITY)
    assert stored.severity == Severity.SERIOUS and stored.article == "R16.1"
    assert stored.evidence[0]["object_type"] == "media.integrityfinding"


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
