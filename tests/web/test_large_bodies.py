"""A body larger than its sender may send is refused by its Content-Length (413), before
anything reads it; the API's JSON too, in its error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import sign_in
from tests.fixtures.api import API, bearer, token_for

pytestmark = pytest.mark.django_db


def test_an_anonymous_body_above_the_small_limit_is_413_unread(client: Client, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        "/accounts/login/",
        data=b"username=a&password=" + b"x" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "请求内容过大" in response.content.decode()


def test_a_signed_in_page_may_send_more(client: Client, settings, officer_wang) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    sign_in(client, officer_wang)
    response = client.post("/cases/", data={"q": "x" * 2000})
    assert response.status_code != 413


def test_a_signed_in_body_above_the_limit_is_413(client: Client, settings, officer_wang) -> None:
    settings.MAX_REQUEST_BODY = 1024
    sign_in(client, officer_wang)
    response = client.post("/cases/", data={"q": "x" * 2000})
    assert response.status_code == 413


def test_an_api_json_body_above_the_limit_is_a_json_413(client: Client, settings, officer_wang):
    token = token_for(officer_wang)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"title": "' + "x" * 4000 + '", "field": "农药"}'
    response = client.post(
        f"{API}/cases", body, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large"
    assert "请求内容过大" in error["message"]
