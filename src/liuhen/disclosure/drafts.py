"""What a decision reads as when published (R12.1): the approver's preview and the
publication are the same draft, personal data masked by the configured rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

from liuhen.cases.models import Case, Decision, PenaltyKind
from liuhen.core import calendar, rules
from liuhen.disclosure import masking
from liuhen.disclosure.models import Category, PartyKind
from liuhen.subjects.models import PartyRole, Subject, SubjectKind


@dataclasses.dataclass(frozen=True)
class Draft:
    """The fields of a publication, as the public will read them."""

    category: str
    decision_number: str
    decided_on: dt.date
    title: str
    party_kind: str
    party: str
    party_identifier: str
    facts: str
    basis: str
    penalty: str
    fine_fen: int
    unit_name: str
    bureau_name: str
    due: dt.date
    # What was masked, for the approver: the text before and after.
    original_party: str = ""
    original_facts: str = ""


def decision_of(case: Case) -> Decision | None:
    try:
        return case.decision
    except ObjectDoesNotExist:
        return None


def category_of(decision: Decision) -> str:
    """A decision imposing a penalty takes the 7-day period, any other the 20-day one."""
    return Category.PENALTY if decision.penalty_kinds else Category.OTHER


PENALTY_PERIOD = "disclosure_penalty_decision"
OTHER_PERIOD = "disclosure_other_decision"
MASKED_FIELDS = "disclosure_masked_fields"


def period_rule(category: str) -> str:
    return PENALTY_PERIOD if category == Category.PENALTY else OTHER_PERIOD


def decided_on(decision: Decision) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(decision.decided_at).date()


def publication_due(decision: Decision) -> dt.date:
    return calendar.deadline(decided_on(decision), period_rule(category_of(decision))).due


def _parties(case: Case) -> list[Subject]:
    links = case.parties.filter(role=PartyRole.PARTY).select_related("subject")
    return [link.subject for link in links]


def _penalty(decision: Decision) -> str:
    labels = [str(PenaltyKind(kind).label) for kind in decision.penalty_kinds]
    if decision.fine_fen:
        yuan = f"{decision.fine_fen / 100:,.2f}"
        labels = [
            _("Fine of %(yuan)s yuan") % {"yuan": yuan} if kind == PenaltyKind.FINE else label
            for kind, label in zip(decision.penalty_kinds, labels, strict=True)
        ]
    return "；".join(labels) or _("No penalty")


def draft_for(decision: Decision) -> Draft:
    case = decision.case
    fields = tuple(rules.value(MASKED_FIELDS))
    parties = _parties(case)
    persons = [s for s in parties if s.kind == SubjectKind.PERSON]
    names = [s.name for s in persons]
    addresses = [s.address for s in persons]
    first = parties[0] if parties else None
    is_person = first is not None and first.kind == SubjectKind.PERSON
    shown = []
    for subject in parties:
        if subject.kind == SubjectKind.PERSON and "person_name" in fields:
            shown.append(masking.mask_name(subject.name))
        else:
            shown.append(subject.name)
    if first is None:
        identifier = ""
    elif is_person:
        identifier = first.resident_id_masked() if "resident_id" in fields else first.resident_id()
    else:
        identifier = first.uscc

    def mask(text: str) -> str:
        return masking.mask_text(text, names=names, addresses=addresses, fields=fields)

    category = category_of(decision)
    title = (
        _("Administrative penalty decision")
        if category == Category.PENALTY
        else _("Administrative enforcement decision")
    )
    return Draft(
        category=category,
        decision_number=decision.number,
        decided_on=decided_on(decision),
        title=title,
        party_kind=PartyKind.PERSON if is_person else PartyKind.ORGANISATION,
        party="、".join(shown),
        party_identifier=identifier,
        facts=mask(decision.facts),
        basis=mask(decision.basis),
        penalty=_penalty(decision),
        fine_fen=decision.fine_fen,
        unit_name=case.unit.name,
        bureau_name=case.unit.bureau.name,
        due=publication_due(decision),
        original_party="、".join(s.name for s in parties),
        original_facts=decision.facts,
    )
