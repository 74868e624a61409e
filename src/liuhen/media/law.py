"""The legal rules of the AV records (R2.1, R18.4).

Law is configuration with citations: the only place a legal number of this app is
written; code asks ``rules.value(key)``. Registered by the app's ``ready()``; the
defaults and citations are listed in docs/rules.md.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule

RULES: tuple[Rule, ...] = (
    Rule(
        key="av_raw_retention",
        label=_("Retention of raw AV material"),
        description=_(
            "Raw AV is kept at least this long; AV used as evidence is kept with its case file."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=180,
        minimum=180,
        roll_forward=False,
        citations=(Citation(Law.REGULATION, "18"),),
    ),
)
