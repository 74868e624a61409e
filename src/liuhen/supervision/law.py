"""The rules of supervision's follow-up (制度第二十二条、第二十三条): the time a unit is given
to rectify, how far back closed cases are checked, and the thresholds that list a unit for
focused guidance 重点指导督办. The regulation gives no figures: they are the bureau's own,
confirmed by the legal staff. Registered by ``SupervisionConfig.ready()``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

RECTIFICATION_PERIOD = "rectification_period"
FINDINGS_LOOKBACK = "findings_closed_case_days"
GUIDANCE_PERIOD = "guidance_period_days"
GUIDANCE_OPEN_FINDINGS = "guidance_open_findings"
GUIDANCE_COMPLAINTS = "guidance_complaints"
GUIDANCE_SPOT_CHECK_PROBLEMS = "guidance_spot_check_problems"

RULES = (
    Rule(
        key=RECTIFICATION_PERIOD,
        label=_("Time given to rectify"),
        description=_(
            "The deadline a rectification order proposes; the supervisor may set another."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=30,
        minimum=1,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "23"),),
    ),
    Rule(
        key=FINDINGS_LOOKBACK,
        label=_("Closed cases checked for findings"),
        description=_(
            "The daily findings run checks open cases and cases closed within this period."
        ),
        kind=Kind.CALENDAR_DAYS,
        default=90,
        minimum=1,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "22"),),
    ),
    Rule(
        key=GUIDANCE_PERIOD,
        label=_("Period the guidance thresholds count"),
        description=_("Findings and complaints of this many days are counted per unit."),
        kind=Kind.CALENDAR_DAYS,
        default=90,
        minimum=1,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "22"),),
    ),
    Rule(
        key=GUIDANCE_OPEN_FINDINGS,
        label=_("Open findings that list a unit for focused guidance"),
        description=_(
            "A unit with at least this many open findings raised in the period is listed."
        ),
        kind=Kind.COUNT,
        default=10,
        minimum=1,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "22"),),
    ),
    Rule(
        key=GUIDANCE_COMPLAINTS,
        label=_("Complaints that list a unit for focused guidance"),
        description=_("A unit with at least this many complaints in the period is listed."),
        kind=Kind.COUNT,
        default=3,
        minimum=1,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "22"),),
    ),
    Rule(
        key=GUIDANCE_SPOT_CHECK_PROBLEMS,
        label=_("Spot-check problems that list a unit for focused guidance"),
        description=_(
            "A unit whose spot checks found at least this many problems in the period is "
            "listed (weak practice of the spot-check system)."
        ),
        kind=Kind.COUNT,
        default=5,
        minimum=1,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "22"),),
    ),
)
