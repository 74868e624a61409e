"""What the text-record pages share: the acting person, messages and file names."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from liuhen.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in person (every page that acts is behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def safe_name(stem: str, extension: str) -> str:
    """A download's file name: no path separators, quotes or spaces."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem).strip("_") + f".{extension}"


def apply_error(
    form: forms.BaseForm, error: ValidationError, renamed: dict[str, str] | None = None
) -> None:
    """Show an action's refusal on the form, on the field it names when the form has it
    (``renamed``: an action's field names that the form calls otherwise)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        name = (renamed or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)
