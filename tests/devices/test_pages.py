"""Device pages (R13.1): list with filters and the overdue flag, device page with its
ledger, forms; what each role sees comes from the access policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from liuhen.core.models import AuditEvent, Outcome
from liuhen.devices import actions, registers
from liuhen.devices.models import Device, DeviceStatus, EntryKind
from tests.factories import SYSTEM
from tests.fixtures.devices import enrol

pytestmark = pytest.mark.django_db


def test_list_filters_and_overdue(
    client: Client, recorder_a, recorder_b, custodian_zhou, officer_wang, unit_b
):
    actions.check_out(
        SYSTEM, recorder_a, holder=officer_wang, at=timezone.now() - dt.timedelta(hours=25)
    )
    client.force_login(custodian_zhou)
    html = client.get("/devices/").content.decode()
    assert "DSJ0001" in html and "DSJ0002" in html and 'data-testid="overdue"' in html
    html = client.get("/devices/?overdue=1").content.decode()
    assert "DSJ0001" in html and "DSJ0002" not in html
    html = client.get(f"/devices/?unit={unit_b.pk}").content.decode()
    assert "DSJ0001" not in html and "DSJ0002" in html
    html = client.get("/devices/?status=in_service").content.decode()
    assert "DSJ0001" not in html and "DSJ0002" in html


def test_list_queries_do_not_grow(
    client: Client, unit_a, officer_wang, custodian_zhou, django_assert_max_num_queries
):
    client.force_login(custodian_zhou)
    for n in range(3):
        device = enrol(unit_a, f"S{n}")
        actions.check_out(SYSTEM, device, holder=officer_wang)
    client.get("/devices/")
    with django_assert_max_num_queries(12) as few:
        client.get("/devices/")
    for n in range(3, 13):
        device = enrol(unit_a, f"S{n}")
        actions.check_out(SYSTEM, device, holder=officer_wang)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/devices/").status_code == 200


def test_officer_sees_own_unit_only(
    client: Client, recorder_a, recorder_b, officer_wang, reviewer_sun
):
    client.force_login(officer_wang)
    html = client.get("/devices/").content.decode()
    assert "DSJ0001" in html and "DSJ0002" not in html and "device-new" not in html
    assert client.get(f"/devices/{recorder_b.pk}/").status_code == 404
    assert client.get("/devices/new/").status_code == 403
    client.force_login(reviewer_sun)
    assert client.get("/devices/").status_code == 403


def test_register_change_checkout_return_maintenance(
    client: Client, unit_a, head_zhang, officer_wang
):
    client.force_login(head_zhang)
    response = client.post(
        "/devices/new/",
        {
            "serial": "dsj0300",
            "kind": "recorder",
            "model": "V8",
            "unit": unit_a.pk,
            "storage_place": "柜1",
        },
    )
    device = Device.objects.get(serial="DSJ0300")
    assert response.status_code == 302 and response["Location"] == f"/devices/{device.pk}/"
    duplicate = client.post(
        "/devices/new/", {"serial": "DSJ0300", "kind": "camera", "unit": unit_a.pk}
    )
    assert duplicate.status_code == 422
    response = client.post(
        f"/devices/{device.pk}/edit/",
        {
            "kind": "recorder",
            "model": "V9",
            "unit": unit_a.pk,
            "status": "in_service",
            "storage_place": "柜2",
        },
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.model == "V9" and device.storage_place == "柜2"
    response = client.post(
        f"/devices/{device.pk}/checkout/", {"holder": officer_wang.pk, "condition": "完好"}
    )
    assert response.status_code == 302
    future = (timezone.localtime() + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(f"/devices/{device.pk}/return/", {"at": future})
    assert refused.status_code == 422 and "未来" in refused.content.decode()
    assert client.post(f"/devices/{device.pk}/return/", {"condition": "正常"}).status_code == 302
    start = (timezone.localtime() - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/devices/{device.pk}/maintenance/", {"start": start, "end": end, "work_done": "清洁"}
    )
    assert response.status_code == 302
    kinds = list(device.ledger.values_list("kind", flat=True))
    assert kinds.count(EntryKind.CHECKOUT) == 1 and kinds.count(EntryKind.RETURN) == 1
    html = client.get(f"/devices/{device.pk}/").content.decode()
    assert "领取" in html and "归还" in html and "保养" in html and "清洁" in html


def test_officer_checks_out_on_page_and_forms_are_guarded(
    client: Client, recorder_a, officer_wang, officer_li
):
    client.force_login(officer_wang)
    page = client.get(f"/devices/{recorder_a.pk}/").content.decode()
    assert 'data-testid="device-checkout"' in page and 'data-testid="device-edit"' not in page
    assert client.get(f"/devices/{recorder_a.pk}/edit/").status_code == 403
    assert client.get(f"/devices/{recorder_a.pk}/maintenance/").status_code == 403
    form = client.get(f"/devices/{recorder_a.pk}/checkout/").content.decode()
    assert 'name="holder"' not in form  # an officer takes it themselves
    assert client.post(f"/devices/{recorder_a.pk}/checkout/", {}).status_code == 302
    recorder_a.refresh_from_db()
    assert recorder_a.status == DeviceStatus.CHECKED_OUT and recorder_a.holder == officer_wang
    client.force_login(officer_li)
    assert client.get(f"/devices/{recorder_a.pk}/return/").status_code == 404


# --- the access idiom: a hidden device is not found, and the attempt is on record ---------


@pytest.mark.parametrize("page", ["", "edit/", "checkout/", "return/", "maintenance/"])
def test_a_device_of_another_unit_is_not_found_and_the_attempt_audited(
    client: Client, recorder_b, officer_wang, page
):
    client.force_login(officer_wang)
    assert client.get(f"/devices/{recorder_b.pk}/{page}").status_code == 404
    [event] = AuditEvent.objects.filter(outcome=Outcome.DENIED)
    assert event.object_type == "devices.device" and event.object_id == str(recorder_b.pk)
    assert event.actor_id == str(officer_wang.pk)


def test_a_visible_device_opens_and_leaves_no_denial(client: Client, recorder_a, officer_wang):
    client.force_login(officer_wang)
    assert client.get(f"/devices/{recorder_a.pk}/").status_code == 200
    assert client.get(f"/devices/{recorder_a.pk}/checkout/").status_code == 200
    assert not AuditEvent.objects.filter(outcome=Outcome.DENIED).exists()


def test_a_visible_device_one_may_not_manage_is_forbidden_and_audited(
    client: Client, recorder_a, officer_wang
):
    client.force_login(officer_wang)
    assert client.get(f"/devices/{recorder_a.pk}/edit/").status_code == 403
    event = AuditEvent.objects.get(outcome=Outcome.DENIED)
    assert event.action == "device.manage" and event.object_id == str(recorder_a.pk)


# --- the device register: paging keeps the filter, exports are audited -------------------


def test_paging_keeps_the_filter(client: Client, unit_a, unit_b, custodian_zhou, monkeypatch):
    monkeypatch.setattr(registers, "PAGE_SIZE", 2)
    # Serials with a hyphen: no CSRF token or other random text on the page can hold them.
    for n in range(5):
        enrol(unit_a, f"REC-A{n}")
    enrol(unit_b, "REC-B0")
    client.force_login(custodian_zhou)
    first = client.get(f"/devices/?unit={unit_a.pk}").content.decode()
    assert "1 / 3" in first and f"?unit={unit_a.pk}&amp;page=2" in first
    second = client.get(f"/devices/?unit={unit_a.pk}&page=3").content.decode()
    assert "REC-A4" in second and "REC-B0" not in second and "3 / 3" in second


def test_the_export_has_the_lists_rows_and_is_audited(
    client: Client, recorder_a, recorder_b, custodian_zhou, officer_wang, unit_a
):
    actions.check_out(
        SYSTEM, recorder_a, holder=officer_wang, at=timezone.now() - dt.timedelta(hours=25)
    )
    client.force_login(custodian_zhou)
    html = client.get(f"/devices/?unit={unit_a.pk}").content.decode()
    assert f"/devices/register/export.csv?unit={unit_a.pk}" in html
    response = client.get(f"/devices/register/export.csv?unit={unit_a.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="device-register-')
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("DSJ0001,")
    event = AuditEvent.objects.get(action="device.export")
    assert event.details == {"filters": {"unit": str(unit_a.pk)}, "format": "csv", "rows": 1}
    assert client.get("/devices/register/export.pdf").status_code == 404


def test_the_export_is_for_those_who_may_list_devices(client: Client, recorder_a, reviewer_sun):
    client.force_login(reviewer_sun)
    assert client.get("/devices/register/export.xlsx").status_code == 403
    assert not AuditEvent.objects.filter(action="device.export", outcome=Outcome.OK).exists()
