"""Subjects made through the real actions, and valid identifiers to enter."""

from __future__ import annotations

import pytest

from liuhen.core.audit import Actor
from liuhen.subjects import actions
from liuhen.subjects.identifiers import resident_id_check_char, uscc_check_char
from tests.factories import CaseFactory

SYSTEM = Actor.system("test")


def resident_id(serial: int = 123, born: str = "19800229", area: str = "211104") -> str:
    body = f"{area}{born}{serial:03d}"
    return body + resident_id_check_char(body)


def uscc(serial: int = 1) -> str:
    body = f"9121110{serial:010d}"
    return body + uscc_check_char(body)


def person(number: str | None = None, *, actor=SYSTEM, name: str = "赵大海", **values):
    return actions.create_subject(
        actor, kind="person", name=name, resident_id=number or resident_id(), **values
    )


def unit_subject(code: str | None = None, *, actor=SYSTEM, name: str = "某农资经营部", **values):
    return actions.create_subject(actor, kind="unit", name=name, uscc=code or uscc(), **values)


@pytest.fixture
def case_a(unit_a, officer_wang):
    return CaseFactory(unit=unit_a, officers=[officer_wang])


@pytest.fixture
def case_b(unit_b, officer_li):
    return CaseFactory(unit=unit_b, officers=[officer_li])
