"""The deadlines through /api/v1/, under the same access policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.core.models import AuditEvent, Outcome
from tests.fixtures.api import ApiClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_80_days_old(case_opened):
    return case_opened(timezone.localdate() - dt.timedelta(days=80))


def test_officer_reads_own_and_case_deadlines(case_80_days_old, officer_wang) -> None:
    api = ApiClient(token_for(officer_wang))
    response = api.get("/deadlines")
    assert response.status_code == 200
    [clock] = [c for c in response.json() if c["code"] == "decision"]
    assert clock["case_id"] == case_80_days_old.pk and clock["rule_key"] == "decision_deadline"
    assert clock["status"] in ("running", "due_soon")
    response = api.get(f"/cases/{case_80_days_old.pk}/deadlines")
    assert response.status_code == 200
    assert "decision" in [c["code"] for c in response.json()]


def test_another_units_officer_gets_404_for_the_case(case_80_days_old, officer_li) -> None:
    api = ApiClient(token_for(officer_li))
    assert api.get(f"/cases/{case_80_days_old.pk}/deadlines").status_code == 404
    assert AuditEvent.objects.filter(
        action="case.view",
        outcome=Outcome.DENIED,
        object_type="cases.case",
        object_id=str(case_80_days_old.pk),
    ).exists()
    assert [c for c in api.get("/deadlines").json() if c["case_id"] == case_80_days_old.pk] == []


def test_unit_list_for_heads_only(case_80_days_old, head_zhang, officer_wang, unit_b) -> None:
    head = ApiClient(token_for(head_zhang))
    assert case_80_days_old.pk in [c["case_id"] for c in head.get("/deadlines/unit").json()]
    assert head.get(f"/deadlines/unit?unit_id={unit_b.pk}").status_code == 403
    assert head.get("/deadlines/unit?unit_id=987654").status_code == 404
    assert AuditEvent.objects.filter(
        action="deadline.list_unit", outcome=Outcome.DENIED, object_id="987654"
    ).exists()
    assert ApiClient(token_for(officer_wang)).get("/deadlines/unit").status_code == 403
