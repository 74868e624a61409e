"""The upload pages (R15.1) and the third-party material page (R17.1): who may open them,
which devices they offer, and that they load their script the CSP way (no inline code)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from liuhen.core.audit import SYSTEM
from liuhen.devices import actions as device_actions
from liuhen.devices.models import Device
from liuhen.media.views.uploads import CHUNK_SIZE
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def _options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*data-field="device".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def _selected(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)" selected>', html)


@pytest.mark.parametrize("url", ["/media/upload/", "/media/third-party/"])
@pytest.mark.parametrize("who", ["officer_wang", "head_zhang", "custodian_zhou"])
def test_uploaders_may_open_the_pages(client: Client, request, url: str, who: str) -> None:
    client.force_login(request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-endpoint="/api/v1/uploads/"' in html
    assert f'data-chunk-size="{CHUNK_SIZE}"' in html
    source = "third_party" if "third-party" in url else "upload"
    assert f'data-source="{source}"' in html


@pytest.mark.parametrize("url", ["/media/upload/", "/media/third-party/"])
@pytest.mark.parametrize(
    "who", ["reviewer_sun", "archivist_wu", "agency_head_liu", "sysadmin_zhao", "auditor_chen"]
)
def test_others_are_refused(client: Client, request, url: str, who: str) -> None:
    sign_in(client, request.getfixturevalue(who))
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/media/upload/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_devices_offered_are_the_visible_recording_ones_held_first(
    client: Client, unit_a, unit_b, officer_wang
) -> None:
    mine = device_actions.enrol_device(SYSTEM, serial="DSJ0101", kind="recorder", unit=unit_a)
    device_actions.enrol_device(SYSTEM, serial="SXJ0102", kind="camera", unit=unit_a)
    device_actions.enrol_device(SYSTEM, serial="LYB0103", kind="audio_recorder", unit=unit_a)
    device_actions.enrol_device(SYSTEM, serial="CJZ0104", kind="station", unit=unit_a)
    device_actions.enrol_device(SYSTEM, serial="DSJ0201", kind="recorder", unit=unit_b)
    retired = device_actions.enrol_device(SYSTEM, serial="DSJ0105", kind="recorder", unit=unit_a)
    Device.objects.filter(pk=retired.pk).update(status="retired")
    client.force_login(officer_wang)
    html = client.get("/media/upload/").content.decode()
    # R13.1: an officer uses the recording devices of their own unit; stations upload.
    assert _options(html) == ["", "DSJ0101", "LYB0103", "SXJ0102"]
    assert _selected(html) == []

    device_actions.check_out(SYSTEM, mine, holder=officer_wang)
    html = client.get("/media/upload/").content.decode()
    assert _selected(html) == ["DSJ0101"]


def test_custodian_sees_all_units_devices(client: Client, unit_a, unit_b, custodian_zhou) -> None:
    device_actions.enrol_device(SYSTEM, serial="DSJ0101", kind="recorder", unit=unit_a)
    device_actions.enrol_device(SYSTEM, serial="DSJ0201", kind="recorder", unit=unit_b)
    client.force_login(custodian_zhou)
    html = client.get("/media/upload/").content.decode()
    assert _options(html) == ["", "DSJ0101", "DSJ0201"]


def test_third_party_page_asks_for_provenance_not_device(client: Client, officer_wang) -> None:
    client.force_login(officer_wang)
    html = client.get("/media/third-party/").content.decode()
    for field in ("provider", "channel", "obtained_at"):
        assert re.search(rf'data-field="{field}"[^>]*data-required', html), field
    assert 'data-field="device"' not in html and 'data-field="late_reason"' not in html
    html = client.get("/media/upload/").content.decode()
    assert 'data-field="late_reason"' in html and 'data-field="provider"' not in html


def test_scripts_are_files_and_words_are_data(client: Client, officer_wang) -> None:
    client.force_login(officer_wang)
    response = client.get("/media/upload/")
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    # Strict CSP: every script is a file; the only inline block is JSON data.
    for attrs, body in scripts:
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        assert "src=" not in attrs or not body.strip()
    assert "vendor/tus/tus.min.js" in html and "media/upload.js" in html
    words = re.search(r'<script id="upload-messages" type="application/json">(.*?)</script>', html)
    assert words is not None
    messages = json.loads(words.group(1))
    assert messages["offline"] and "%(status)s" in messages["error_status"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
