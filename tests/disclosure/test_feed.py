"""The feed of every publication (R12.1) for the government service portal: JSON valid
against docs/schemas/disclosure-feed.schema.json, CSV and Atom, paged by ``after``."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.disclosure.actions import publishing

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.local_dates,
    pytest.mark.usefixtures("local_midday"),
]

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/schemas/disclosure-feed.schema.json").read_text()
)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published_and_withdrawn(decided_case, decided_case_of_a_person, reviewer_sun):
    first = publishing.publish_decision(reviewer_sun, decided_case.decision)
    second = publishing.publish_decision(reviewer_sun, decided_case_of_a_person.decision)
    notice = publishing.withdraw_publication(
        reviewer_sun, second, ground="revoked", ground_on=timezone.localdate(), reason="撤销"
    )
    return first, second, notice


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_json_feed_validates(client, published_and_withdrawn) -> None:
    response = client.get(reverse("portal:disclosure_feed_json"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = response.json()
    _validator().validate(body)
    assert [item["kind"] for item in body["items"]] == ["decision", "decision", "withdrawal"]
    assert body["items"][1]["party"] == "张某某" and "张三丰" not in response.content.decode()
    assert body["items"][2]["replaces"] == body["items"][1]["id"]
    assert body["next"] is None


def test_the_json_feed_pages_by_after(client, published_and_withdrawn) -> None:
    first, _second, _notice = published_and_withdrawn
    page = client.get(reverse("portal:disclosure_feed_json") + "?limit=1").json()
    _validator().validate(page)
    assert [item["id"] for item in page["items"]] == [first.pk]
    assert page["next"].endswith(f"?after={first.pk}")
    rest = client.get(reverse("portal:disclosure_feed_json") + f"?after={first.pk}").json()
    assert [item["id"] for item in rest["items"]] == [first.pk + 1, first.pk + 2]


def test_the_schema_refuses_an_unmasked_shape() -> None:
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate({"version": 1, "generated_at": "x", "items": [{}], "next": None})


def test_the_csv_feed(client, published_and_withdrawn) -> None:
    response = client.get(reverse("portal:disclosure_feed_csv"))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["kind"] for row in rows] == ["decision", "decision", "withdrawal"]
    assert rows[1]["party"] == "张某某"


def test_the_atom_feed(client, published_and_withdrawn) -> None:
    response = client.get(reverse("portal:disclosure_feed_atom"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3
    assert all(entry.find(f"{ATOM}id") is not None for entry in entries)
    assert "张三丰" not in response.content.decode()
