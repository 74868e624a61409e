"""What is said about an AV record after it came in (R16.1): links, labels, the mark.

The record itself never changes (R14.1). Each action here checks access, validates,
writes one write-once row and its audit event in one transaction:

- :func:`confirm_suggestion`: the officer (or the custodian) confirms a suggested
  activity (:func:`liuhen.media.links.suggestions`) → an ``AvLink`` of kind "suggested";
- :func:`link`: a link made by hand to an activity or a case, perhaps as evidence;
- :func:`file_as_evidence`: the same inside another action's transaction (a refusal to
  sign keeps the recordings of it with the case file, R9.2);
- :func:`withdraw_link`: a wrong link withdrawn, with the reason (``AvUnlink``);
- :func:`label`: the custodian's label 标注 (``AvLabel``; the latest counts);
- :func:`mark`: the important mark 重要标记 put on or taken off (``AvMark``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.activities.models import Activity
from liuhen.activities.perms import ActivityPerms
from liuhen.cases.actions.frozen import refuse_if_archived
from liuhen.cases.models import Case
from liuhen.cases.perms import CasePerms
from liuhen.core import access, audit
from liuhen.media import links
from liuhen.media.events import MediaEvents
from liuhen.media.models import (
    AvLabel,
    AvLink,
    AvMark,
    AvQuarantine,
    AvRecord,
    AvUnlink,
    LinkKind,
)
from liuhen.media.perms import MediaPerms

if TYPE_CHECKING:
    from django.http import HttpRequest

REASON_MAX = 300
LABEL_MAX = 300


def case_by_number(user: User, number: str) -> Case:
    """The case numbered ``number`` among those ``user`` may see (else as if none)."""
    number = _text(number, 60)
    case = (
        access.visible(user, Case.objects.all()).filter(number=number).first() if number else None
    )
    if case is None:
        raise ValidationError(
            {"case_number": [_("No case with this number that you may see was found.")]}
        )
    return case


def visible_activity(user: User, activity_id: Any) -> Activity:
    """The activity ``activity_id`` if ``user`` may see it (else as if none)."""
    try:
        pk = int(activity_id)
    except (TypeError, ValueError):
        pk = 0
    activity = (
        access.visible(user, Activity.objects.select_related("case", "type")).filter(pk=pk).first()
    )
    if activity is None:
        raise ValidationError({"activity": [_("Choose an activity you may see.")]})
    return activity


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _usable(record: AvRecord) -> None:
    """Neither quarantined (no recording, R5.2) nor disposed of (R18.4)."""
    if AvQuarantine.objects.filter(record=record).exists():
        raise ValidationError(
            {"record": [_("This file is no recording (it was quarantined); it cannot be used.")]}
        )
    try:
        record.disposal  # noqa: B018 - the reverse one-to-one raises when absent
    except ObjectDoesNotExist:
        return
    raise ValidationError({"record": [_("This AV record has been disposed of.")]})


def _locked(record: AvRecord) -> AvRecord:
    """The record's row locked for this transaction: two confirmations at once make one
    link. A lock, never an update (the row is write-once)."""
    return AvRecord.objects.select_for_update().get(pk=record.pk)


def _require_target(
    actor: User,
    activity: Activity | None,
    case: Case | None,
    *,
    request: HttpRequest | None,
) -> None:
    # Tying AV to an activity needs sight of it; filing it in a case needs the right to
    # change the case (R16.1, R21.2).
    if activity is not None:
        access.require(actor, ActivityPerms.VIEW, activity, request=request)
    if case is not None:
        access.require(actor, CasePerms.CHANGE, case, request=request)


def _case_of(case: Case | None, activity: Activity | None) -> Case | None:
    """The case a link ties the record to: its own, or its activity's."""
    if case is not None:
        return case
    return activity.case if activity is not None else None


def _archived_case_of(record: AvRecord) -> Case | None:
    """A case the record is linked to (directly or through an activity) that is archived:
    its AV is frozen with it (R18.1), label and mark included."""
    current = links.current_links().filter(record=record)
    linked = Q(pk__in=current.values("case_id")) | Q(pk__in=current.values("activity__case_id"))
    return Case.objects.filter(linked, archived_at__isnull=False).first()


def _already_linked(record: AvRecord, activity: Activity | None, case: Case | None) -> bool:
    current = links.current_links().filter(record=record)
    if activity is not None:
        return current.filter(activity=activity).exists()
    return current.filter(case=case, activity__isnull=True).exists()


def _create_link(
    actor: User,
    record: AvRecord,
    *,
    activity: Activity | None,
    case: Case | None,
    kind: str,
    evidence: bool,
    request: HttpRequest | None,
) -> AvLink:
    if _already_linked(record, activity, case):
        field = "activity" if activity is not None else "case"
        raise ValidationError({field: [_("The AV record is already linked to it.")]})
    link = AvLink.objects.create(
        record=record,
        activity=activity,
        case=case,
        kind=kind,
        evidence=evidence,
        linked_by=actor,
    )
    audit.record(
        MediaEvents.LINK,
        actor=actor,
        request=request,
        obj=record,
        case_id=_case_id(link),
        details=_link_details(link),
    )
    return link


def _case_id(link: AvLink) -> int | None:
    # The event shows on the timeline of the case the record now belongs to.
    if link.case_id is not None:
        return link.case_id
    return link.activity.case_id if link.activity is not None else None


def _link_details(link: AvLink) -> dict[str, Any]:
    return {
        "link": link.pk,
        "kind": link.kind,
        "activity": link.activity_id,
        "case": _case_id(link),
        "evidence": link.evidence,
    }


def confirm_suggestion(
    actor: User,
    record: AvRecord,
    activity: Activity,
    *,
    evidence: bool = False,
    request: HttpRequest | None = None,
) -> AvLink:
    """R16.1: the officer (or custodian) confirms that ``record`` belongs to ``activity``,
    one of its current suggestions."""
    access.require(actor, MediaPerms.LINK, record, request=request)
    refuse_if_archived(actor, activity.case, "media.confirm_suggestion", request=request)
    _require_target(actor, activity, None, request=request)
    with transaction.atomic(durable=True):
        record = _locked(record)
        _usable(record)
        suggested = {s.activity.pk for s in links.suggestions(record, user=actor)}
        if activity.pk not in suggested:
            raise ValidationError(
                {"activity": [_("This activity is not a suggestion for the AV record.")]}
            )
        return _create_link(
            actor,
            record,
            activity=activity,
            case=None,
            kind=LinkKind.SUGGESTED,
            evidence=evidence,
            request=request,
        )


def link(
    actor: User,
    record: AvRecord,
    *,
    activity: Activity | None = None,
    case: Case | None = None,
    evidence: bool = False,
    request: HttpRequest | None = None,
) -> AvLink:
    """Link ``record`` by hand to an activity or directly to a case (one of the two).

    ``evidence``: used as evidence in the case, so it is kept with the case file (R18.4).
    A record may belong to several activities and cases.
    """
    access.require(actor, MediaPerms.LINK, record, request=request)
    refuse_if_archived(actor, _case_of(case, activity), "media.link", request=request)
    if (activity is None) == (case is None):
        raise ValidationError(
            {"activity": [_("Choose either an activity or a case to link the AV record to.")]}
        )
    _require_target(actor, activity, case, request=request)
    with transaction.atomic(durable=True):
        return _link_by_hand(actor, record, activity, case, evidence=evidence, request=request)


def file_as_evidence(
    actor: User, record: AvRecord, case: Case, *, request: HttpRequest | None = None
) -> AvLink:
    """Link ``record`` to ``case`` as evidence, inside the calling action's transaction
    (documents' refusal to sign, R9.2: the recordings of it stay with the case file).
    Checked as :func:`link`; a refusal rolls the caller back."""
    access.require(actor, MediaPerms.LINK, record, request=request)
    refuse_if_archived(actor, case, "media.file_as_evidence", request=request)
    _require_target(actor, None, case, request=request)
    with transaction.atomic():
        return _link_by_hand(actor, record, None, case, evidence=True, request=request)


def _link_by_hand(
    actor: User,
    record: AvRecord,
    activity: Activity | None,
    case: Case | None,
    *,
    evidence: bool,
    request: HttpRequest | None,
) -> AvLink:
    record = _locked(record)
    _usable(record)
    return _create_link(
        actor,
        record,
        activity=activity,
        case=case,
        kind=LinkKind.MANUAL,
        evidence=evidence,
        request=request,
    )


def withdraw_link(
    actor: User, link: AvLink, *, reason: str, request: HttpRequest | None = None
) -> AvUnlink:
    """A wrong link is withdrawn with its reason; the link itself stays in the history.

    The same people who may make the link may withdraw it.
    """
    record = link.record
    access.require(actor, MediaPerms.LINK, record, request=request)
    refuse_if_archived(
        actor, _case_of(link.case, link.activity), "media.withdraw_link", request=request
    )
    _require_target(actor, link.activity, link.case, request=request)
    reason = _text(reason, REASON_MAX)
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for withdrawing the link.")]})
    with transaction.atomic(durable=True):
        _locked(record)
        if AvUnlink.objects.filter(link=link).exists():
            raise ValidationError({"link": [_("This link has already been withdrawn.")]})
        unlink = AvUnlink.objects.create(link=link, reason=reason, by=actor)
        audit.record(
            MediaEvents.UNLINK,
            actor=actor,
            request=request,
            obj=record,
            case_id=_case_id(link),
            details={**_link_details(link), "reason": reason},
        )
    return unlink


def label(
    actor: User, record: AvRecord, text: str, *, request: HttpRequest | None = None
) -> AvLabel:
    """R16.1: the custodian labels the record (what it shows); a new label supersedes."""
    access.require(actor, MediaPerms.LABEL, record, request=request)
    refuse_if_archived(actor, _archived_case_of(record), "media.label", request=request)
    text = _text(text, LABEL_MAX)
    if not text:
        raise ValidationError({"text": [_("Write the label.")]})
    with transaction.atomic(durable=True):
        record = _locked(record)
        _usable(record)
        current = links.current_label(record)
        if current is not None and current.text == text:
            raise ValidationError({"text": [_("The label is unchanged.")]})
        new = AvLabel.objects.create(record=record, text=text, by=actor)
        audit.record(
            MediaEvents.LABEL,
            actor=actor,
            request=request,
            obj=record,
            details={"label": new.pk, "text": text},
        )
    return new


def mark(
    actor: User,
    record: AvRecord,
    *,
    important: bool,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AvMark:
    """R16.1: mark the record important 重要, or take the mark off."""
    access.require(actor, MediaPerms.MARK, record, request=request)
    refuse_if_archived(actor, _archived_case_of(record), "media.mark", request=request)
    reason = _text(reason, REASON_MAX)
    with transaction.atomic(durable=True):
        record = _locked(record)
        _usable(record)
        if links.is_important(record) == important:
            message = (
                _("The AV record is already marked important.")
                if important
                else _("The AV record is not marked important.")
            )
            raise ValidationError({"important": [message]})
        new = AvMark.objects.create(record=record, important=important, reason=reason, by=actor)
        audit.record(
            MediaEvents.MARK,
            actor=actor,
            request=request,
            obj=record,
            details={"mark": new.pk, "important": important, "reason": reason},
        )
    return new
