"""Ending sessions (R4.2; GB/T 22239-2019 8.1.4.1 b, d): a session the policy no longer
accepts, and every session of an account that was disabled or lost its second factor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import auth
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.events import SessionEvents
from liuhen.accounts.models import User
from liuhen.accounts.session_keys import NOTICE
from liuhen.core import audit

if TYPE_CHECKING:
    from django.http import HttpRequest


def end_session(request: HttpRequest, reason: str) -> None:
    """End the request's session, which the policy no longer accepts (idle, too old,
    revoked); audited. The login page then says why."""
    user = request.user
    with transaction.atomic(durable=True):
        audit.record(
            SessionEvents.EXPIRED,
            actor=user,
            request=request,
            obj=user if isinstance(user, User) else None,
            details={"reason": reason},
        )
    auth.logout(request)
    # The login page shows why (the messages framework runs after the middleware).
    request.session[NOTICE] = reason


def _end_sessions(user: User) -> int:
    """End every session of ``user`` now; returns how many stored ones were deleted.
    Unchecked: the actions that disable an account or reset its second factor call it in
    their transaction.

    Sessions kept by another engine, or created while this runs, are refused by the
    middleware because they began before ``sessions_valid_after``. The session table has
    no user column, so each live session is decoded; ending sessions is rare and the
    table holds only live sessions (plus expired ones until ``clearsessions``).
    """
    now = timezone.now()
    user.sessions_valid_after = now
    user.save(update_fields=["sessions_valid_after"])
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)
