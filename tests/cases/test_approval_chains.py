"""R7.1: the approval chain of each step is configured by the system administrator."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from liuhen.cases import approvals
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalStatus
from liuhen.core import rules
from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_every_step_has_a_configurable_chain():
    for step in approvals.steps():
        rule = rules.get(f"approval_chain_{step}")
        # R5.2: the unit head alone approves an AV exemption; R7.1: the others go on to
        # the agency head.
        expected = ("unit_head",) if step == "av_exemption" else ("unit_head", "agency_head")
        assert rule.value == expected
        assert rule.citation  # R2.1: with its source


def test_configured_chain_applies_to_new_requests_only(
    case_a, officer_wang, sysadmin_zhao, head_zhang, agency_head_liu
):
    before = approval_actions.request_approval(officer_wang, case_a, "closing")
    configuration.set_rule(
        sysadmin_zhao, "approval_chain_decision", ["agency_head"], "局长直接审批处罚决定"
    )
    assert AuditEvent.objects.filter(action="rule.set").exists()
    after = approval_actions.request_approval(officer_wang, case_a, "decision")
    assert after.chain == ["agency_head"]
    approval_actions.decide(agency_head_liu, after, approve=True, opinion="同意")
    after.refresh_from_db()
    assert after.status == ApprovalStatus.APPROVED
    # A request keeps the chain it was made with.
    assert before.chain == ["unit_head", "agency_head"]
    approval_actions.decide(head_zhang, before, approve=True, opinion="同意")
    before.refresh_from_db()
    assert before.status == ApprovalStatus.PENDING and before.current_role == "agency_head"


def test_chain_order_is_kept(case_a, officer_wang, sysadmin_zhao):
    configuration.set_rule(
        sysadmin_zhao, "approval_chain_closing", ["agency_head", "unit_head"], "试行"
    )
    assert approval_actions.request_approval(officer_wang, case_a, "closing").chain == [
        "agency_head",
        "unit_head",
    ]
    assert rules.get("approval_chain_closing").display() == "局负责人 → 科室负责人"


@pytest.mark.parametrize(
    ("value", "code"),
    [([], "min_items"), (["legal_reviewer"], "invalid_choice"), (["officer"], "invalid_choice")],
)
def test_bad_chains_refused(sysadmin_zhao, value, code):
    with pytest.raises(ValidationError) as excinfo:
        configuration.set_rule(sysadmin_zhao, "approval_chain_filing", value, "试")
    assert excinfo.value.code == code
    assert rules.value("approval_chain_filing") == ("unit_head", "agency_head")


def test_only_the_system_admin_configures_chains(officer_wang, head_zhang, agency_head_liu):
    for person in (officer_wang, head_zhang, agency_head_liu):
        with pytest.raises(AccessDenied):
            configuration.set_rule(person, "approval_chain_filing", ["agency_head"], "试")
    assert rules.value("approval_chain_filing") == ("unit_head", "agency_head")


def test_rules_page_shows_and_changes_a_chain(client, sysadmin_zhao):
    from tests.factories import sign_in

    sign_in(client, sysadmin_zhao)
    page = client.get("/config/rules/approval_chain_filing/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "科室负责人 → 局负责人" in body
    assert "<code>unit_head</code> = 科室负责人" in body
    response = client.post(
        "/config/rules/approval_chain_filing/",
        {"save": "1", "value": "agency_head", "reason": "简化立案审批"},
    )
    assert response.status_code == 302
    assert rules.value("approval_chain_filing") == ("agency_head",)
    response = client.post(
        "/config/rules/approval_chain_filing/",
        {"save": "1", "value": "officer", "reason": "试"},
    )
    assert "Allowed" in response.content.decode() or "允许" in response.content.decode()
