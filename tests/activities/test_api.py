"""API: list a case's activities (case.view), record one with a user token (R4.2)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from liuhen.activities.models import Activity
from tests.activities.helpers import record
from tests.api.conftest import ApiClient, token_for


def _payload(case, *usernames, **extra):
    start = timezone.now() - dt.timedelta(hours=1)
    body = {
        "case_id": case.pk if case else None,
        "type": "inspection",
        "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(minutes=30)).isoformat(),
        "place": "大洼区某农资店",
        "officers": list(usernames),
        "gps_lat": "40.5",
        "gps_lon": "122.25",
    }
    body.update(extra)
    return body


def test_terminal_records_an_activity(officer_wang, officer_ma, case_a):
    api = ApiClient(token_for(officer_wang))
    response = api.post("/activities", _payload(case_a, "officer_wang", "officer_ma"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_id"] == case_a.pk and body["needs_av"] and body["av_count"] == 0
    assert [o["username"] for o in body["officers"]] == ["officer_wang", "officer_ma"]
    assert all(o["certificate_number"] for o in body["officers"])


def test_one_officer_is_422(officer_wang, case_a):
    api = ApiClient(token_for(officer_wang))
    response = api.post("/activities", _payload(case_a, "officer_wang"))
    assert response.status_code == 422 and not Activity.objects.exists()
    assert "officers" in response.json()["error"]["details"]


def test_bad_gps_is_422(officer_wang, officer_ma, case_a):
    api = ApiClient(token_for(officer_wang))
    response = api.post("/activities", _payload(case_a, "officer_wang", "officer_ma", gps_lat="99"))
    assert response.status_code == 422


def test_unknown_type_and_officer_are_422(officer_wang, officer_li, case_a):
    api = ApiClient(token_for(officer_wang))
    assert api.post("/activities", _payload(case_a, "officer_wang", type="nope")).status_code == 422
    # An officer of another unit, not on the case, is not found (no probing of accounts).
    response = api.post("/activities", _payload(case_a, "officer_wang", "officer_li"))
    assert response.status_code == 422


def test_case_of_another_unit_is_404(officer_li, officer_wang, officer_ma, case_a):
    api = ApiClient(token_for(officer_li))
    assert (
        api.post("/activities", _payload(case_a, "officer_wang", "officer_ma")).status_code == 404
    )
    assert api.get(f"/cases/{case_a.pk}/activities").status_code == 404


def test_visible_case_without_change_right_is_403(supervisor_zheng, case_a):
    api = ApiClient(token_for(supervisor_zheng))
    assert api.post("/activities", _payload(case_a, "officer_wang")).status_code == 403


def test_list_and_read(officer_wang, officer_ma, officer_li, case_a):
    activity = record(officer_wang, case_a, [officer_wang, officer_ma])
    api = ApiClient(token_for(officer_wang))
    listing = api.get(f"/cases/{case_a.pk}/activities").json()
    assert [item["id"] for item in listing["items"]] == [activity.pk]
    assert api.get(f"/activities/{activity.pk}").json()["type"] == "inspection"
    other = ApiClient(token_for(officer_li))
    assert other.get(f"/activities/{activity.pk}").status_code == 404
