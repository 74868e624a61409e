"""API: POST /cases (number allocated) and GET /cases/{id}/timeline (404 when invisible)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from liuhen.cases.actions import registration
from liuhen.cases.models import Case
from liuhen.core import audit
from liuhen.core.models import AuditEvent, Outcome
from tests.fixtures.api import ApiClient, token_for

pytestmark = pytest.mark.django_db


def api(user) -> ApiClient:
    return ApiClient(token_for(user))


@pytest.fixture
def registered_case(unit_a, officer_wang, head_zhang) -> Case:
    return registration.create_case(
        head_zhang, title="某农资店案", field="农药", unit=unit_a, officers=[officer_wang]
    )


def test_officer_registers_a_case_and_gets_its_number(officer_wang, head_zhang) -> None:
    response = api(officer_wang).post(
        "/cases",
        {"title": "某种子站案", "field": "种子", "officers": ["officer_wang", "head_zhang"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    year = timezone.localdate().year
    assert body["number"] == f"洼农（种子）立〔{year}〕1号"
    assert body["field"] == "种子" and sorted(body["officers"]) == ["head_zhang", "officer_wang"]
    case = Case.objects.get(pk=body["id"])
    assert case.unit_id == officer_wang.unit_id
    assert AuditEvent.objects.filter(action="case.create", case_id=case.pk).exists()


def test_registration_refusals(officer_wang, officer_li, unit_b, sysadmin_zhao) -> None:
    client = api(officer_wang)
    # Another unit's case: 403, audited.
    response = client.post("/cases", {"title": "T", "field": "农药", "unit_id": unit_b.pk})
    assert response.status_code == 403
    assert AuditEvent.objects.get(action="case.create").outcome == Outcome.DENIED
    # An officer the caller cannot see (another unit) is "unknown": 422.
    response = client.post("/cases", {"title": "T", "field": "农药", "officers": ["officer_li"]})
    assert response.status_code == 422
    assert "officers" in response.json()["error"]["details"]
    # Missing field: 422 from validation.
    assert client.post("/cases", {"title": "T"}).status_code == 422
    # The system admin registers no cases (三员).
    assert api(sysadmin_zhao).post("/cases", {"title": "T", "field": "农药"}).status_code in (
        403,
        422,
    )
    assert not Case.objects.exists()


def test_timeline_for_the_assigned_officer(registered_case, officer_wang, head_zhang) -> None:
    for index in range(5):
        audit.record("test.step", actor=head_zhang, obj=registered_case, details={"i": index})
    response = api(officer_wang).get(f"/cases/{registered_case.pk}/timeline?limit=3")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 6 and body["limit"] == 3 and body["offset"] == 0
    assert [item["action"] for item in body["items"]] == ["test.step"] * 3
    assert body["items"][0]["actor"] == "张伟"
    seqs = [item["seq"] for item in body["items"]]
    assert seqs == sorted(seqs, reverse=True)
    rest = api(officer_wang).get(f"/cases/{registered_case.pk}/timeline?limit=3&offset=3").json()
    # The first read was itself logged (R21.2) and is now the newest event.
    assert rest["count"] == 7
    assert rest["items"][0]["seq"] == seqs[-1]  # shifted by the new event
    logged = AuditEvent.objects.filter(action="case.timeline", case_id=registered_case.pk)
    assert logged.count() == 2 and {e.actor_name for e in logged} == {"officer_wang"}


@pytest.mark.parametrize("persona", ["officer_li", "sysadmin_zhao", "auditor_chen"])
def test_timeline_is_404_when_invisible_and_audited(request, registered_case, persona) -> None:
    user = request.getfixturevalue(persona)
    response = api(user).get(f"/cases/{registered_case.pk}/timeline")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    denied = AuditEvent.objects.get(action="case.timeline")
    assert denied.outcome == Outcome.DENIED and denied.actor_name == user.username
    assert (denied.object_type, denied.object_id) == ("cases.case", str(registered_case.pk))


def test_timeline_of_a_missing_case_is_404(officer_wang) -> None:
    assert api(officer_wang).get("/cases/987654/timeline").status_code == 404
