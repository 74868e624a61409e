from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from liuhen.cases import workflow
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions import registration
from liuhen.cases.actions import workflow as workflow_actions
from liuhen.cases.models import Stage
from liuhen.core.access import AccessDenied
from liuhen.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_registered_by_wang(officer_wang, unit_a):
    return registration.create_case(
        officer_wang, title="某案", unit=unit_a, field="农药", officers=[officer_wang]
    )


def test_initiation_needs_filing_approval(
    case_registered_by_wang, officer_wang, head_zhang, agency_head_liu
):
    with pytest.raises(ValidationError) as refused:
        workflow_actions.advance_stage(officer_wang, case_registered_by_wang)
    assert refused.value.messages == ["Filing (立案) has not been approved."] or "立案" in str(
        refused.value
    )
    request = approval_actions.request_approval(officer_wang, case_registered_by_wang, "filing")
    approval_actions.decide(head_zhang, request, approve=True, opinion="同意")
    request.refresh_from_db()
    approval_actions.decide(agency_head_liu, request, approve=True, opinion="同意立案")
    case_registered_by_wang = workflow_actions.advance_stage(officer_wang, case_registered_by_wang)
    assert case_registered_by_wang.stage == Stage.INVESTIGATION
    event = AuditEvent.objects.get(action="case.stage", case_id=case_registered_by_wang.pk)
    assert event.details == {"from": "initiation", "to": "investigation"}


def test_advance_needs_case_change(case_registered_by_wang, officer_li):
    with pytest.raises(AccessDenied):
        workflow_actions.advance_stage(officer_li, case_registered_by_wang)


def test_decision_stage_blocks_without_decision(case_registered_by_wang, officer_wang):
    case_registered_by_wang.stage = Stage.DECISION
    case_registered_by_wang.save()
    reasons = [b.code for b in workflow.blockers(case_registered_by_wang)]
    assert "no_decision" in reasons
    # The supervision checks join in: no advance notice before the decision (R8.1).
    assert "advance_notice_missing" in reasons
    with pytest.raises(ValidationError):
        workflow_actions.advance_stage(officer_wang, case_registered_by_wang)


def test_last_stage(case_registered_by_wang, officer_wang):
    case_registered_by_wang.stage = Stage.ARCHIVING
    case_registered_by_wang.save()
    with pytest.raises(ValidationError):
        workflow_actions.advance_stage(officer_wang, case_registered_by_wang)
