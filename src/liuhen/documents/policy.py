"""Who may read and work the text records 文书 of a case (R6.1, R9, R18.2).

A document is the case's: whoever reads the case reads its documents; whoever works the
case drafts, issues, records signatures and refusals and scans paper. The chair of a hearing
held on the case drafts and submits its 听证会报告书 too, and only that form. An officer's own line
is signed by an officer of the case, as themselves. The seal and the
bureau's forms are configuration of the security and system administrators.
Registered by ``DocumentsConfig.ready()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from liuhen.accounts.models import Role
from liuhen.cases.models import HearingRecord
from liuhen.cases.policy import (
    by_case,
    case_of,
    is_assigned,
    is_hearing_staff,
    may_read_case,
    reads_case_of,
    works_case_of,
)
from liuhen.documents.catalog import catalog
from liuhen.documents.models import Document
from liuhen.documents.perms import DocumentPerms, FormPerms, SealPerms, SignaturePerms

if TYPE_CHECKING:
    from liuhen.accounts.models import User


def _seal_manage(user: User, obj: Any) -> bool:
    """The bureau's seal certificate (R18.2) is the security administrator's."""
    return user.has_role(Role.SECURITY_ADMIN)


def _form_manage(user: User, obj: Any) -> bool:
    """Bureau forms are configuration: the system administrator's (R6.1)."""
    return user.has_role(Role.SYSTEM_ADMIN)


def _officer_sign(user: User, obj: Any) -> bool:
    """An officer signs only as an officer assigned to the case, and the chair and clerk of
    its hearing as themselves, who may read the case (which line is the signing action's to
    check: the one naming them)."""
    case = case_of(obj)
    if case is None:
        return False
    return is_assigned(user, case) or (may_read_case(user, case) and is_hearing_staff(user, case))


def chaired_held_hearing(user: User, case: Any) -> bool:
    """``user`` chaired a hearing of ``case`` that has been held, and may read the case."""
    return (
        case is not None
        and may_read_case(user, case)
        and HearingRecord.objects.filter(hearing__case=case, schedule__chair=user).exists()
    )


def _chair_form(document: Document) -> bool:
    try:
        return catalog.get(document.form_code).drafted_by_hearing_chair
    except KeyError:
        return False


def _draft_hearing_report(user: User, obj: Any) -> bool:
    """The chair of a hearing held on the case starts its report (农业行政处罚程序规定:
    the chair reports the hearing), though no officer of the case: on the case, this rule
    only lets the chair open the drafting of the forms the chair writes."""
    return chaired_held_hearing(user, case_of(obj))


def _draft(user: User, obj: Any) -> bool:
    """Whoever works the case; on a draft of a form the hearing's chair writes (the
    听证会报告书), also the chair of a hearing held on the case."""
    if works_case_of(user, obj):
        return True
    return isinstance(obj, Document) and _chair_form(obj) and chaired_held_hearing(user, obj.case)


def _signature_enrol(user: User, obj: Any) -> bool:
    """Those who sign officer lines enrol a signature image of their own."""
    return user.has_role(Role.OFFICER, Role.UNIT_HEAD)


RULES = {
    DocumentPerms.VIEW: reads_case_of,
    DocumentPerms.DOWNLOAD: reads_case_of,
    DocumentPerms.DRAFT: _draft,
    DocumentPerms.DRAFT_AS_CHAIR: _draft_hearing_report,
    DocumentPerms.REQUEST: _draft,
    DocumentPerms.ISSUE: works_case_of,
    DocumentPerms.SIGN: works_case_of,
    DocumentPerms.SCAN: works_case_of,
    DocumentPerms.OFFICER_SIGN: _officer_sign,
    SignaturePerms.ENROL: _signature_enrol,
    SealPerms.MANAGE: _seal_manage,
    FormPerms.MANAGE: _form_manage,
}


def _seal_scope(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if _seal_manage(user, None) else qs.none()


def _form_scope(user: User, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs if _form_manage(user, None) else qs.none()


SCOPES = {
    "documents.document": by_case,
    "documents.issueddocument": by_case,
    "documents.sealcertificate": _seal_scope,
    "documents.formdefinition": _form_scope,
}
