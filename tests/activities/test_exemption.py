"""R5.2: exemption from AV recording, requested by an officer and approved through the
approvals engine (R7.1, step ``av_exemption``): the unit head by default, the chain a rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from liuhen.activities import actions, av
from liuhen.activities.models import AvExemption
from liuhen.cases import approvals, policy
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.models import ApprovalStatus
from liuhen.core import registry, rules, writeonce
from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.core.models import AuditEvent
from tests.activities.helpers import record

pytestmark = pytest.mark.usefixtures("activity_types")

REASON = "根据实际情况，执法记录仪故障，现场以文字和照片记录。"


def _decide(person, exemption, *, approve=True, opinion="同意，已核实设备故障"):
    return approval_actions.decide(person, exemption.approval, approve=approve, opinion=opinion)


def test_officer_requests_and_unit_head_approves(officer_wang, head_zhang, inspection):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    request = exemption.approval
    assert not exemption.approved and exemption.status == ApprovalStatus.PENDING
    assert request.step == "av_exemption" and request.case == inspection.case
    assert request.note == REASON and request.chain == ["unit_head"]  # R5.2: the unit head
    assert request.ref == f"activities.activity:{inspection.pk}"
    assert approvals.target_of(request) == inspection
    signed = _decide(head_zhang, exemption)
    exemption = AvExemption.objects.get(pk=exemption.pk)
    assert exemption.approved
    # R7.1: the opinion, the approver's name and the date are kept.
    assert (signed.approver, signed.role, signed.opinion) == (
        head_zhang,
        "unit_head",
        "同意，已核实设备故障",
    )
    assert signed.signed_at is not None
    events = AuditEvent.objects.filter(outcome="ok", case_id=inspection.case_id)
    assert {"av_exemption.request", "approval.request", "approval.decide"} <= {
        e.action for e in events
    }


def test_default_chain_is_the_unit_head():
    assert rules.value("approval_chain_av_exemption") == ("unit_head",)
    assert approvals.chain_for("av_exemption") == ["unit_head"]


def test_configured_chain_takes_unit_head_then_agency_head(
    officer_wang, head_zhang, agency_head_liu, sysadmin_zhao, inspection, case_a_two_officers
):
    configuration.set_rule(
        sysadmin_zhao, "approval_chain_av_exemption", ["unit_head", "agency_head"], "局里要求"
    )
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    assert exemption.approval.chain == ["unit_head", "agency_head"]
    # Not the agency head's turn yet.
    with pytest.raises(AccessDenied):
        _decide(agency_head_liu, exemption)
    _decide(head_zhang, exemption)
    exemption = AvExemption.objects.get(pk=exemption.pk)
    assert exemption.status == ApprovalStatus.PENDING and not exemption.approved
    assert exemption.approval.current_role == "agency_head"
    assert list(approvals.inbox(agency_head_liu)) == [exemption.approval]
    assert not approvals.inbox(head_zhang).exists()
    _decide(agency_head_liu, exemption, opinion="同意")
    exemption = AvExemption.objects.get(pk=exemption.pk)
    assert exemption.approved
    assert [a.role for a in exemption.approval.approvals.all()] == ["unit_head", "agency_head"]


def test_rejection_then_new_request(officer_wang, officer_ma, head_zhang, inspection):
    first = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    with pytest.raises(ValidationError):
        _decide(head_zhang, first, approve=False, opinion="  ")  # R7.1: an opinion is required
    _decide(head_zhang, first, approve=False, opinion="理由不充分，应补录音像")
    first = AvExemption.objects.get(pk=first.pk)
    assert first.rejected and not first.approved
    assert inspection.av_exemption == first
    # The activity still needs AV, or a new request with a better reason.
    second = actions.request_av_exemption(
        officer_ma, inspection, reason=REASON + "备用记录仪亦无电。"
    )
    assert second.pk != first.pk and second.approval.pk != first.approval.pk
    inspection.refresh_from_db()
    assert inspection.av_exemption == second
    _decide(head_zhang, second)
    assert AvExemption.objects.get(pk=second.pk).approved
    assert AvExemption.objects.get(pk=first.pk).rejected  # the record of the refusal stays


def test_reason_is_required(officer_wang, inspection):
    with pytest.raises(ValidationError):
        actions.request_av_exemption(officer_wang, inspection, reason="  无 ")
    assert not AvExemption.objects.exists()


def test_one_pending_request_per_activity(officer_wang, officer_ma, inspection):
    actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    with pytest.raises(ValidationError) as refused:
        actions.request_av_exemption(officer_ma, inspection, reason=REASON)
    assert refused.value.code == "duplicate"


def test_no_request_after_approval(officer_wang, head_zhang, inspection):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    _decide(head_zhang, exemption)
    with pytest.raises(ValidationError) as refused:
        actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    assert refused.value.code == "approved"


def test_two_activities_of_one_case_pending_at_once(
    officer_wang, officer_ma, head_zhang, case_a_two_officers
):
    first = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma])
    second = record(officer_wang, case_a_two_officers, [officer_wang, officer_ma], code="sampling")
    one = actions.request_av_exemption(officer_wang, first, reason=REASON)
    two = actions.request_av_exemption(officer_wang, second, reason=REASON)
    assert {one.approval.status, two.approval.status} == {ApprovalStatus.PENDING}
    assert set(approvals.inbox(head_zhang)) == {one.approval, two.approval}
    _decide(head_zhang, two)
    assert AvExemption.objects.get(pk=two.pk).approved
    assert not AvExemption.objects.get(pk=one.pk).approved


def test_the_case_steps_still_refuse_duplicates(officer_wang, officer_ma, case_a_two_officers):
    # The per-activity ref leaves the case's own steps one pending request each.
    actions.request_av_exemption(
        officer_wang,
        record(officer_wang, case_a_two_officers, [officer_wang, officer_ma]),
        reason=REASON,
    )
    approval_actions.request_approval(officer_wang, case_a_two_officers, "closing")
    with pytest.raises(ValidationError):
        approval_actions.request_approval(officer_wang, case_a_two_officers, "closing")


def test_not_for_a_type_without_av(officer_wang, case_a_two_officers):
    other = record(officer_wang, case_a_two_officers, [officer_wang], code="other")
    with pytest.raises(ValidationError):
        actions.request_av_exemption(officer_wang, other, reason=REASON)


def test_not_when_av_is_linked(officer_wang, inspection):
    def one(activity):
        return 1

    with registry.av_counters.temporarily("test", one), pytest.raises(ValidationError):
        actions.request_av_exemption(officer_wang, inspection, reason=REASON)


def test_officer_cannot_approve(officer_wang, officer_ma, inspection):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    with pytest.raises(AccessDenied):
        _decide(officer_ma, exemption)
    assert AuditEvent.objects.filter(action="approval.decide", outcome="denied").exists()
    assert not AvExemption.objects.get(pk=exemption.pk).approved


def test_other_units_head_cannot_approve(officer_wang, inspection, unit_b):
    from liuhen.accounts.models import Role
    from tests.factories import UserFactory

    head_b = UserFactory(username="head_b", unit=unit_b, roles=[Role.UNIT_HEAD, Role.OFFICER])
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    with pytest.raises(AccessDenied):
        _decide(head_b, exemption)
    assert not approvals.inbox(head_b).exists()


def test_head_cannot_approve_own_request(head_zhang, inspection):
    exemption = actions.request_av_exemption(head_zhang, inspection, reason=REASON)
    with pytest.raises(AccessDenied):
        _decide(head_zhang, exemption)


def test_approved_once(officer_wang, head_zhang, inspection):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    _decide(head_zhang, exemption)
    with pytest.raises(ValidationError):  # a second press on the page read before
        _decide(head_zhang, exemption)
    with pytest.raises(AccessDenied):  # nobody's turn any more
        _decide(head_zhang, AvExemption.objects.get(pk=exemption.pk))
    assert exemption.approval.approvals.count() == 1


def test_patrol_outside_a_case(officer_wang, officer_ma, head_zhang, officer_li, unit_b):
    """A patrol (R3.1) has no case: the unit head of the activity's unit approves."""
    from liuhen.accounts.models import Role
    from tests.factories import UserFactory

    patrol = record(officer_wang, None, [officer_wang, officer_ma])
    exemption = actions.request_av_exemption(officer_wang, patrol, reason=REASON)
    assert exemption.approval.case is None and exemption.approval.lead is None
    assert policy.unit_id_of(exemption.approval) == patrol.unit_id
    head_b = UserFactory(username="head_b", unit=unit_b, roles=[Role.UNIT_HEAD, Role.OFFICER])
    assert not approvals.inbox(head_b).exists()
    with pytest.raises(AccessDenied):
        _decide(head_b, exemption)
    assert list(approvals.inbox(head_zhang)) == [exemption.approval]
    # A second patrol's exemption is a separate request (one pending per activity).
    other = record(officer_wang, None, [officer_wang, officer_ma])
    actions.request_av_exemption(officer_wang, other, reason=REASON)
    _decide(head_zhang, exemption)
    assert AvExemption.objects.get(pk=exemption.pk).approved


def test_exemption_rows_are_write_once(officer_wang, inspection):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    assert "activities_avexemption" in writeonce.protected_tables()
    exemption.reason = "改过的理由"
    with pytest.raises(IntegrityError), transaction.atomic():
        exemption.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        AvExemption.objects.filter(pk=exemption.pk).delete()
    assert AvExemption.objects.get(pk=exemption.pk).reason == REASON


def test_av_counter_registry(inspection):
    assert av.linked_av_count(inspection) == 0

    def two(activity):
        return 2

    with registry.av_counters.temporarily("test", two):
        assert av.linked_av_count(inspection) == 2
        with pytest.raises(registry.AlreadyRegistered):
            registry.av_counters.add("test", two)
    assert av.linked_av_count(inspection) == 0
