"""Device API tokens (R13.1, R15.1): only a registered collection station or enforcement
terminal in service gets one, over the API and from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from liuhen.api import actions
from liuhen.api.models import ApiToken
from liuhen.api.tokens import device_for_token
from liuhen.devices import actions as device_actions
from tests.factories import SYSTEM
from tests.fixtures.api import ApiClient, assert_error, token_for
from tests.fixtures.devices import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def terminal(unit_a):
    return enrol(unit_a, "ZD01", kind="terminal")


def _issue(serial: str) -> actions.IssuedToken:
    return actions.create_token(SYSTEM, device_serial=serial, name="dock")


def test_a_station_and_a_terminal_get_tokens_that_act_as_them(station, terminal) -> None:
    for device in (station, terminal):
        issued = _issue(device.serial)
        assert device_for_token(issued.token) == device
        me = ApiClient(issued.plaintext).get("/me").json()
        assert (me["kind"], me["device_serial"]) == ("device", device.serial)
    # The serial is matched as the registry writes it (no spaces, upper case).
    assert _issue(" cjz01 ").token.device_serial == "CJZ01"


def test_a_persons_token_has_no_device(officer_wang) -> None:
    token = actions.create_token(officer_wang, user=officer_wang, name="tablet").token
    assert device_for_token(token) is None


def _retire(device):
    return device_actions.change_device(SYSTEM, device, status="retired")


@pytest.mark.parametrize(
    ("serial", "message"),
    [
        ("DSJ0001", "只有采集站和移动执法终端"),  # only stations and terminals
        ("NOPE-1", "未登记该设备编号的设备"),  # no device with this serial
        ("CJZ01", "已报废停用"),  # retired
    ],
)
def test_a_recorder_an_unknown_or_a_retired_serial_is_refused(
    station, recorder_a, serial: str, message: str
) -> None:
    _retire(station)
    with pytest.raises(ValidationError) as refused:
        _issue(serial)
    assert message in refused.value.message_dict["device_serial"][0]
    assert not ApiToken.objects.exists()


def test_the_api_answers_422_for_a_recorder_and_201_for_a_station(
    station, recorder_a, sysadmin_zhao
) -> None:
    api = ApiClient(token_for(sysadmin_zhao))
    error = assert_error(
        api.post("/tokens", {"name": "recorder", "device_serial": "DSJ0001"}),
        422,
        "validation_error",
    )
    assert "device_serial" in error["details"]
    assert api.post("/tokens", {"name": "dock", "device_serial": "CJZ01"}).status_code == 201
    assert list(
        ApiToken.objects.exclude(device_serial="").values_list("device_serial", flat=True)
    ) == ["CJZ01"]


def test_the_command_refuses_a_recorder_with_a_message(station, recorder_a) -> None:
    with pytest.raises(CommandError, match="只有采集站和移动执法终端"):
        call_command("token", "create", "--device", "DSJ0001", stdout=StringIO())
    out = StringIO()
    call_command("token", "create", "--device", "CJZ01", stdout=out)
    assert ApiClient(out.getvalue().strip()).get("/me").json()["device_serial"] == "CJZ01"


def test_a_revoked_device_token_no_longer_authenticates(station) -> None:
    issued = _issue("CJZ01")
    api = ApiClient(issued.plaintext)
    assert api.get("/me").status_code == 200
    actions.revoke_token(SYSTEM, issued.token)
    assert_error(api.get("/me"), 401, "invalid_token")


def test_a_station_retired_after_issue_no_longer_uploads(station) -> None:
    # The token still names the device; the device itself may no longer bring files in.
    issued = _issue("CJZ01")
    _retire(station)
    device = device_for_token(issued.token)
    assert device == station and not device.can_upload
