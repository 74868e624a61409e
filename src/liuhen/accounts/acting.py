"""Who acts on a page: the signed-in person, as the account model the actions expect."""

from __future__ import annotations

from django.http import HttpRequest

from liuhen.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The signed-in person. Only for pages behind ``login_required``, where nobody
    anonymous gets this far."""
    assert isinstance(request.user, User)
    return request.user
