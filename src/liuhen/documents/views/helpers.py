"""What the text-record pages share: the acting person, messages and file names."""

from __future__ import annotations

import re

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
