"""A form of the catalogue changed for one test: the code that acts on a form reads its flags
(``FormSpec``), so a test flips a flag and sees the behaviour follow."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from liuhen.documents.catalog import catalog
from liuhen.documents.spec import FormSpec


def replace_form(monkeypatch: pytest.MonkeyPatch, code: str, **changes: Any) -> FormSpec:
    """The built-in form ``code`` with ``changes`` for the rest of the test."""
    forms = catalog.builtin_forms()
    assert code in {spec.code for spec in forms}, code
    changed = tuple(
        dataclasses.replace(spec, **changes) if spec.code == code else spec for spec in forms
    )
    monkeypatch.setattr(catalog, "builtin_forms", lambda: changed)
    return catalog.get(code)
