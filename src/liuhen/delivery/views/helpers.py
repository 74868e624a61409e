"""What the service and payment pages share: the acting person."""

from __future__ import annotations

from django.http import HttpRequest

from liuhen.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in person (every page that acts is behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user
