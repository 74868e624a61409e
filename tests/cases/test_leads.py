from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.accounts.models import Role
from liuhen.cases import approvals, leads
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import filing
from liuhen.cases.models import Case, LeadSource, LeadStatus, Stage
from liuhen.core import calendar
from liuhen.core.access import AccessDenied, can
from liuhen.core.models import AuditEvent
from tests.factories import UserFactory, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint_lead(officer_wang, unit_a):
    return filing.record_lead(
        officer_wang, source=LeadSource.COMPLAINT, summary="群众举报某农资店销售假农药", unit=unit_a
    )


def _approve(request, *people):
    for person in people:
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    request.refresh_from_db()


def test_record_lead_access(officer_wang, officer_li, unit_a, auditor_chen, complaint_lead):
    assert can(officer_wang, "lead.create", unit_a)
    assert not can(officer_li, "lead.create", unit_a)
    assert not can(auditor_chen, "lead.create", unit_a)
    with pytest.raises(AccessDenied):
        filing.record_lead(officer_li, source="other", summary="x", unit=unit_a)
    assert can(officer_wang, "lead.view", complaint_lead) and not can(
        officer_li, "lead.view", complaint_lead
    )
    assert AuditEvent.objects.filter(action="lead.create", outcome="ok").count() == 1
    assert AuditEvent.objects.filter(action="lead.create", outcome="denied").count() == 1


def test_lead_needs_summary_and_known_source(officer_wang, unit_a):
    with pytest.raises(ValidationError):
        filing.record_lead(officer_wang, source="other", summary=" ", unit=unit_a)
    with pytest.raises(ValidationError):
        filing.record_lead(officer_wang, source="gossip", summary="x", unit=unit_a)


def test_check_period_from_rules(complaint_lead):
    received = timezone.localdate(complaint_lead.received_at)
    assert leads.check_deadline(complaint_lead).due == calendar.deadline(received, "lead_check").due
    complaint_lead.check_extended = True
    assert (
        leads.check_deadline(complaint_lead).due
        == calendar.deadline(received, "lead_check", extended=True).due
    )


def test_filing_approved_opens_case(
    complaint_lead, officer_wang, officer_ma, head_zhang, agency_head_liu
):
    request, warnings = filing.propose_filing(
        officer_wang,
        complaint_lead,
        title="某农资店销售假农药案",
        field="农药",
        officers=[officer_ma],
    )
    assert warnings == []
    complaint_lead.refresh_from_db()
    assert complaint_lead.status == LeadStatus.PROPOSED and complaint_lead.case is None
    _approve(request, head_zhang, agency_head_liu)
    complaint_lead.refresh_from_db()
    assert complaint_lead.status == LeadStatus.FILED
    case = complaint_lead.case
    assert case.stage == Stage.INVESTIGATION
    assert "立" in case.number and set(case.officers.all()) == {officer_wang, officer_ma}
    assert approvals.is_approved(case, "filing")
    created = AuditEvent.objects.get(action="case.create", case_id=case.pk)
    assert created.actor_id == str(agency_head_liu.pk)
    assert created.details["lead"] == complaint_lead.pk


def test_filing_rejected_reopens_lead(complaint_lead, officer_wang, officer_ma, head_zhang):
    request, _w = filing.propose_filing(
        officer_wang, complaint_lead, title="案", field="农药", officers=[officer_ma]
    )
    approval_actions.decide(head_zhang, request, approve=False, opinion="证据不足")
    complaint_lead.refresh_from_db()
    assert complaint_lead.status == LeadStatus.OPEN and not Case.objects.exists()


def test_decline_filing(complaint_lead, officer_wang, officer_ma, head_zhang, agency_head_liu):
    with pytest.raises(ValidationError):
        filing.decline_filing(officer_wang, complaint_lead, note="")
    request = filing.decline_filing(officer_wang, complaint_lead, note="经核查不存在违法事实")
    _approve(request, head_zhang, agency_head_liu)
    complaint_lead.refresh_from_db()
    assert complaint_lead.status == LeadStatus.DECLINED and complaint_lead.case is None
    with pytest.raises(ValidationError):
        filing.propose_filing(
            officer_wang, complaint_lead, title="案", field="农药", officers=[officer_ma]
        )


def test_propose_access(complaint_lead, officer_li):
    with pytest.raises(AccessDenied):
        filing.propose_filing(officer_li, complaint_lead, title="案", field="农药")


def test_limitation_warning(officer_wang, officer_ma, unit_a):
    today = timezone.localdate()
    assert leads.limitation_warnings(today - dt.timedelta(days=300), today) == []
    three_years = leads.limitation_warnings(today.replace(year=today.year - 3), today)
    assert len(three_years) == 1 and str(today.year - 3) in three_years[0]
    old = filing.record_lead(
        officer_wang,
        source="inspection",
        summary="旧案",
        unit=unit_a,
        violation_date=today.replace(year=today.year - 6),
    )
    _request, warnings = filing.propose_filing(
        officer_wang, old, title="旧案", field="农药", officers=[officer_ma]
    )
    assert len(warnings) == 1 and old.violation_date.isoformat() in warnings[0]


def test_a_filing_proposal_names_enough_certified_officers(
    complaint_lead, officer_wang, officer_ma, unit_a
):
    """R4.2 (行政处罚法 Art. 42): the case a proposal opens is worked by at least two
    certified officers, so the proposer alone — or with an uncertified colleague — is
    refused before anyone is asked to approve."""
    with pytest.raises(ValidationError) as alone:
        filing.propose_filing(officer_wang, complaint_lead, title="案", field="农药")
    assert "至少2名" in str(alone.value) and "第四十二条" in str(alone.value)
    uncertified = UserFactory(username="clerk_he", unit=unit_a, roles=[Role.OFFICER])
    with pytest.raises(ValidationError):
        filing.propose_filing(
            officer_wang, complaint_lead, title="案", field="农药", officers=[uncertified]
        )
    complaint_lead.refresh_from_db()
    assert complaint_lead.status == LeadStatus.OPEN
    assert not complaint_lead.approval_requests.exists()
    filing.propose_filing(
        officer_wang, complaint_lead, title="案", field="农药", officers=[officer_ma]
    )
    complaint_lead.refresh_from_db()
    assert complaint_lead.status == LeadStatus.PROPOSED
    assert complaint_lead.proposal["officers"] == [officer_wang.pk, officer_ma.pk]


def test_the_lead_page_says_who_else_must_be_named(client, complaint_lead, officer_wang):
    sign_in(client, officer_wang)
    page = client.post(
        f"/cases/leads/{complaint_lead.pk}/",
        {"do": "file", "title": "某案", "field": "农药"},
    ).content.decode()
    assert "请选择本案的其他执法人员" in page
    complaint_lead.refresh_from_db()
    assert complaint_lead.status == LeadStatus.OPEN
