"""Cases over the API follow the access policy: lists, counts and single cases (R21.2)."""

from __future__ import annotations

from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.core.models import AuditEvent, Outcome
from tests.factories import CaseFactory
from tests.fixtures.api import ApiClient, assert_error, token_for


def test_officer_sees_own_unit_case(officer_wang, case_a) -> None:
    api = ApiClient(token_for(officer_wang))
    listed = api.get("/cases").json()
    assert [item["id"] for item in listed["items"]] == [case_a.pk]
    assert listed["count"] == 1
    detail = api.get(f"/cases/{case_a.pk}").json()
    assert detail["number"] == case_a.number and detail["officers"] == ["officer_wang"]


def test_officer_of_another_unit_does_not_see_it(officer_li, case_a) -> None:
    api = ApiClient(token_for(officer_li))
    listed = api.get("/cases").json()
    assert listed == {"items": [], "count": 0, "limit": 20, "offset": 0}
    # Invisible is answered exactly like nonexistent; both attempts are audited.
    assert_error(api.get(f"/cases/{case_a.pk}"), 404, "not_found")
    assert_error(api.get("/cases/999999"), 404, "not_found")
    denied = AuditEvent.objects.filter(action="case.view", outcome=Outcome.DENIED)
    assert sorted(denied.values_list("object_id", flat=True)) == sorted([str(case_a.pk), "999999"])


def test_count_agrees_with_the_access_policy(officer_li, agency_head_liu, unit_a, unit_b) -> None:
    CaseFactory.create_batch(3, unit=unit_a)
    CaseFactory.create_batch(2, unit=unit_b)
    CaseFactory(unit=unit_b, confidentiality="state_secret")
    for user, expected in ((officer_li, 2), (agency_head_liu, 6)):
        listed = ApiClient(token_for(user)).get("/cases").json()
        assert listed["count"] == expected == access.visible(user, Case.objects.all()).count()
        assert len(listed["items"]) == expected


def test_system_admin_reads_no_case_data(sysadmin_zhao, case_a) -> None:
    api = ApiClient(token_for(sysadmin_zhao))
    assert api.get("/cases").json()["count"] == 0
    assert_error(api.get(f"/cases/{case_a.pk}"), 404, "not_found")


def test_pagination_limit_and_offset(officer_wang, unit_a) -> None:
    CaseFactory.create_batch(25, unit=unit_a)
    api = ApiClient(token_for(officer_wang))
    page = api.get("/cases?limit=10&offset=20").json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (25, 10, 20, 5)
    first = api.get("/cases?limit=10").json()
    second = api.get("/cases?limit=10&offset=10").json()
    ids = [item["id"] for item in first["items"] + second["items"] + page["items"]]
    assert len(set(ids)) == 25
    assert_error(api.get("/cases?limit=101"), 422, "validation_error")
    assert_error(api.get("/cases?offset=-1"), 422, "validation_error")
