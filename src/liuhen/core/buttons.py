"""A button that runs an action and returns to a page (no form to show again): the
action's refusal, or its success, is a message on the page it returns to."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

T = TypeVar("T")


def press(request: HttpRequest, action: Callable[[], T], done: str) -> T | None:
    """Run ``action`` and say ``done``; its result, or None when it refused (the reason is
    an error message)."""
    try:
        result = action()
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return None
    messages.success(request, done)
    return result
