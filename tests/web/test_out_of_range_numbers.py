"""A number above what the database holds (2^63−1 and beyond) in a filter, an id or an
offset is the client's mistake, never a server error. SQLite refuses such a parameter (the
page answers 400, the API 422, both saying why in Chinese); PostgreSQL compares it as a
numeric and finds nothing (200, an empty list, or 404 for an id)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from tests.factories import sign_in
from tests.fixtures.api import client_for

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999"
JUST_TOO_BIG = str(2**63)


def _refused_by_the_database() -> bool:
    return connection.vendor == "sqlite"


@pytest.mark.parametrize(
    "url",
    [f"/media/?unit={TOO_BIG}", f"/devices/?unit={JUST_TOO_BIG}", f"/cases/{TOO_BIG}/"],
)
def test_a_page_is_never_a_server_error(client: Client, custodian_zhou, url: str) -> None:
    sign_in(client, custodian_zhou)
    response = client.get(url)
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code == 400:
        assert "数值超出范围" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        f"/units?offset={JUST_TOO_BIG}",
        f"/media?unit={TOO_BIG}",
        f"/cases?offset={JUST_TOO_BIG}",
        f"/cases/{TOO_BIG}",
        f"/devices/{JUST_TOO_BIG}",
    ],
)
def test_the_api_is_never_a_server_error(officer_wang, path: str) -> None:
    response = client_for(officer_wang).get(path)
    assert response.status_code in (200, 404, 422), (response.status_code, response.content)
    if response.status_code == 422:
        assert response.json()["error"]["code"] == "validation_error"


def test_an_api_filter_the_database_refuses_says_so_in_chinese(officer_wang) -> None:
    response = client_for(officer_wang).get(f"/media?unit={TOO_BIG}")
    if _refused_by_the_database():
        assert response.status_code == 422
        assert "数值超出范围" in response.json()["error"]["message"]
    else:
        assert response.status_code == 200
        assert response.json()["items"] == []


def test_a_page_filter_the_database_refuses_is_the_400_page(client: Client, custodian_zhou):
    sign_in(client, custodian_zhou)
    response = client.get(f"/media/?unit={TOO_BIG}")
    if _refused_by_the_database():
        assert response.status_code == 400
        assert "数值超出范围" in response.content.decode()
    else:
        assert response.status_code == 200


def test_an_api_offset_beyond_the_database_is_a_422(officer_wang) -> None:
    response = client_for(officer_wang).get(f"/units?offset={JUST_TOO_BIG}")
    assert response.status_code == 422
