"""The request of a signed-in person, for the pages and endpoints that act as them.

``login_required`` (pages) and the API's token authentication (endpoints) guarantee that
``request.user`` is a :class:`User`; annotating a view's request with
:class:`AuthenticatedRequest` says so to the type checker, so the acting user passes to
the actions (typed ``User``) as it is.
"""

from __future__ import annotations

from django.http import HttpRequest

from liuhen.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
