"""The form specs' behaviours are wired at start-up (R6.1): every behaviour a form names is
provided by some app (``registry.document_behaviours``), or ``liuhen check`` fails."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from liuhen.core import registry
from liuhen.documents import system_checks
from liuhen.documents.spec import PAYMENT_QR, behaviour
from tests.documents.catalog_helpers import replace_form


def _errors() -> list[str]:
    return [message.msg for message in system_checks.form_behaviours()]


def test_every_behaviour_the_catalogue_names_is_provided() -> None:
    assert _errors() == []
    assert hasattr(behaviour(PAYMENT_QR), "at_issue")  # delivery's payment notices


def test_a_form_naming_an_unknown_behaviour_fails_the_check(monkeypatch) -> None:
    replace_form(monkeypatch, "closing_report", behaviours=("fax_cover_sheet",))
    assert _errors() == [
        "the form 'closing_report' names the behaviour 'fax_cover_sheet', which no app provides"
    ]
    with pytest.raises(SystemCheckError, match=r"liuhen\.E020"):
        call_command("check", verbosity=0)


def test_a_behaviour_once_provided_passes(monkeypatch) -> None:
    replace_form(monkeypatch, "closing_report", behaviours=("fax_cover_sheet",))
    with registry.document_behaviours.temporarily("fax_cover_sheet", object()):
        assert _errors() == []
        call_command("check", verbosity=0)
