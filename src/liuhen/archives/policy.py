"""Who may build and export the archive package of a case (制度第十八条, R18.1): the
archivist, for a case they may read. Registered by ``ArchivesConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only
from liuhen.archives.perms import ArchivePackagePerms
from liuhen.cases.policy import by_case, case_of, may_read_case

if TYPE_CHECKING:
    from django.db import models

    from liuhen.accounts.models import User


def _archivist(user: User) -> bool:
    return case_roles_only(user) and user.has_role(Role.ARCHIVIST)


def _archivist_of_case(user: User, obj: Any) -> bool:
    """The archivist, for a case they may read (or for no case in particular)."""
    if not _archivist(user):
        return False
    case = case_of(obj)
    return obj is None or (case is not None and may_read_case(user, case))


def _packages(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return by_case(user, qs) if _archivist(user) else qs.none()


RULES = {
    ArchivePackagePerms.BUILD: _archivist_of_case,
    ArchivePackagePerms.EXPORT: _archivist_of_case,
}

SCOPES = {"archives.archivepackage": _packages}
