"""Changes to enforcement activities: record one, ask for an AV exemption (the approvals
engine decides it, R7.1).

Each action checks access before its transaction, validates, changes data and audits in
one durable transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.accounts.certificates import certified_officers, valid_certificate
from liuhen.accounts.models import User
from liuhen.activities.av import linked_av_count
from liuhen.activities.events import ActivityEvents, AvExemptionEvents
from liuhen.activities.models import (
    LAT_RANGE,
    LON_RANGE,
    Activity,
    ActivityOfficer,
    ActivityType,
    AvExemption,
)
from liuhen.activities.perms import ActivityPerms, AvExemptionPerms
from liuhen.cases import approvals
from liuhen.cases.actions import approvals as approval_actions
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.core import access, audit, rules
from liuhen.core.audit import Actor
from liuhen.subjects.models import Subject
from liuhen.subjects.perms import SubjectPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import Unit
    from liuhen.cases.models import Case

# A tablet clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)
MIN_EXEMPTION_REASON = 10  # characters: a written reason, not a tick box (R5.2)
# The activity type of 查封、扣押 (seeded) and the approval step it needs (行政强制法 Art. 18).
SEIZURE = "seizure"


def parse_gps(gps: Sequence[Any] | None) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) in degrees, checked against their ranges; None for no fix."""
    if gps is None:
        return None
    try:
        lat, lon = (Decimal(str(v)).quantize(Decimal("0.000001")) for v in gps)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError(
            {"gps": [_("GPS position must be two numbers: latitude and longitude.")]}
        ) from exc
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        raise ValidationError({"gps": [_("Latitude must be between -90 and 90 degrees.")]})
    if not (LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise ValidationError({"gps": [_("Longitude must be between -180 and 180 degrees.")]})
    return lat, lon


def record_activity(
    actor: User | Actor,
    *,
    case: Case | None,
    type: ActivityType,  # the brief's name; it is the activity type
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    officers: Iterable[User],
    party: Subject | None = None,
    gps: Sequence[Any] | None = None,
    non_site: bool = False,
    notes: str = "",
    unit: Unit | None = None,
    request: HttpRequest | None = None,
) -> Activity:
    """Record an enforcement activity with the officers present (R4.2) and its party.

    On-site types need ``min_officers_on_site`` officers (行政处罚法 Art. 42: two at least)
    with certificates valid on the day; each officer's certificate number is kept as it was
    then.
    """
    access.require(actor, ActivityPerms.RECORD, case, request=request)
    refuse_if_archived(actor, case, "activities.record_activity", request=request)
    with transaction.atomic(durable=True):
        return _record(
            actor,
            case=case,
            type=type,
            started_at=started_at,
            ended_at=ended_at,
            place=place,
            officers=officers,
            party=party,
            gps=gps,
            non_site=non_site,
            notes=notes,
            unit=unit,
            request=request,
        )


def record_activity_within(
    actor: User,
    *,
    case: Case,
    type_code: str,
    request: HttpRequest | None = None,
    **fields: Any,
) -> Activity:
    """:func:`record_activity` as part of another app's action, inside its transaction:
    the simple procedure's on-the-spot penalty is an activity like any other (R5.1, 当场处罚),
    with the same officers' check and the same AV requirement. Registered in ``ready()`` as
    the activity recorder (``registry.activity_recorders``) for the apps below this one.
    """
    access.require(actor, ActivityPerms.RECORD, case, request=request)
    refuse_if_archived(actor, case, "activities.record_activity_within", request=request)
    kind = ActivityType.objects.filter(code=type_code).first()
    if kind is None:
        raise ValidationError({"type": [_("Unknown activity type.")]})
    return _record(actor, case=case, type=kind, request=request, **fields)


def _record(
    actor: User | Actor,
    *,
    case: Case | None,
    type: ActivityType,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    officers: Iterable[User],
    party: Subject | None = None,
    gps: Sequence[Any] | None = None,
    non_site: bool = False,
    notes: str = "",
    unit: Unit | None = None,
    request: HttpRequest | None = None,
) -> Activity:
    place = place.strip()
    officers = list(dict.fromkeys(officers))  # keep order, drop repeats
    errors: dict[str, list[str]] = {}
    if not place:
        errors.setdefault("place", []).append(_("Name the place of the activity."))
    if ended_at < started_at:
        errors.setdefault("ended_at", []).append(_("The activity cannot end before it starts."))
    if started_at > timezone.now() + CLOCK_SKEW:
        errors.setdefault("started_at", []).append(_("The activity cannot start in the future."))
    if not type.active:
        errors.setdefault("type", []).append(_("This activity type is no longer in use."))
    if case is not None and case.closed_at is not None:
        errors.setdefault("case", []).append(_("The case is closed: no activity can be added."))
    if (
        party is not None
        and not access.is_system(actor)
        and not access.can(actor, SubjectPerms.VIEW, party)
    ):
        errors.setdefault("party", []).append(_("Unknown party."))
    if not officers:
        errors.setdefault("officers", []).append(_("Name the officers present."))
    if type.code == SEIZURE:
        errors.update(_seizure_not_approved(case))
    if errors:
        raise ValidationError(errors)
    position = parse_gps(gps)
    day = timezone.localtime(started_at).date()
    if type.on_site and not non_site:
        _require_certified(officers, day, type)
    if unit is None:
        unit = case.unit if case is not None else getattr(actor, "unit", None)
    if unit is None:
        raise ValidationError({"unit": [_("The activity needs a unit.")]})
    activity = Activity.objects.create(
        case=case,
        stage=case.stage if case is not None else "",
        unit=unit,
        type=type,
        started_at=started_at,
        ended_at=ended_at,
        place=place,
        gps_lat=position[0] if position else None,
        gps_lon=position[1] if position else None,
        party=party,
        notes=notes.strip(),
        non_site=non_site,
        recorded_by=actor if isinstance(actor, User) else None,
    )
    presences = []
    for officer in officers:
        certificate = valid_certificate(officer, day)
        presences.append(
            ActivityOfficer(
                activity=activity,
                officer=officer,
                certificate=certificate,
                certificate_number=certificate.number if certificate else "",
            )
        )
    ActivityOfficer.objects.bulk_create(presences)
    audit.record(
        ActivityEvents.RECORD,
        actor=actor,
        request=request,
        obj=activity,
        case_id=case.pk if case is not None else None,
        details={
            "type": type.code,
            "started_at": started_at.isoformat(),
            "ended_at": ended_at.isoformat(),
            "officers": [
                {"id": p.officer.pk, "certificate": p.certificate_number} for p in presences
            ],
            "party": party.pk if party is not None else None,
            "gps": bool(position),
            "non_site": non_site,
        },
    )
    return activity


def record_activity_from_request(
    actor: User | Actor,
    *,
    case: Case | None,
    type_code: str,
    officer_usernames: Sequence[str],
    party_id: int | None = None,
    **fields: Any,
) -> Activity:
    """:func:`record_activity` from codes, usernames and ids (API, mobile terminals)."""
    kind = ActivityType.objects.filter(code=type_code).first()
    if kind is None:
        raise ValidationError({"type": [_("Unknown activity type.")]})
    names = list(dict.fromkeys(officer_usernames))
    # Officers the actor may see, and the case's own (R21.2: no probing of accounts).
    reach = Q(pk__in=access.visible(actor, User.objects.all()).values("pk"))
    if case is not None:
        reach |= Q(assigned_cases=case)
    found = {
        officer.username: officer
        for officer in User.objects.filter(reach, username__in=names, is_active=True).distinct()
    }
    unknown = [name for name in names if name not in found]
    if unknown:
        raise ValidationError(
            {"officers": [_("Unknown officer: %(name)s") % {"name": name} for name in unknown]}
        )
    party = None
    if party_id is not None:
        party = access.visible(actor, Subject.objects.all()).filter(pk=party_id).first()
        if party is None:
            raise ValidationError({"party_id": [_("Unknown party.")]})
    return record_activity(
        actor,
        case=case,
        type=kind,
        officers=[found[name] for name in names],
        party=party,
        **fields,
    )


def _seizure_not_approved(case: Case | None) -> dict[str, list[str]]:
    """行政强制法 Art. 18(一): a seizure is reported to the head and approved before it is
    carried out; Art. 19: in an emergency on the spot, the urgent start is recorded and the
    approval follows within hours. Refused where approval was refused (the measure is
    lifted)."""
    if case is None:
        return {"case": [_("A seizure or detention is recorded within its case.")]}
    if approvals.is_approved_or_started(case, SEIZURE):
        return {}
    return {
        "type": [
            _(
                "A seizure or detention needs the head's approval before it is carried out "
                "(Administrative Coercion Law, Art. 18): ask for it, or record an urgent "
                "start if it could not wait (Art. 19)."
            )
        ]
    }


def min_officers_on_site() -> int:
    """R4.2 (行政处罚法 Art. 42): how many certified officers an on-site act needs."""
    return int(rules.value("min_officers_on_site"))


def _require_certified(officers: list[User], day: dt.date, kind: ActivityType) -> None:
    certified, uncertified = certified_officers(officers, day)
    minimum = min_officers_on_site()
    if len(certified) >= minimum:
        return
    message = _(
        "%(activity)s needs at least %(min)d officers holding enforcement certificates valid "
        "on the day (Administrative Penalty Law Art. 42; Agriculture Penalty Procedure "
        "Provisions Art. 6); %(count)d such officer(s) named."
    ) % {"activity": kind.name, "min": minimum, "count": len(certified)}
    if uncertified:
        message += " " + _("No valid certificate on %(date)s: %(names)s.") % {
            "date": day.isoformat(),
            "names": "、".join(officer.display_name for officer in uncertified),
        }
    raise ValidationError({"officers": [message]}, code="certificates")


def request_av_exemption(
    actor: User, activity: Activity, *, reason: str, request: HttpRequest | None = None
) -> AvExemption:
    """R5.2: ask that an activity go without AV, giving the written reason.

    The approval chain decides (step ``av_exemption``, the unit head by default) through
    :func:`liuhen.cases.actions.approvals.decide`; after a rejection the officer may ask again.
    """
    access.require(actor, AvExemptionPerms.REQUEST, activity, request=request)
    refuse_if_archived(actor, activity.case, "activities.request_av_exemption", request=request)
    reason = reason.strip()
    if not activity.type.needs_av:
        raise ValidationError(_("This activity does not need an AV record."), code="not_needed")
    if linked_av_count(activity) > 0:
        raise ValidationError(_("This activity has an AV record linked."), code="has_av")
    if len(reason) < MIN_EXEMPTION_REASON:
        raise ValidationError(
            {
                "reason": [
                    _("Write the reason (at least %(n)d characters).") % {"n": MIN_EXEMPTION_REASON}
                ]
            }
        )
    with transaction.atomic(durable=True):
        # Lock the activity: two requests for it at once must not both pass the check.
        Activity.objects.select_for_update().filter(pk=activity.pk).first()
        earlier = AvExemption.objects.filter(activity=activity).select_related("approval")
        if any(exemption.approved for exemption in earlier):
            raise ValidationError(
                _("The exemption of this activity is approved already."), code="approved"
            )
        if any(not exemption.rejected for exemption in earlier):
            raise ValidationError(
                _("An exemption for this activity is awaiting approval already."),
                code="duplicate",
            )
        approval_request = approval_actions.request_approval_about(
            actor, activity.case, "av_exemption", note=reason, about=activity, request=request
        )
        exemption = AvExemption.objects.create(
            activity=activity,
            reason=reason,
            requested_by=actor,
            requested_at=approval_request.requested_at,
            approval=approval_request,
        )
        audit.record(
            AvExemptionEvents.REQUEST,
            actor=actor,
            request=request,
            obj=exemption,
            details={
                "activity": activity.pk,
                "reason": reason,
                "approval": approval_request.pk,
            },
        )
    return exemption


def view_activity(
    actor: User | Actor, activity: Activity, *, request: HttpRequest | None = None
) -> None:
    """Open an activity page: allowed and recorded, or an audited denial (R21.2)."""
    access.require(actor, ActivityPerms.VIEW, activity, request=request)
    with transaction.atomic(durable=True):
        audit.record(ActivityEvents.VIEW, actor=actor, request=request, obj=activity)


# R5.2: the unit head approves an exemption from AV recording; the activity's AV status
# reads the approval (``Activity.av_exemption``), so approving carries nothing out.
APPROVAL_STEPS = (
    approvals.ApprovalStep(
        "av_exemption",
        gettext_lazy("Exemption from AV recording (免于音像记录)"),
        needs_handler=False,
        default_chain=("unit_head",),
    ),
)
