"""Leads 线索: the check period and the limitation warnings of the filing decision.

Recording a lead and proposing its filing are actions (``cases.actions.filing``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from liuhen.accounts.models import User
from liuhen.cases.models import ApprovalRequest, ApprovalStatus, Lead
from liuhen.core import calendar, rules


def check_deadline(lead: Lead) -> calendar.Deadline:
    """The lead check period (15 days, +15 with approval — rules ``lead_check``)."""
    return calendar.deadline(
        timezone.localdate(lead.received_at), "lead_check", extended=lead.check_extended
    )


def limitation_warnings(violation_date: dt.date | None, today: dt.date | None = None) -> list[str]:
    """Art. 36: warn when the act is older than the limitation period (2 / 5 years)."""
    if violation_date is None:
        return []
    today = today or timezone.localdate()
    years = int(rules.value("limitation_years"))
    serious = int(rules.value("limitation_years_serious"))
    # Counted as the rules say: the limitation binds the agency, its last day never moves.
    if calendar.deadline(violation_date, "limitation_years").due >= today:
        return []
    if calendar.deadline(violation_date, "limitation_years_serious").due >= today:
        return [
            _(
                "The act of %(date)s is more than %(years)s years old: it is time-barred "
                "unless it endangered life, health or financial safety with harmful "
                "consequences (%(serious)s years; Administrative Penalty Law Art. 36)."
            )
            % {"date": violation_date.isoformat(), "years": years, "serious": serious}
        ]
    return [
        _(
            "The act of %(date)s is more than %(serious)s years old: it is time-barred "
            "(Administrative Penalty Law Art. 36)."
        )
        % {"date": violation_date.isoformat(), "serious": serious}
    ]


def pending_filing(lead: Lead) -> ApprovalRequest | None:
    return lead.approval_requests.filter(status=ApprovalStatus.PENDING).first()


def proposed_officers(lead: Lead) -> list[User]:
    """The officers a filing proposal names (R4.1): the case's officers once approved."""
    ids = list((lead.proposal or {}).get("officers", []))
    found = {user.pk: user for user in User.objects.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]
