"""Who files, decides and revokes 调阅申请 (R21.1). Registered by ``RetrievalConfig.ready()``.

Anyone who works cases may ask. The head of the unit that owns the record decides, and
revokes what was granted; a classified record (a restricted confidentiality class) is
decided by the agency head. Nobody decides their own request. A request is seen by who
filed it and by who may decide it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from liuhen.accounts.models import Role
from liuhen.accounts.policy import case_roles_only
from liuhen.retrieval.models import RetrievalRequest
from liuhen.retrieval.perms import RetrievalPerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def _file(user: User, obj: Any) -> bool:
    return case_roles_only(user) and not user.is_admin_role


def _list(user: User, obj: Any) -> bool:
    return case_roles_only(user)


def may_decide(user: User, request: Any) -> bool:
    if not isinstance(request, RetrievalRequest) or not case_roles_only(user):
        return False
    if request.requested_by_id == user.pk:
        return False
    if user.has_role(Role.AGENCY_HEAD):
        return True
    return (
        not request.needs_agency_head
        and user.has_role(Role.UNIT_HEAD)
        and user.unit_id == request.owning_unit_id
    )


def _view(user: User, request: Any) -> bool:
    if not isinstance(request, RetrievalRequest):
        return False
    return request.requested_by_id == user.pk or may_decide(user, request)


def _scope(user: User, qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    if not case_roles_only(user):
        return qs.none()
    if user.has_role(Role.AGENCY_HEAD):
        return qs
    reach = models.Q(requested_by=user)
    if user.has_role(Role.UNIT_HEAD) and user.unit_id is not None:
        reach |= models.Q(owning_unit_id=user.unit_id, needs_agency_head=False)
    return qs.filter(reach)


RULES = {
    RetrievalPerms.FILE: _file,
    RetrievalPerms.LIST: _list,
    RetrievalPerms.VIEW: _view,
    RetrievalPerms.DECIDE: may_decide,
    RetrievalPerms.REVOKE: may_decide,
}

SCOPES = {"retrieval.retrievalrequest": _scope}
