"""Who publishes (R12.1): the legal reviewer or the agency head, for a decision of a case
they may read; the public pages need no rule (they show only what was published).
Registered by ``DisclosureConfig.ready()``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only
from liuhen.cases.policy import case_of, may_read_case
from liuhen.disclosure.perms import DisclosurePerms

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from liuhen.accounts.models import User


def is_publisher(user: User) -> bool:
    return case_roles_only(user) and user.has_role(Role.LEGAL_REVIEWER, Role.AGENCY_HEAD)


def _publisher(user: User, obj: Any) -> bool:
    return is_publisher(user)


def _publisher_of(user: User, obj: Any) -> bool:
    """A publisher, for the decision (or publication) of a case they may read."""
    if not is_publisher(user):
        return False
    case = case_of(getattr(obj, "decision", None) or obj) if obj is not None else None
    return case is not None and may_read_case(user, case)


def _publications(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    # Staff pages: what was published is public, the publishers see every row of it.
    return qs if is_publisher(user) else qs.none()


RULES = {
    DisclosurePerms.QUEUE: _publisher,
    DisclosurePerms.PUBLISH: _publisher_of,
    DisclosurePerms.WITHDRAW: _publisher_of,
    DisclosurePerms.ANNUAL: _publisher,
    DisclosurePerms.TEXTS: _publisher,
}

SCOPES = {
    "disclosure.publication": _publications,
    "disclosure.annualdata": _publications,
    "disclosure.disclosuretextsversion": _publications,
}
