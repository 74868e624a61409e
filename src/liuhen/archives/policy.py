"""Who assembles, reviews and archives a case file (R18.1, R21.2).

Whoever may read a case may read its file; its officers and their unit head (who work the
case) and the archivist may assemble it; only the archivist reviews and archives it, and
only a case they may read (the confidentiality class narrows the archivist too).
The archive package of an archived case is built and exported by the archivist, for a
case they may read. Registered by ``ArchivesConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only
from liuhen.archives.models import CaseFile, CaseFileEntry
from liuhen.archives.perms import ArchiveDisposalPerms, ArchivePackagePerms, ArchivePerms
from liuhen.cases.models import Case
from liuhen.cases.policy import by_case, may_change_case, may_read_case, visible_cases

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from liuhen.accounts.models import User


def _case(obj: Any) -> Case | None:
    if isinstance(obj, CaseFileEntry):
        return obj.case_file.case
    if isinstance(obj, CaseFile):
        return obj.case
    return obj if isinstance(obj, Case) else None


def is_archivist(user: User) -> bool:
    return case_roles_only(user) and user.has_role(Role.ARCHIVIST)


def _queue(user: User, obj: Any) -> bool:
    return is_archivist(user)


def _view(user: User, obj: Any) -> bool:
    case = _case(obj)
    return case is not None and may_read_case(user, case)


def _assemble(user: User, obj: Any) -> bool:
    case = _case(obj)
    if case is None:
        return False
    return (is_archivist(user) and may_read_case(user, case)) or may_change_case(user, case)


def _archivist_of(user: User, obj: Any) -> bool:
    case = _case(obj)
    return case is not None and is_archivist(user) and may_read_case(user, case)


def _archivist_of_or_none(user: User, obj: Any) -> bool:
    """The archivist, for a case they may read, or for no case in particular (an export
    of every package)."""
    return is_archivist(user) if obj is None else _archivist_of(user, obj)


def _packages(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return by_case(user, qs) if is_archivist(user) else qs.none()


def _agency_head(user: User, obj: Any) -> bool:
    """Destroying case files needs the agency head's approval, as AV disposal does (R18.4)."""
    return case_roles_only(user) and user.has_role(Role.AGENCY_HEAD)


def _destruction_reader(user: User, obj: Any) -> bool:
    """Destruction requests are read by who asks (the archivist) and who decides."""
    return is_archivist(user) or _agency_head(user, obj)


def _destruction_scope(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if _destruction_reader(user, None) else qs.none()


RULES = {
    ArchivePerms.QUEUE: _queue,
    ArchivePerms.VIEW: _view,
    ArchivePerms.ASSEMBLE: _assemble,
    ArchivePerms.REVIEW: _archivist_of,
    ArchivePerms.ARCHIVE: _archivist_of,
    ArchivePackagePerms.BUILD: _archivist_of,
    ArchivePackagePerms.EXPORT: _archivist_of_or_none,
    ArchiveDisposalPerms.DESTROY_REQUEST: _queue,
    ArchiveDisposalPerms.DESTROY_DECIDE: _agency_head,
    ArchiveDisposalPerms.DESTROY_VIEW: _destruction_reader,
    ArchiveDisposalPerms.TRANSFER: _queue,
}


def _entry_scope(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    if not case_roles_only(user):
        return qs.none()
    return qs.filter(case_file__case__in=visible_cases(user).values("pk"))


SCOPES = {
    "archives.casefile": by_case,
    "archives.casefileentry": _entry_scope,
    "archives.archivepackage": _packages,
    "archives.destructionrequest": _destruction_scope,
    "archives.transfer": _destruction_scope,
}
