"""What the API reads from a request body: a JSON object, its text free of control
characters; anything else is a 400 whose message a person can read, in Chinese."""

from __future__ import annotations

import json

import pytest

from tests.fixtures.api import API, bearer, token_for

pytestmark = pytest.mark.django_db


def _post(client, token: str, path: str, body: str):
    return client.post(API + path, body, content_type="application/json", headers=bearer(token))


@pytest.mark.parametrize("body", ["[null,null]", "true", '"x"', "42", "null"])
def test_a_body_that_is_not_an_object_is_refused(
    client, officer_wang, recorder_a, body: str
) -> None:
    device = recorder_a
    response = _post(client, token_for(officer_wang), f"/devices/{device.pk}/checkout", body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert error["message"] == "请求体必须是 JSON 对象。"
    device.refresh_from_db()
    assert device.holder is None


def test_a_body_that_is_not_json_is_refused_in_chinese(client, officer_wang) -> None:
    response = _post(client, token_for(officer_wang), "/cases", "not json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "请求体不是有效的 JSON。"


@pytest.mark.parametrize(
    "title", ["a\u0000b", "\u0001\u001e", "x\u007f", "lone \ud800 surrogate", "x\ufffe"]
)
def test_control_characters_in_a_body_are_refused(client, officer_wang, title: str) -> None:
    body = json.dumps({"title": title, "field": "农药", "officers": [officer_wang.username]})
    response = _post(client, token_for(officer_wang), "/cases", body)
    assert response.status_code == 400, response.content
    assert "控制字符" in response.json()["error"]["message"]


def test_tabs_and_line_breaks_are_text(client, officer_wang) -> None:
    body = json.dumps({"title": "第一行\n第二行\t完", "field": "农药"})
    response = _post(client, token_for(officer_wang), "/cases", body)
    assert response.status_code != 400, response.content
