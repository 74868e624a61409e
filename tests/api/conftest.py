"""Helpers for API tests: tokens made through the real action, and an authorised client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from liuhen.api import actions
from liuhen.devices.actions import enrol_device
from liuhen.devices.models import Device
from tests.factories import SYSTEM, UnitFactory

API = "/api/v1"


def token_for(user: Any, name: str = "test") -> str:
    return actions.create_token(user, user=user, name=name).plaintext


def station(serial: str) -> Device:
    """A registered collection station: only stations and terminals get device tokens."""
    found = Device.objects.filter(serial=serial).first()
    if found is not None:
        return found
    return enrol_device(SYSTEM, serial=serial, kind="station", unit=UnitFactory())


def device_token(serial: str = "DSJ-0001") -> str:
    station(serial)
    return actions.create_token(SYSTEM, device_serial=serial, name=f"recorder {serial}").plaintext


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class ApiClient:
    """A test client that sends one token with every request."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.client = Client()

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(API + path, headers=bearer(self.token), **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self.client.post(
            API + path,
            data or {},
            content_type="application/json",
            headers=bearer(self.token),
            **kwargs,
        )


@pytest.fixture
def api_as() -> Callable[[Any], ApiClient]:
    def make(user: Any) -> ApiClient:
        return ApiClient(token_for(user))

    return make


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]
