"""Panels: an action's refusal lands on the panel's form, whatever fields it names."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from liuhen.core import panels


class NoteForm(forms.Form):
    note = forms.CharField()


def _refusing(error: ValidationError):
    def action(data):
        raise error

    return action


@pytest.mark.parametrize(
    ("error", "field_errors", "page_errors"),
    [
        (ValidationError({"note": ["太短。"]}), {"note": ["太短。"]}, []),
        # An action below the page may name a field this form does not have.
        (ValidationError({"type": ["执法活动类型不存在。"]}), {}, ["执法活动类型不存在。"]),
        (ValidationError("不予办理。"), {}, ["不予办理。"]),
    ],
)
def test_a_refusal_is_shown_on_the_form_never_raised(error, field_errors, page_errors) -> None:
    request = RequestFactory().post("/", {"do": "note", "note": "x"})
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    form = panels.bound(request, "note", NoteForm)
    panel = panels.Panel("note", "备注", "保存", form, _refusing(error))
    assert panels.run(request, panel) is False
    assert form.non_field_errors() == page_errors
    assert {name: list(errs) for name, errs in form.errors.items() if name != "__all__"} == (
        field_errors
    )
