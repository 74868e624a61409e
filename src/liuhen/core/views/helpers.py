"""What core's pages share."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


def acting_user(request: HttpRequest) -> AbstractBaseUser:
    """The signed-in person (every page here is behind ``login_required``); core knows
    the account model only as Django's base class, the accounts app being above it."""
    assert isinstance(request.user, AbstractBaseUser)
    return request.user
