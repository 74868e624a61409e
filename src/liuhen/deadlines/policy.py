"""Who sees which running clocks: one's own cases'; a head's, of the unit's (R21.2).

Registered by ``DeadlinesConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only
from liuhen.deadlines.perms import DeadlinePerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def _deadline_list_own(user: User, obj: Any) -> bool:
    return case_roles_only(user) and user.has_role(Role.OFFICER, Role.UNIT_HEAD)


def _deadline_list_unit(user: User, unit: Any) -> bool:
    """The agency head, any unit or all (``unit`` None); a unit head, their own unit."""
    if not case_roles_only(user):
        return False
    if user.has_role(Role.AGENCY_HEAD):
        return True
    return (
        user.has_role(Role.UNIT_HEAD)
        and user.unit_id is not None
        and unit is not None
        and unit.pk == user.unit_id
    )


RULES = {
    DeadlinePerms.LIST_OWN: _deadline_list_own,
    DeadlinePerms.LIST_UNIT: _deadline_list_unit,
}
