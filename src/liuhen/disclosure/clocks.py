"""The clocks of 执法公示 (R12.1): a decision's publication (7 or 20 working days from the
decision), the withdrawal of a published decision (3 working days from its revocation,
change or confirmation of illegality), and a year's enforcement data (by 31 January).
The case clocks are registered in ``registry.deadline_providers``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from liuhen.cases.deadlines import Clock, Related, RelatedProvider, make_clock
from liuhen.cases.models import Case
from liuhen.disclosure.drafts import category_of, decision_of, period_rule
from liuhen.disclosure.models import AnnualData, Publication, PublicationKind

WITHDRAWAL_PERIOD = "disclosure_withdrawal"
ANNUAL_PERIOD = "disclosure_annual_data"


def publication_clock(case: Case) -> Clock | None:
    """None until the case has a decision."""
    decision = decision_of(case)
    if decision is None:
        return None
    first = (
        Publication.objects.filter(decision=decision, kind=PublicationKind.DECISION)
        .order_by("id")
        .values_list("published_at", flat=True)
        .first()
    )
    rule = period_rule(category_of(decision))
    return make_clock(case, "publication", rule, decision.decided_at, met=first)


def withdrawal_clocks(case: Case) -> list[Clock]:
    """One clock per withdrawal or correction on record, from the day of its ground."""
    rows = Publication.objects.filter(
        case=case, kind__in=(PublicationKind.WITHDRAWAL, PublicationKind.CORRECTION)
    ).order_by("id")
    found = []
    for row in rows:
        clock = make_clock(
            case,
            "withdrawal",
            WITHDRAWAL_PERIOD,
            row.ground_on,
            ref=f"publication:{row.replaces_id}",
            met=row.published_at,
        )
        if clock is not None:
            found.append(clock)
    return found


def annual_clock(year: int) -> Clock | None:
    """The clock of ``year``'s data: from the year's last day, by 31 January."""
    met = AnnualData.objects.filter(year=year).values_list("published_at", flat=True).first()
    return make_clock(
        None, "annual_data", ANNUAL_PERIOD, dt.date(year, 12, 31), ref=f"annual:{year}", met=met
    )


class PublicationDeadline(RelatedProvider):
    """The case's publication and withdrawal clocks, from its decision's publications (read
    once for a whole list of cases through :meth:`prefetch`)."""

    label = _("Publication")
    sources = (Related("decision", also=("publications",)),)

    def __call__(self, case: Case) -> Iterable[Clock | None]:
        decisions = self.sources[0].of(case)
        if not decisions:
            return []
        decision = decisions[0]
        rows = sorted(decision.publications.all(), key=lambda row: row.pk)
        first = next((r.published_at for r in rows if r.kind == PublicationKind.DECISION), None)
        rule = period_rule(category_of(decision))
        clocks: list[Clock | None] = [
            make_clock(case, "publication", rule, decision.decided_at, met=first)
        ]
        for row in rows:
            if row.kind in (PublicationKind.WITHDRAWAL, PublicationKind.CORRECTION):
                clocks.append(
                    make_clock(
                        case,
                        "withdrawal",
                        WITHDRAWAL_PERIOD,
                        row.ground_on,
                        ref=f"publication:{row.replaces_id}",
                        met=row.published_at,
                    )
                )
        return clocks


PROVIDERS = {"publication": PublicationDeadline()}
