"""Periods written on a form, checked against the law before it is issued.

行政强制法 Art. 25: a seizure or detention (查封（扣押）决定书) lasts at most the rule
``seizure_days`` (30 days); in a complex case it is extended once, with the head's approval
(the step ``seizure_extension``), by at most ``seizure_extension`` (30 days), and the
party is told in writing (延长查封（扣押）期限决定书). The start day is not counted (the
calendar's rule), so a seizure from 1 June may run to 1 July.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.cases import approvals
from liuhen.cases.models import Case
from liuhen.core import calendar, rules
from liuhen.documents.catalog.values import as_date
from liuhen.documents.models import IssuedDocument
from liuhen.documents.spec import FormSpec

SEIZURE_DECISION = "seizure_notice"
EXTENSION_DECISION = "seizure_extension_decision"
EXTENSION_STEP = "seizure_extension"
EXTENSION_RULE = "seizure_extension"


def check(
    case: Case,
    spec: FormSpec,
    cleaned: dict[str, str],
    *,
    supersedes: IssuedDocument | None = None,
) -> None:
    """Refuse a period longer than the law allows (a ValidationError on the field)."""
    if spec.code == SEIZURE_DECISION:
        _within(cleaned, "period_from", "period_to", "seizure_days")
    elif spec.code == EXTENSION_DECISION:
        _extension(case, cleaned, supersedes)


def _within(cleaned: dict[str, str], start_field: str, end_field: str, rule_key: str) -> None:
    start, end = as_date(cleaned.get(start_field, "")), as_date(cleaned.get(end_field, ""))
    if start is None or end is None:
        return  # a missing date is the required-field check's
    if end < start:
        raise ValidationError(
            {end_field: [_("The period cannot end before it starts.")]}, code="period_order"
        )
    _not_after(end, calendar.deadline(start, rule_key).due, end_field, rule_key)


def _not_after(end: dt.date, latest: dt.date, end_field: str, rule_key: str) -> None:
    if end <= latest:
        return
    rule = rules.get(rule_key)
    raise ValidationError(
        {
            end_field: [
                _(
                    "The period may last at most %(amount)s (%(citation)s): it ends on "
                    "%(latest)s at the latest."
                )
                % {
                    "amount": rule.display(rule.value),
                    "citation": rule.citation,
                    "latest": latest.isoformat(),
                }
            ]
        },
        code="period_too_long",
    )


def _extension(case: Case, cleaned: dict[str, str], supersedes: IssuedDocument | None) -> None:
    if not approvals.is_approved(case, EXTENSION_STEP):
        raise ValidationError(
            _(
                "The extension of the seizure or detention needs the head's approval first "
                "(Administrative Coercion Law, Art. 25)."
            ),
            code="not_approved",
        )
    issued = IssuedDocument.objects.filter(
        case=case, form_code=EXTENSION_DECISION, superseded_by__isnull=True
    )
    if supersedes is not None:
        issued = issued.exclude(pk=supersedes.pk)
    if issued.exists():
        raise ValidationError(
            _(
                "A seizure or detention is extended only once (Administrative Coercion Law, "
                "Art. 25): this case has its extension decision already."
            ),
            code="extended_once",
        )
    original, extended = (
        as_date(cleaned.get("original_period_to", "")),
        as_date(cleaned.get("extended_to", "")),
    )
    if original is None or extended is None:
        return
    if extended <= original:
        raise ValidationError(
            {"extended_to": [_("The extended period must end after the original one.")]},
            code="period_order",
        )
    latest = calendar.add_days(original, int(rules.value(EXTENSION_RULE)), roll_forward=False)
    _not_after(extended, latest, "extended_to", EXTENSION_RULE)
