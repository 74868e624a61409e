"""The rules of supervision the bureau configures, with their citations (R5, R14.1, R22,
R23): the regulation gives few figures, so most are the bureau's own, confirmed by the
legal staff.

Registered by ``SupervisionConfig.ready()``; code reads them with ``rules.value``.
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

RULES: list[Rule] = []

# --- complaint replay (R22.4) ---------------------------------------------------------

RULES += [
    Rule(
        key="complaint_footage_margin_minutes",
        label=_("Margin around the time a complaint names"),
        description=_(
            "Footage is suggested for a complaint when it was captured within the time the "
            "complaint names, widened by this many minutes on each side."
        ),
        # A complainant remembers the time roughly: the bureau's own choice of margin.
        kind=Kind.MINUTES,
        default=30,
        minimum=0,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "22"),),
    ),
]

# --- case-file review 案卷评查 (R22.2) --------------------------------------------------

RULES += [
    Rule(
        key="case_review_excellent_score",
        label=_("Lowest score of an excellent case file"),
        description=_(
            "A reviewed case file with at least this score (of 100) and no veto item failed "
            "is graded excellent."
        ),
        kind=Kind.PERCENT,
        default=90,
        minimum=0,
        maximum=100,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "22"), Citation(Law.AGRICULTURE)),
    ),
    Rule(
        key="case_review_pass_score",
        label=_("Lowest score of a passing case file"),
        description=_(
            "A reviewed case file below this score (of 100), or with a veto item failed, fails."
        ),
        kind=Kind.PERCENT,
        default=75,
        minimum=0,
        maximum=100,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "22"), Citation(Law.AGRICULTURE)),
    ),
]

# --- AV coverage (R5, R14.1) ----------------------------------------------------------

RULES += [
    Rule(
        key="av_gap_threshold_minutes",
        label=_("Longest break in the AV recording of an activity"),
        description=_(
            "An activity is recorded without interruption: a stretch of its time longer than "
            "this that no linked recording covers is shown as a gap in its AV coverage."
        ),
        # Art. 14 (一) forbids not recording the whole process; how long a break passes as
        # switching the recorder over is the bureau's own control.
        kind=Kind.MINUTES,
        default=1,
        minimum=0,
        serves=Serves.INTERNAL,
        needs_check=True,
        citations=(Citation(Law.REGULATION, "14(1)"), Citation(Law.REGULATION, "13")),
    ),
]

# --- rectification, findings run and focused guidance (R22.5, R23) --------------------

RULES += [
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
]
