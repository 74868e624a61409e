"""Every audited action has a name people can read, in Chinese on screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from liuhen.core import audit
from liuhen.core.action_labels import LABELS, label
from tests.factories import sign_in

SRC = Path(__file__).resolve().parents[2] / "src" / "liuhen"
# Audited action names as they appear in the code: record("x.y" / rule("x.y" / "x.y" in
# the audit calls of the login flow and API.
ACTION_PATTERN = re.compile(
    r"""(?:record|rule|require|_require|can)\(\s*(?:\w+,\s*)?"([a-z_0-9]+\.[a-z_0-9]+)"""
)


def _actions_in_source() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        found.update(ACTION_PATTERN.findall(path.read_text()))
    return found


def test_every_action_in_the_code_has_a_label() -> None:
    actions = _actions_in_source()
    assert "auth.login" in actions or "case.view" in actions  # the pattern finds them
    assert sorted(actions - set(LABELS)) == []


def test_unknown_action_shows_its_code() -> None:
    assert label("something.new") == "something.new"
    with translation.override("zh-hans"):
        assert label("case.view") == "查阅案件"


@pytest.mark.django_db
def test_event_list_shows_labels(client: Client, auditor_chen) -> None:
    audit.record("case.view", object_type="cases.case", object_id=1)
    sign_in(client, auditor_chen)
    html = client.get("/audit/").content.decode()
    assert "查阅案件" in html and "case.view" in html
