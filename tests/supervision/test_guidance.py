"""Focused guidance 重点指导督办: a unit crossing a threshold appears; manual listing needs a
reason; follow-ups; who sees it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.core.access import AccessDenied
from liuhen.core.actions import configuration
from liuhen.supervision.actions import guidance as actions
from liuhen.supervision.actions.findings import raise_finding
from liuhen.supervision.models import ListedBy
from liuhen.supervision.rectification import guidance
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def raise_many(unit, count: int, kind: str = "av_missing") -> None:
    for n in range(count):
        raise_finding(
            None,
            kind=kind,
            article="R5.2",
            summary=f"问题{n}",
            dedupe_key=f"t:{kind}:{unit.pk}:{n}",
            unit=unit,
        )


def test_a_unit_crossing_the_open_findings_threshold_appears(unit_a, unit_b, sysadmin_zhao):
    configuration.set_rule(sysadmin_zhao, "guidance_open_findings", 3, "试点标准")
    raise_many(unit_a, 3)
    raise_many(unit_b, 2)
    crossing = guidance.crossing()
    assert set(crossing) == {unit_a.pk}
    [crossed] = crossing[unit_a.pk]
    assert (crossed.metric.key, crossed.value, crossed.threshold) == ("open_findings", 3, 3)


def test_complaint_and_spot_check_metrics_count_their_kinds(unit_a, sysadmin_zhao):
    raise_many(unit_a, 3, kind="complaint")
    assert [c.metric.key for c in guidance.crossing()[unit_a.pk]] == ["complaints"]


def test_page_lists_the_crossing_unit_and_listing_keeps_the_figures(
    client, unit_a, supervisor_zheng, sysadmin_zhao
):
    configuration.set_rule(sysadmin_zhao, "guidance_open_findings", 2, "试点标准")
    raise_many(unit_a, 2)
    sign_in(client, supervisor_zheng)
    page = client.get(reverse("supervision:guidance")).content.decode()
    assert f'data-unit="{unit_a.pk}"' in page
    response = client.post(
        reverse("supervision:guidance"), {"unit": unit_a.pk, "reason": "", "plan": "每月检查"}
    )
    assert response.status_code == 302
    entry = guidance.active_entries().get()
    assert entry.listed_by == ListedBy.THRESHOLD and entry.metrics == {"open_findings": 2}


def test_manual_listing_needs_a_reason(unit_b, supervisor_zheng):
    with pytest.raises(ValidationError) as refused:
        actions.list_unit_for_guidance(supervisor_zheng, unit_b, reason="", plan="计划")
    assert "reason" in refused.value.message_dict
    entry = actions.list_unit_for_guidance(
        supervisor_zheng, unit_b, reason="队伍管理问题突出", plan="派员驻点指导"
    )
    assert entry.listed_by == ListedBy.MANUAL
    with pytest.raises(ValidationError):
        actions.list_unit_for_guidance(supervisor_zheng, unit_b, reason="再次", plan="计划")
    actions.follow_up_guidance(supervisor_zheng, entry, note="已整改到位", concludes=True)
    assert not guidance.under_guidance(unit_b)
    with pytest.raises(ValidationError):
        actions.follow_up_guidance(supervisor_zheng, entry, note="再跟踪")


def test_guidance_is_the_supervisors_and_agency_heads(
    client, unit_b, supervisor_zheng, agency_head_liu, head_zhang
):
    for person in (agency_head_liu, head_zhang):
        with pytest.raises(AccessDenied):
            actions.list_unit_for_guidance(person, unit_b, reason="x", plan="x")
    sign_in(client, agency_head_liu)
    assert client.get(reverse("supervision:guidance")).status_code == 200
    sign_in(client, head_zhang)
    assert client.get(reverse("supervision:guidance")).status_code == 403
