"""R5.2: exemption from AV recording, requested by an officer, approved by the unit head."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from liuhen.accounts.access import AccessDenied
from liuhen.activities import actions, av
from liuhen.core.models import AuditEvent
from tests.activities.helpers import record

REASON = "根据实际情况，执法记录仪故障，现场以文字和照片记录。"


@pytest.fixture
def inspection(officer_wang, officer_ma, case_a):
    return record(officer_wang, case_a, [officer_wang, officer_ma])


def test_officer_requests_and_unit_head_approves(officer_wang, head_zhang, inspection):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    assert not exemption.approved
    actions.approve_av_exemption(head_zhang, exemption)
    exemption.refresh_from_db()
    assert exemption.approved and exemption.approved_by == head_zhang
    events = AuditEvent.objects.filter(action__startswith="av_exemption.", outcome="ok")
    assert {e.action for e in events} == {"av_exemption.request", "av_exemption.approve"}
    assert {e.case_id for e in events} == {inspection.case_id}


def test_reason_is_required(officer_wang, inspection):
    with pytest.raises(ValidationError):
        actions.request_av_exemption(officer_wang, inspection, reason="  无 ")


def test_one_request_per_activity(officer_wang, officer_ma, inspection):
    actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    with pytest.raises(ValidationError):
        actions.request_av_exemption(officer_ma, inspection, reason=REASON)


def test_not_for_a_type_without_av(officer_wang, case_a):
    other = record(officer_wang, case_a, [officer_wang], code="other")
    with pytest.raises(ValidationError):
        actions.request_av_exemption(officer_wang, other, reason=REASON)


def test_not_when_av_is_linked(officer_wang, inspection):
    def one(activity):
        return 1

    av.register_av_counter(one)
    try:
        with pytest.raises(ValidationError):
            actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    finally:
        av.unregister_av_counter(one)


def test_officer_cannot_approve(officer_wang, officer_ma, inspection):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    with pytest.raises(AccessDenied):
        actions.approve_av_exemption(officer_ma, exemption)
    assert AuditEvent.objects.filter(action="av_exemption.approve", outcome="denied").exists()


def test_other_units_head_cannot_approve(officer_wang, inspection, unit_b):
    from liuhen.accounts.models import Role
    from tests.factories import UserFactory

    head_b = UserFactory(username="head_b", unit=unit_b, roles=[Role.UNIT_HEAD, Role.OFFICER])
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    with pytest.raises(AccessDenied):
        actions.approve_av_exemption(head_b, exemption)


def test_head_cannot_approve_own_request(head_zhang, inspection):
    exemption = actions.request_av_exemption(head_zhang, inspection, reason=REASON)
    with pytest.raises(AccessDenied):
        actions.approve_av_exemption(head_zhang, exemption)


def test_approved_once(officer_wang, head_zhang, inspection):
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    actions.approve_av_exemption(head_zhang, exemption)
    with pytest.raises(ValidationError):
        actions.approve_av_exemption(head_zhang, exemption)


def test_av_counter_registry(inspection):
    assert av.linked_av_count(inspection) == 0

    def two(activity):
        return 2

    av.register_av_counter(two)
    av.register_av_counter(two)  # idempotent
    try:
        assert av.linked_av_count(inspection) == 2
    finally:
        av.unregister_av_counter(two)
    assert av.linked_av_count(inspection) == 0
