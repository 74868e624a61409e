"""Pages made of forms that each run one action ("panels"), as on the case workflow and
payment pages: a POST names its panel (``do``); the panel's action runs; a refusal is
shown on that panel's form (422), a success is a message and a redirect.

A page of one form runs its action the same way with :func:`submit`; an action's refusal
is put on the form by :func:`show_refusal`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")


@dataclass
class Panel:
    """One form of a page; ``run`` calls the action and returns the text of its success."""

    key: str
    title: str
    button: str
    form: forms.Form
    run: Callable[[dict[str, Any]], str]


def bound(
    request: HttpRequest, key: str, form_class: Any, *, default: bool = False, **kwargs: Any
) -> Any:
    """``form_class`` bound to the POST when the POST is for the panel ``key`` (a POST that
    names no panel is for the ``default`` one)."""
    named = request.POST.get("do")
    mine = request.method == "POST" and (named == key or (named is None and default))
    return form_class(request.POST if mine else None, **kwargs)


def chosen(
    request: HttpRequest, panels: list[Panel], *, default: str | None = None
) -> Panel | None:
    """The panel the POST is for (``default`` when the POST names none)."""
    key = request.POST.get("do", default)
    return next((panel for panel in panels if panel.key == key), None)


def run(request: HttpRequest, panel: Panel) -> bool:
    """Run ``panel``'s action: True when done (its success is a message), False when the
    form or the action refused (the reason is on the form)."""
    if not panel.form.is_valid():
        return False
    try:
        text = panel.run(panel.form.cleaned_data)
    except ValidationError as refused:
        show_refusal(panel.form, refused)
        return False
    messages.success(request, text)
    return True


def show_refusal(
    form: forms.BaseForm, error: ValidationError, renamed: Mapping[str, str] | None = None
) -> None:
    """Show an action's refusal on the form, on the field it names when the form has it
    (``renamed``: the action's names of fields that the form calls otherwise)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = (renamed or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    done: StrOrPromise,
    renamed: Mapping[str, str] | None = None,
) -> T | None:
    """A page of one form: on a POST of a valid ``form``, run ``action`` with its data and
    show ``done``; the action's result. None when nothing ran or the action refused (the
    reason is on the form; ``renamed`` as for :func:`show_refusal`)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        show_refusal(form, error, renamed)
        return None
    messages.success(request, done)
    return result
