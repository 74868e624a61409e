"""Who may see, play, download, link and dispose of AV records (R14–R18, R21.1).

The custodian manages them all (R16.1); officers see what they recorded or uploaded
and what is linked to cases they may read; a unit head sees the unit's; the bureau-wide
readers see all. Admin roles never see AV. Registered by ``MediaConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from liuhen.accounts.models import Role
from liuhen.accounts.policy import BUREAU_WIDE_CASE_READERS, case_roles_only
from liuhen.cases.models import Case
from liuhen.cases.policy import case_scope, visible_cases
from liuhen.media.perms import MediaPerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def _av_own(user: User, record: Any) -> bool:
    return record.officer_id == user.pk or record.uploaded_by_id == user.pk


def may_read_av(user: User, record: Any) -> bool:
    if record is None or not case_roles_only(user):
        return False
    if user.has_role(Role.CUSTODIAN, *BUREAU_WIDE_CASE_READERS) or _av_own(user, record):
        return True
    if user.has_role(Role.UNIT_HEAD) and record.unit_id == user.unit_id:
        return True
    linked = Case.objects.filter(
        models.Q(av_links__record=record, av_links__unlink__isnull=True)
        | models.Q(activities__av_links__record=record, activities__av_links__unlink__isnull=True)
    )
    return case_scope(user, linked).exists()


def _media_upload(user: User, obj: Any) -> bool:
    """Officers bring in their recordings; unit heads and the custodian may too (R15.1)."""
    return not user.is_admin_role and user.has_role(Role.OFFICER, Role.UNIT_HEAD, Role.CUSTODIAN)


def _media_list(user: User, obj: Any) -> bool:
    return case_roles_only(user)


def _media_download(user: User, record: Any) -> bool:
    """A copy leaves the system: the custodian, the agency head, the unit's head (R21.1)."""
    if record is None or not may_read_av(user, record):
        return False
    if user.has_role(Role.CUSTODIAN, Role.AGENCY_HEAD):
        return True
    return user.has_role(Role.UNIT_HEAD) and record.unit_id == user.unit_id


def _media_link(user: User, record: Any) -> bool:
    """The officer who made or uploaded it, and the custodian (R16.1)."""
    if record is None or not may_read_av(user, record):
        return False
    return user.has_role(Role.CUSTODIAN) or (user.has_role(Role.OFFICER) and _av_own(user, record))


def _custodian(user: User, obj: Any) -> bool:
    """The custodian labels and manages AV records (R16.1) and asks for disposal."""
    return not user.is_admin_role and user.has_role(Role.CUSTODIAN)


def _media_dispose_decide(user: User, obj: Any) -> bool:
    """Disposal of AV after retention needs the agency head's approval (R18.4)."""
    return not user.is_admin_role and user.has_role(Role.AGENCY_HEAD)


def _media_dispose_view(user: User, obj: Any) -> bool:
    """Disposal requests are read by who asks (the custodian) and who decides (R18.4)."""
    return _custodian(user, obj) or _media_dispose_decide(user, obj)


def _media_integrity(user: User, obj: Any) -> bool:
    """Fixity findings (R16.1, R23.1): the custodian, supervisors, the security admin."""
    return user.has_role(Role.CUSTODIAN, Role.SUPERVISOR, Role.SECURITY_ADMIN)


def _av_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not case_roles_only(user):
        return qs.none()
    if user.has_role(Role.CUSTODIAN, *BUREAU_WIDE_CASE_READERS):
        return qs
    cases = visible_cases(user).values("pk")
    reach = models.Q(officer=user) | models.Q(uploaded_by=user)
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        reach |= models.Q(unit_id=user.unit_id)
    linked = models.Q(links__unlink__isnull=True) & (
        models.Q(links__case__in=cases) | models.Q(links__activity__case__in=cases)
    )
    ids = qs.model.objects.filter(reach | linked).values("pk")
    return qs.filter(pk__in=ids)


def _disposal_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if _media_dispose_view(user, None) else qs.none()


def _integrity_scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    return qs if _media_integrity(user, None) else qs.none()


RULES = {
    MediaPerms.UPLOAD: _media_upload,
    MediaPerms.LIST: _media_list,
    MediaPerms.VIEW: may_read_av,
    MediaPerms.PLAY: may_read_av,
    MediaPerms.DOWNLOAD: _media_download,
    MediaPerms.LINK: _media_link,
    MediaPerms.MARK: _media_link,
    MediaPerms.LABEL: _custodian,
    MediaPerms.DISPOSE_REQUEST: _custodian,
    MediaPerms.DISPOSE_DECIDE: _media_dispose_decide,
    MediaPerms.DISPOSE_VIEW: _media_dispose_view,
    MediaPerms.INTEGRITY: _media_integrity,
}

SCOPES = {
    "media.avrecord": _av_scope,
    "media.disposalrequest": _disposal_scope,
    "media.integrityfinding": _integrity_scope,
}
