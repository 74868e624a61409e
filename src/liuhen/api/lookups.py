"""Finding what an endpoint acts on, under the access policy, for the workflow routers.

An object the caller may not see is answered 404, exactly like one that does not exist
(R21.2: the API does not reveal that it exists). Names in a request body (usernames, ids)
resolve only among what the caller may see, so a request cannot probe for accounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from liuhen.accounts.models import User
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access


def visible_case(request: HttpRequest, case_id: int) -> Case:
    """The case if the caller may read it; else 404, as for a case that does not exist."""
    case = access.visible(request.user, Case.objects.all()).filter(pk=case_id).first()
    if case is None:
        raise Http404
    # The scope and the rule must agree; ``require`` audits if they ever do not.
    access.require(request.user, CasePerms.VIEW, case, request=request)
    return case


def aware(value: dt.datetime) -> dt.datetime:
    """A datetime sent without an offset is local time (Asia/Shanghai by default)."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def users_named(
    names: Iterable[str], among: QuerySet[User], *, field: str, unknown_message: str
) -> list[User]:
    """Active users of ``among`` by username, in the order given; unknown names → 422.

    ``unknown_message`` has a ``%(name)s`` placeholder; the error is keyed by ``field``.
    """
    wanted = list(dict.fromkeys(names))
    found = {
        user.username: user for user in among.filter(username__in=wanted, is_active=True).distinct()
    }
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise ValidationError({field: [unknown_message % {"name": name} for name in unknown]})
    return [found[name] for name in wanted]


def username(user: Any) -> str:
    return user.get_username() if user is not None else ""


def display_name(user: Any) -> str:
    return str(getattr(user, "display_name", "") or username(user))
