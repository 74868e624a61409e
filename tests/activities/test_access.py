"""Every activity rule allowed and denied (activities/policy.py)."""

from __future__ import annotations

import pytest

from liuhen.activities import actions
from liuhen.activities.models import Activity
from liuhen.core import access
from tests.activities.helpers import record

pytestmark = pytest.mark.usefixtures("activity_types")

REASON = "根据实际情况，现场无法录像。"


@pytest.fixture
def patrol(officer_wang, officer_ma):
    return record(officer_wang, None, [officer_wang, officer_ma])


def test_record_on_a_case(officer_wang, head_zhang, officer_li, auditor_chen, case_a_two_officers):
    assert access.can(officer_wang, "activity.record", case_a_two_officers)  # assigned
    assert access.can(head_zhang, "activity.record", case_a_two_officers)  # head of the unit
    assert not access.can(officer_li, "activity.record", case_a_two_officers)  # other unit
    assert not access.can(auditor_chen, "activity.record", case_a_two_officers)  # admin role


def test_record_outside_a_case(officer_wang, supervisor_zheng, sysadmin_zhao):
    assert access.can(officer_wang, "activity.record", None)
    assert not access.can(supervisor_zheng, "activity.record", None)
    assert not access.can(sysadmin_zhao, "activity.record", None)


def test_view(officer_wang, officer_li, supervisor_zheng, auditor_chen, inspection, patrol):
    assert access.can(officer_wang, "activity.view", inspection)
    assert access.can(supervisor_zheng, "activity.view", inspection)
    assert not access.can(officer_li, "activity.view", inspection)
    assert not access.can(auditor_chen, "activity.view", inspection)
    assert access.can(officer_wang, "activity.view", patrol)
    assert not access.can(officer_li, "activity.view", patrol)


def test_visible_activities(officer_wang, officer_li, head_zhang, auditor_chen, inspection, patrol):
    everything = Activity.objects.all()
    assert set(access.visible(officer_wang, everything)) == {inspection, patrol}
    assert set(access.visible(head_zhang, everything)) == {inspection, patrol}
    assert not access.visible(officer_li, everything).exists()
    assert not access.visible(auditor_chen, everything).exists()


def test_request_exemption(officer_wang, officer_li, head_zhang, custodian_zhou, inspection):
    assert access.can(officer_wang, "av_exemption.request", inspection)
    assert access.can(head_zhang, "av_exemption.request", inspection)  # head is an officer too
    assert not access.can(officer_li, "av_exemption.request", inspection)
    assert not access.can(custodian_zhou, "av_exemption.request", inspection)


def test_approve_exemption(officer_wang, officer_ma, head_zhang, agency_head_liu, inspection):
    """R5.2 through R7.1: the rule approval.decide — the unit head of the case's unit."""
    exemption = actions.request_av_exemption(officer_wang, inspection, reason=REASON)
    assert access.can(head_zhang, "approval.decide", exemption.approval)
    assert not access.can(officer_ma, "approval.decide", exemption.approval)
    assert not access.can(officer_wang, "approval.decide", exemption.approval)  # own request
    assert not access.can(agency_head_liu, "approval.decide", exemption.approval)  # not in chain


def test_approve_exemption_of_a_patrol(officer_wang, head_zhang, officer_li, patrol):
    exemption = actions.request_av_exemption(officer_wang, patrol, reason=REASON)
    assert access.can(head_zhang, "approval.decide", exemption.approval)
    assert not access.can(officer_li, "approval.decide", exemption.approval)


def test_request_exemption_of_a_patrol(officer_wang, officer_ma, officer_li, head_zhang, patrol):
    # Those who recorded it or were present ask; others, even the unit head, do not.
    assert access.can(officer_wang, "av_exemption.request", patrol)
    assert access.can(officer_ma, "av_exemption.request", patrol)
    assert not access.can(officer_li, "av_exemption.request", patrol)
    assert not access.can(head_zhang, "av_exemption.request", patrol)
