"""Fixtures of the audit-log tests (R1.1): a signing key per test, a 2FA-verified client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from liuhen.core import audit
from tests.factories import sign_in


@pytest.fixture(autouse=True)
def signing_key_file(settings: Any, tmp_path: Any) -> Any:
    """Each test signs with its own key under its own data dir."""
    path = tmp_path / "keys" / "audit-ed25519.pem"
    settings.AUDIT_SIGNING_KEY_FILE = path
    return path


@pytest.fixture
def login_verified() -> Callable[[Any], Client]:
    """A client logged in with the second factor done (admins need it to get anywhere)."""
    return lambda user: sign_in(Client(), user)


@pytest.fixture
def some_events(db: Any) -> list[Any]:
    """Ten events of assorted shapes, Chinese text and nested details included."""
    return [
        audit.record(
            f"test.event{i % 3}",
            object_type="cases.case",
            object_id=i,
            case_id=100 + i if i % 2 else None,
            details={"i": i, "text": "现场检查笔录", "nested": {"list": [1, 2.5, None]}},
        )
        for i in range(10)
    ]
