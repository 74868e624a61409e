"""Registering a case 案件台账 (R4.3), its parties (R18.3), and reading a case (R21.2)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import Unit, User
from liuhen.cases import enforcement_fields, numbering, timeline
from liuhen.cases.actions.assignment import (
    _record_officers,
    _record_party,
    check_assignable,
    min_certified_officers,
)
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.actions.numbering import allocate
from liuhen.cases.events import CaseEvents
from liuhen.cases.models import Case, Procedure, Stage
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit
from liuhen.core.confidentiality import Confidentiality
from liuhen.core.models import AuditEvent
from liuhen.subjects.models import CaseParty, PartyRole, Subject
from liuhen.subjects.perms import SubjectPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.core.audit import Actor


class NewCase(TypedDict, total=False):
    """What a case is entered with besides its unit: a title, and where the defaults of
    :func:`_open_case` do not fit, the rest."""

    title: Required[str]
    number: str | None
    field: str
    number_kind: str
    officers: Iterable[User]
    stage: str
    confidentiality: str


def create_case(
    actor: User | Actor,
    *,
    unit: Unit,
    request: HttpRequest | None = None,
    **case: Unpack[NewCase],
) -> Case:
    """Enter a case in the case register 案件台账 (R4.3) with its officers (R4.1).

    Without ``number`` the next 文号 of (this year, ``number_kind``, ``field``) is taken;
    ``number`` is for imports and demo data (the system actor).
    """
    access.require(actor, CasePerms.CREATE, unit, request=request)
    with transaction.atomic(durable=True):
        return _open_case(actor, unit=unit, request=request, **case)


def _open_case(
    actor: User | Actor,
    *,
    title: str,
    unit: Unit,
    number: str | None = None,
    field: str = "",
    number_kind: str = numbering.KIND_FILING,
    officers: Iterable[User] = (),
    stage: str = Stage.INITIATION,
    confidentiality: str = Confidentiality.ORDINARY,
    procedure: str = Procedure.ORDINARY,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> Case:
    """:func:`create_case` without the access check, inside the caller's transaction:
    for actions that hold the authority another way (an approved filing, an on-the-spot
    decision) and checked it themselves."""
    title, field = title.strip(), field.strip()
    if number is not None:
        number = number.strip()
        if not number:
            raise ValidationError(_("A case needs a number and a title."), code="required")
    if field or number is None:
        # Only a case entered with its number (an import) may come without a field.
        field = enforcement_fields.resolve(field)
    if not title:
        raise ValidationError(_("A case needs a number and a title."), code="required")
    if stage not in Stage.values or confidentiality not in Confidentiality.values:
        raise ValidationError(_("Unknown stage or confidentiality class."), code="invalid")
    officers = list(officers)
    if number is None:
        number = _free_number(number_kind, field)
    elif Case.objects.filter(number=number).exists():
        raise ValidationError(_("This case number is in use already."), code="duplicate")
    case = Case.objects.create(
        number=number,
        title=title,
        field=field,
        unit=unit,
        stage=stage,
        confidentiality=confidentiality,
        procedure=procedure,
    )
    case.officers.set(officers)
    _record_officers(actor, case, officers, timezone.localdate())
    audit.record(
        CaseEvents.CREATE,
        actor=actor,
        request=request,
        obj=case,
        details={
            "number": number,
            "officers": [officer.pk for officer in officers],
            **(details or {}),
        },
    )
    return case


def create_case_from_request(
    actor: User,
    *,
    title: str,
    field: str,
    unit_id: int | None,
    officer_usernames: Iterable[str],
    confidentiality: str = Confidentiality.ORDINARY,
    request: HttpRequest | None = None,
) -> Case:
    """:func:`create_case` from ids and usernames (API, terminals); the number is allocated.

    The case is entered with the officers who work it (R4.1): at least the rule
    ``min_officers_on_site`` of them, each holding a certificate valid today (R4.2).
    """
    unit_id = unit_id if unit_id is not None else actor.unit_id
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None:
        raise ValidationError({"unit_id": [_("Unknown unit.")]})
    # Before the officers are looked at: whoever may not register here learns nothing.
    access.require(actor, CasePerms.CREATE, unit, request=request)
    names = set(officer_usernames)
    # Only officers the actor may see can be assigned (R21.2: no probing of accounts).
    officers = list(access.visible(actor, User.objects.filter(username__in=names)))
    unknown = sorted(names - {officer.username for officer in officers})
    if unknown:
        raise ValidationError(
            {"officers": [_("Unknown officer: %(name)s") % {"name": name} for name in unknown]}
        )
    check_assignable(officers, timezone.localdate())
    minimum = min_certified_officers()
    if len(officers) < minimum:
        raise ValidationError(
            _(
                "A case is entered with the officers who work it: name at least %(min)d "
                "officers holding an enforcement certificate valid today (Administrative "
                "Penalty Law Art. 42)."
            )
            % {"min": minimum},
            code="officers",
        )
    return create_case(
        actor,
        title=title,
        field=field,
        unit=unit,
        officers=officers,
        confidentiality=confidentiality,
        request=request,
    )


def _free_number(kind: str, field: str) -> str:
    # An imported case may hold a number the series has not reached yet: that serial
    # is used (by the import), so take the next one instead of failing for ever.
    for _attempt in range(100):
        number = allocate(kind, field)
        if not Case.objects.filter(number=number).exists():
            return number
    raise ValidationError(_("No free case number: check the number series."), code="duplicate")


def view_case(actor: User, case: Case, *, request: HttpRequest | None = None) -> None:
    """Open a case page: allowed or audited denial, and one "case.view" event (R21.2)."""
    access.require(actor, CasePerms.VIEW, case, request=request)
    with transaction.atomic(durable=True):
        audit.record(
            CaseEvents.VIEW,
            actor=actor,
            request=request,
            obj=case,
            details=access.used_grant(actor, CasePerms.VIEW, case),
        )


class TimelinePage(NamedTuple):
    events: list[AuditEvent]
    more: bool  # older events follow
    total: int | None  # all events of the case, when asked for


def read_timeline(
    actor: User,
    case: Case,
    *,
    before: int | None = None,
    limit: int = 20,
    offset: int = 0,
    count: bool = False,
    request: HttpRequest | None = None,
    log: bool = True,
) -> TimelinePage:
    """A page of the case's trail, newest first (全程留痕, R1.1): its own events, those
    of the records linked to it, denied attempts included.

    ``before`` (a seq) pages by key for the case page; ``offset`` serves the API.
    The first page is part of opening the case page (already logged as "case.view",
    ``log=False``); a further page is a retrieval of its own, logged (R21.2).
    """
    access.require(actor, CasePerms.TIMELINE, case, request=request)
    with transaction.atomic(durable=True):
        events = timeline.trail(case).order_by("-seq")
        total = events.count() if count else None  # before this read is logged
        if before is not None:
            events = events.filter(seq__lt=before)
        page = list(events[offset : offset + limit + 1])  # one extra row says "more follow"
        page, more = page[:limit], len(page) > limit
        if log:
            audit.record(
                CaseEvents.TIMELINE,
                actor=actor,
                request=request,
                obj=case,
                details={"before": before, "offset": offset, "rows": len(page)},
            )
    return TimelinePage(page, more, total)


# --- parties (R18.3): the enforcement subjects a case is about ---------------------------


def link_party(
    actor: User | Actor,
    case: Case,
    subject: Subject,
    role: str = PartyRole.PARTY,
    *,
    reason: str = "",
    request: HttpRequest | None = None,
) -> CaseParty:
    """Record ``subject`` as a party 当事人 or interested party 利害关系人 of ``case``
    (with ``reason`` when the case was opened without it); the change is kept."""
    access.require(actor, CasePerms.CHANGE, case, request=request)
    refuse_if_archived(actor, case, "cases.link_party", request=request)
    access.require(actor, SubjectPerms.VIEW, subject, request=request)
    if role not in PartyRole.values:
        raise ValidationError({"role": [_("Choose party or interested party.")]})
    if subject.merged_into_id is not None:
        raise ValidationError(_("This record was merged into another; link that one."))
    with transaction.atomic(durable=True):
        if CaseParty.objects.filter(case=case, subject=subject).exists():
            raise ValidationError(_("This subject is linked to the case already."))
        link = CaseParty.objects.create(
            case=case,
            subject=subject,
            role=role,
            created_by=actor if isinstance(actor, User) else None,
        )
        _record_party(actor, link, reason=reason.strip())
        audit.record(
            CaseEvents.LINK_PARTY,
            actor=actor,
            request=request,
            obj=subject,
            case_id=case.pk,
            details={"subject": subject.pk, "role": role, "reason": reason.strip()},
        )
    return link
