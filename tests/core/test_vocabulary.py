"""The vocabulary (R1.1): every permission and audit event code is declared by its app
with a label people read in Chinese; the log and the access policy refuse other codes."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from liuhen.core import access, audit, registry, vocabulary
from liuhen.core.vocabulary import UnknownEvent
from tests.factories import sign_in

pytestmark = pytest.mark.usefixtures("signing_key_file")

SRC = Path(__file__).resolve().parents[2] / "src" / "liuhen"
TEMPLATE_PERMISSION = re.compile(r"""\{%\s*may\s+["']([a-z_0-9]+\.[a-z_0-9]+)["']""")


def _words(code: str) -> tuple[str, ...]:
    return tuple(sorted(re.split(r"[._]", code)))


def test_no_two_codes_differ_only_in_word_order() -> None:
    codes = set(registry.events) | set(registry.permissions)
    clashes = [
        (a, b) for a, b in itertools.combinations(sorted(codes), 2) if _words(a) == _words(b)
    ]
    assert clashes == []


def test_every_code_is_owned_by_the_app_that_declares_it() -> None:
    """Codes live in the app's own ``perms.py``/``events.py``, not in a central table."""
    for store in (registry.events, registry.permissions):
        for codes in store.enums:  # type: ignore[attr-defined]
            module = codes.__module__
            if module.startswith("tests."):
                continue
            assert module.startswith("liuhen.") and module.rsplit(".", 1)[1] in (
                "perms",
                "events",
            ), module


def test_every_label_is_translated() -> None:
    with translation.override("zh-hans"):
        for store in (registry.events, registry.permissions):
            for codes in store.enums:  # type: ignore[attr-defined]
                if codes.__module__.startswith("tests."):
                    continue
                for member in codes:
                    chinese = str(member.label)
                    assert re.search(r"[\u4e00-\u9fff]", chinese), (member.value, chinese)


def test_every_permission_in_a_template_is_declared() -> None:
    used = {
        code
        for path in SRC.rglob("*.html")
        for code in TEMPLATE_PERMISSION.findall(path.read_text())
    }
    assert used  # the pattern finds them
    assert sorted(code for code in used if code not in registry.permissions) == []


def test_every_declared_permission_has_a_rule() -> None:
    assert sorted(set(registry.permissions) - set(registry.access_rules)) == []


def test_an_undeclared_permission_is_refused() -> None:
    with pytest.raises(access.UnknownPermission):
        access.can(None, "case.obliterate")


@pytest.mark.django_db
def test_the_log_refuses_an_undeclared_event() -> None:
    with pytest.raises(UnknownEvent):
        audit.record("case.obliterate")


def test_a_code_nobody_declares_shows_as_itself() -> None:
    assert vocabulary.label("something.old") == "something.old"
    with translation.override("zh-hans"):
        assert vocabulary.label("case.view") == "查阅案件"


@pytest.mark.django_db
def test_event_list_shows_labels(client: Client, auditor_chen) -> None:
    audit.record("case.view", object_type="cases.case", object_id=1)
    sign_in(client, auditor_chen)
    html = client.get("/audit/").content.decode()
    assert "查阅案件" in html and "case.view" in html
