"""The rules of supervision the bureau configures, with their citations (R5, R14.1, R22).

Registered by ``SupervisionConfig.ready()``; code reads them with ``rules.value``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

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
