"""The one door of 事后公示 (R12.1): publishing a decision with personal data masked, and
withdrawing or correcting a publication when the decision is revoked, changed or
confirmed illegal (行政处罚法 Art. 48). Every row is write-once; a withdrawal or
correction is a new row pointing to the one it replaces, and stays public."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.cases.models import Decision
from liuhen.core import access, audit, calendar
from liuhen.core.confidentiality import Confidentiality
from liuhen.disclosure.clocks import WITHDRAWAL_PERIOD
from liuhen.disclosure.drafts import Draft, draft_for
from liuhen.disclosure.events import DisclosureEvents
from liuhen.disclosure.models import ChangeGround, Publication, PublicationKind
from liuhen.disclosure.perms import DisclosurePerms

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User

# R18.5: a state or trade secret is never published; a privacy case is, masked.
NEVER_PUBLISHED = (Confidentiality.STATE_SECRET, Confidentiality.TRADE_SECRET)
REASON_MAX = 2000
PENALTY_MAX = 300
_COPIED = (
    "category",
    "decision_number",
    "decided_on",
    "title",
    "party_kind",
    "party",
    "party_identifier",
    "facts",
    "basis",
    "penalty",
    "fine_fen",
    "unit_name",
    "bureau_name",
)


def preview(actor: User, decision: Decision, *, request: HttpRequest | None = None) -> Draft:
    """What publishing ``decision`` would show, for the approver (nothing is written)."""
    access.require(actor, DisclosurePerms.PUBLISH, decision, request=request)
    return draft_for(decision)


def publish_decision(
    actor: User, decision: Decision, *, request: HttpRequest | None = None
) -> Publication:
    """Publish ``decision`` as its draft reads (masked); once per decision."""
    access.require(actor, DisclosurePerms.PUBLISH, decision, request=request)
    if decision.case.confidentiality in NEVER_PUBLISHED:
        raise ValidationError(
            _("A decision of a case classified as a state or trade secret is not published."),
            code="classified",
        )
    draft = draft_for(decision)
    if not draft.party:
        raise ValidationError(
            _("The case has no party on record: link the party before publishing."),
            code="no_party",
        )
    with transaction.atomic(durable=True):
        if Publication.objects.filter(decision=decision, kind=PublicationKind.DECISION).exists():
            raise ValidationError(_("This decision is published already."), code="duplicate")
        publication = Publication.objects.create(
            kind=PublicationKind.DECISION,
            case=decision.case,
            decision=decision,
            due=draft.due,
            published_by=actor,
            **{name: getattr(draft, name) for name in _COPIED},
        )
        audit.record(
            DisclosureEvents.PUBLISH,
            actor=actor,
            request=request,
            obj=publication,
            case_id=decision.case_id,
            details={
                "decision": decision.number,
                "due": draft.due.isoformat(),
                "late": timezone.localdate() > draft.due,
            },
        )
    return publication


def live(publication: Publication) -> bool:
    """Not yet withdrawn nor replaced by a correction."""
    return publication.kind != PublicationKind.WITHDRAWAL and not publication.replaced_by.exists()


def _check_change(
    publication: Publication, ground: str, ground_on: dt.date | None, reason: str
) -> tuple[dt.date, str]:
    if not live(publication):
        raise ValidationError(
            _("This publication was withdrawn or corrected already."), code="replaced"
        )
    if ground not in ChangeGround.values:
        raise ValidationError({"ground": [_("Choose why: revoked, changed or confirmed illegal.")]})
    if ground_on is None or ground_on > timezone.localdate():
        raise ValidationError(
            {"ground_on": [_("Enter the date of the ground, not later than today.")]}
        )
    if ground_on < publication.decided_on:
        raise ValidationError({"ground_on": [_("The ground cannot be before the decision.")]})
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationError({"reason": [_("State the reason (up to 2000 characters).")]})
    return ground_on, reason


def _replace(
    actor: User,
    publication: Publication,
    kind: str,
    ground: str,
    ground_on: dt.date,
    reason: str,
    **changed: str,
) -> Publication:
    values = {name: getattr(publication, name) for name in _COPIED}
    values.update(changed)
    return Publication.objects.create(
        kind=kind,
        case_id=publication.case_id,
        decision_id=publication.decision_id,
        replaces=publication,
        ground=ground,
        ground_on=ground_on,
        reason=reason,
        due=calendar.deadline(ground_on, WITHDRAWAL_PERIOD).due,
        published_by=actor,
        **values,
    )


def withdraw_publication(
    actor: User,
    publication: Publication,
    *,
    ground: str,
    ground_on: dt.date | None,
    reason: str,
    request: HttpRequest | None = None,
) -> Publication:
    """The notice of withdrawal: a new public row; the decision's row is no longer listed
    as in force."""
    access.require(actor, DisclosurePerms.WITHDRAW, publication, request=request)
    day, reason = _check_change(publication, ground, ground_on, reason)
    with transaction.atomic(durable=True):
        Publication.objects.select_for_update().filter(pk=publication.pk).first()
        if publication.replaced_by.exists():
            raise ValidationError(_("This publication was withdrawn or corrected already."))
        notice = _replace(actor, publication, PublicationKind.WITHDRAWAL, ground, day, reason)
        audit.record(
            DisclosureEvents.WITHDRAW,
            actor=actor,
            request=request,
            obj=notice,
            case_id=publication.case_id,
            details={"replaces": publication.pk, "ground": ground, "due": notice.due.isoformat()},
        )
    return notice


def correct_publication(
    actor: User,
    publication: Publication,
    *,
    ground: str,
    ground_on: dt.date | None,
    reason: str,
    penalty: str,
    request: HttpRequest | None = None,
) -> Publication:
    """A changed decision: the publication again with the penalty as changed."""
    access.require(actor, DisclosurePerms.WITHDRAW, publication, request=request)
    day, reason = _check_change(publication, ground, ground_on, reason)
    penalty = penalty.strip()
    if not penalty or len(penalty) > PENALTY_MAX:
        raise ValidationError({"penalty": [_("State the penalty as changed.")]})
    with transaction.atomic(durable=True):
        Publication.objects.select_for_update().filter(pk=publication.pk).first()
        if publication.replaced_by.exists():
            raise ValidationError(_("This publication was withdrawn or corrected already."))
        corrected = _replace(
            actor, publication, PublicationKind.CORRECTION, ground, day, reason, penalty=penalty
        )
        audit.record(
            DisclosureEvents.CORRECT,
            actor=actor,
            request=request,
            obj=corrected,
            case_id=publication.case_id,
            details={"replaces": publication.pk, "ground": ground},
        )
    return corrected
