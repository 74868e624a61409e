"""Who works a case and whom it is about: assigning and releasing its officers (R4.1,
R4.2) and removing a party (R18.3), each change kept as a write-once row.

An officer is assigned only with an enforcement certificate 执法证 valid on the day, and a
case keeps at least the rule ``min_officers_on_site`` of certified officers once it has
them (行政处罚法 Art. 42: 执法人员不得少于两人). The head of the case's unit decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.certificates import certified_officers, valid_certificate
from liuhen.accounts.models import Role, User
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import AssignmentChange, AssignmentChangeKind, AssignmentKind, Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit, rules
from liuhen.subjects.models import CaseParty

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.core.audit import Actor


def min_certified_officers() -> int:
    """R4.2 (行政处罚法 Art. 42): how many certified officers a case is worked by."""
    return int(rules.value("min_officers_on_site"))


def assign_officer(
    actor: User,
    case: Case,
    officer: User,
    *,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AssignmentChange:
    """Make ``officer`` one of the officers 承办人员 of ``case`` (R4.1)."""
    access.require(actor, CasePerms.ASSIGN, case, request=request)
    refuse_if_archived(actor, case, "cases.assign_officer", request=request)
    day = timezone.localdate()
    check_assignable([officer], day)
    with transaction.atomic(durable=True):
        if case.officers.filter(pk=officer.pk).exists():
            raise ValidationError(
                {"officer": [_("%(name)s is an officer of this case already.") % _named(officer)]}
            )
        case.officers.add(officer)
        change = _record_officers(actor, case, [officer], day, reason=reason.strip())[0]
        audit.record(
            CaseEvents.ASSIGN_OFFICER,
            actor=actor,
            request=request,
            obj=case,
            details={
                "officer": officer.pk,
                "certificate": change.certificate_number,
                "reason": change.reason,
            },
        )
    return change


def release_officer(
    actor: User,
    case: Case,
    officer: User,
    *,
    reason: str,
    request: HttpRequest | None = None,
) -> AssignmentChange:
    """Take ``officer`` off ``case``, with the reason; the case keeps its certified officers."""
    access.require(actor, CasePerms.ASSIGN, case, request=request)
    refuse_if_archived(actor, case, "cases.release_officer", request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the change.")]})
    day = timezone.localdate()
    with transaction.atomic(durable=True):
        # Lock the case: two releases at once must not both pass the count below.
        Case.objects.select_for_update().filter(pk=case.pk).first()
        officers = list(case.officers.prefetch_related("certificates"))
        if officer.pk not in {o.pk for o in officers}:
            raise ValidationError(
                {"officer": [_("%(name)s is not an officer of this case.") % _named(officer)]}
            )
        remaining, _uncertified = certified_officers(
            [o for o in officers if o.pk != officer.pk], day
        )
        minimum = min_certified_officers()
        if len(remaining) < minimum:
            raise ValidationError(
                {
                    "officer": [
                        _(
                            "A case is worked by at least %(min)d officers holding an "
                            "enforcement certificate valid today (Administrative Penalty Law "
                            "Art. 42); without %(name)s it would have %(count)d. Assign "
                            "another certified officer first."
                        )
                        % {"min": minimum, "count": len(remaining), **_named(officer)}
                    ]
                },
                code="certificates",
            )
        case.officers.remove(officer)
        change = AssignmentChange.objects.create(
            case=case,
            kind=AssignmentKind.OFFICER,
            change=AssignmentChangeKind.REMOVED,
            officer=officer,
            reason=reason,
            recorded_by=actor,
        )
        audit.record(
            CaseEvents.RELEASE_OFFICER,
            actor=actor,
            request=request,
            obj=case,
            details={"officer": officer.pk, "reason": reason},
        )
    return change


def remove_party(
    actor: User,
    case: Case,
    party: CaseParty,
    *,
    reason: str,
    request: HttpRequest | None = None,
) -> AssignmentChange:
    """Take a subject off ``case`` (named wrongly, or another is found liable), with the
    reason; the row of its linking and of this removal stay (R18.3)."""
    access.require(actor, CasePerms.ASSIGN, case, request=request)
    refuse_if_archived(actor, case, "cases.remove_party", request=request)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the change.")]})
    if party.case_id != case.pk:
        raise ValidationError({"party": [_("This subject is not a party of this case.")]})
    with transaction.atomic(durable=True):
        deleted, _rows = CaseParty.objects.filter(pk=party.pk).delete()
        if not deleted:
            raise ValidationError({"party": [_("This subject is not a party of this case.")]})
        change = AssignmentChange.objects.create(
            case=case,
            kind=AssignmentKind.PARTY,
            change=AssignmentChangeKind.REMOVED,
            subject_id=party.subject_id,
            role=party.role,
            reason=reason,
            recorded_by=actor,
        )
        audit.record(
            CaseEvents.REMOVE_PARTY,
            actor=actor,
            request=request,
            obj=party.subject,
            case_id=case.pk,
            details={"subject": party.subject_id, "role": party.role, "reason": reason},
        )
    return change


def check_assignable(officers: Iterable[User], day: dt.date) -> None:
    """Refuse anyone who is not an active officer with a certificate valid on ``day``."""
    refused = [
        officer
        for officer in officers
        if not officer.is_active
        or officer.is_admin_role
        or not officer.has_role(Role.OFFICER, Role.UNIT_HEAD)
        or valid_certificate(officer, day) is None
    ]
    if refused:
        raise ValidationError(
            {
                "officer": [
                    _(
                        "Only an officer holding an enforcement certificate valid on %(date)s "
                        "can be assigned to a case: %(names)s has none."
                    )
                    % {
                        "date": f"{day:%Y-%m-%d}",
                        "names": "、".join(officer.display_name for officer in refused),
                    }
                ]
            },
            code="certificates",
        )


def _record_officers(
    actor: User | Actor,
    case: Case,
    officers: Iterable[User],
    day: dt.date,
    *,
    reason: str = "",
) -> list[AssignmentChange]:
    """Rows for ``officers`` assigned to ``case``, with the certificate each held on ``day``
    (for the actions that assign officers: opening a case, an assignment)."""
    by = actor if isinstance(actor, User) else None
    rows = []
    for officer in officers:
        certificate = valid_certificate(officer, day)
        rows.append(
            AssignmentChange(
                case=case,
                kind=AssignmentKind.OFFICER,
                change=AssignmentChangeKind.ADDED,
                officer=officer,
                certificate_number=certificate.number if certificate else "",
                reason=reason,
                recorded_by=by,
            )
        )
    return AssignmentChange.objects.bulk_create(rows)


def _record_party(actor: User | Actor, link: CaseParty, *, reason: str = "") -> AssignmentChange:
    """The row of ``link`` made (for the actions that add a party to a case)."""
    return AssignmentChange.objects.create(
        case_id=link.case_id,
        kind=AssignmentKind.PARTY,
        change=AssignmentChangeKind.ADDED,
        subject_id=link.subject_id,
        role=link.role,
        reason=reason,
        recorded_by=actor if isinstance(actor, User) else None,
    )


def _named(officer: User) -> dict[str, str]:
    return {"name": officer.display_name}
