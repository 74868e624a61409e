"""Steps the scenario tests share: approving through a whole chain, reading a refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from liuhen.cases.actions import approvals as approval_actions


def approve_all(request: Any, *people: Any) -> None:
    """Each person in the chain approves ``request`` in turn; it ends approved."""
    for person in people:
        request.refresh_from_db()
        approval_actions.decide(person, request, approve=True, opinion="同意")
    request.refresh_from_db()
    assert request.status == "approved"


def refusal_reason(func: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """Call an action that must refuse; return the reason it gives."""
    with pytest.raises(ValidationError) as refused:
        func(*args, **kwargs)
    return " ".join(refused.value.messages)
