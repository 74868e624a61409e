"""Devices over the API (R13.1): the same actions and access policy; invisible is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from liuhen.core.models import AuditEvent, Outcome
from liuhen.devices import actions
from tests.factories import SYSTEM
from tests.fixtures.api import ApiClient, assert_error, client_for, device_token

pytestmark = pytest.mark.django_db


def test_list_filtered_by_access_and_flags(
    recorder_a, recorder_b, officer_wang, custodian_zhou, sysadmin_zhao
):
    actions.check_out(
        SYSTEM, recorder_a, holder=officer_wang, at=timezone.now() - dt.timedelta(hours=30)
    )
    mine = client_for(officer_wang).get("/devices").json()
    assert [d["serial"] for d in mine["items"]] == ["DSJ0001"]
    item = mine["items"][0]
    assert (
        item["overdue"] and item["holder_id"] == officer_wang.pk and item["holder_name"] == "王明"
    )
    everything = client_for(custodian_zhou).get("/devices").json()
    assert everything["count"] == 2
    overdue = client_for(custodian_zhou).get("/devices", data={"overdue": "true"}).json()
    assert [d["serial"] for d in overdue["items"]] == ["DSJ0001"]
    by_status = client_for(custodian_zhou).get("/devices", data={"status": "in_service"}).json()
    assert [d["serial"] for d in by_status["items"]] == ["DSJ0002"]
    assert_error(client_for(sysadmin_zhao).get("/devices"), 403, "forbidden")


def test_detail_and_404_for_invisible(recorder_a, recorder_b, officer_wang):
    body = client_for(officer_wang).get(f"/devices/{recorder_a.pk}").json()
    assert body["serial"] == "DSJ0001" and body["ledger"] == []
    assert not AuditEvent.objects.filter(outcome=Outcome.DENIED).exists()
    assert_error(client_for(officer_wang).get(f"/devices/{recorder_b.pk}"), 404, "not_found")
    assert_error(
        client_for(officer_wang).post(f"/devices/{recorder_b.pk}/checkout"), 404, "not_found"
    )
    assert_error(client_for(officer_wang).get("/devices/999999"), 404, "not_found")
    # Each attempt is on record as denied, with the id asked for (hidden or not there).
    denied = AuditEvent.objects.filter(outcome=Outcome.DENIED, object_type="devices.device")
    assert list(denied.values_list("object_id", flat=True)) == [
        str(recorder_b.pk),
        str(recorder_b.pk),
        "999999",
    ]


def test_checkout_and_return(recorder_a, officer_wang, head_zhang):
    api = client_for(officer_wang)
    out = api.post(f"/devices/{recorder_a.pk}/checkout", {"condition": "完好"})
    assert out.status_code == 201, out.content
    body = out.json()
    assert body["status"] == "checked_out" and body["ledger"][0]["kind"] == "checkout"
    assert body["ledger"][0]["condition"] == "完好"
    assert_error(api.post(f"/devices/{recorder_a.pk}/checkout"), 422, "validation_error")
    back = api.post(f"/devices/{recorder_a.pk}/return", {"condition": "正常"})
    assert back.status_code == 201, back.content
    kinds = [e["kind"] for e in back.json()["ledger"]]
    assert kinds == ["return", "checkout"] and back.json()["status"] == "in_service"
    # Returning what is not out: a keeper gets 422, an officer is refused (not theirs).
    assert_error(
        client_for(head_zhang).post(f"/devices/{recorder_a.pk}/return"), 422, "validation_error"
    )
    assert_error(api.post(f"/devices/{recorder_a.pk}/return"), 403, "forbidden")


def test_officer_cannot_issue_to_another_over_api(recorder_a, officer_wang, head_zhang):
    refused = client_for(officer_wang).post(
        f"/devices/{recorder_a.pk}/checkout", {"holder_id": head_zhang.pk}
    )
    assert_error(refused, 403, "forbidden")
    issued = client_for(head_zhang).post(
        f"/devices/{recorder_a.pk}/checkout", {"holder_id": officer_wang.pk}
    )
    assert issued.status_code == 201 and issued.json()["holder_id"] == officer_wang.pk


def test_a_holder_one_may_not_see_is_not_found_and_audited(recorder_a, head_zhang, officer_li):
    refused = client_for(head_zhang).post(
        f"/devices/{recorder_a.pk}/checkout", {"holder_id": officer_li.pk}
    )
    assert_error(refused, 404, "not_found")
    event = AuditEvent.objects.get(outcome=Outcome.DENIED)
    assert event.object_type == "accounts.user" and event.object_id == str(officer_li.pk)
    recorder_a.refresh_from_db()
    assert recorder_a.holder is None


def test_a_device_token_sees_no_device_to_check_out(recorder_a):
    refused = ApiClient(device_token("CJZ09")).post(f"/devices/{recorder_a.pk}/checkout")
    assert_error(refused, 404, "not_found")
    event = AuditEvent.objects.get(outcome=Outcome.DENIED)
    assert (event.actor_type, event.actor_id) == ("device", "CJZ09")
    recorder_a.refresh_from_db()
    assert recorder_a.holder is None
