"""The legal rules supervision applies (R5, R14.1, R22.3): law as configuration, with
citations. Registered by ``SupervisionConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from liuhen.core.rule_types import Citation, Kind, Law, Rule, Serves

RULES: tuple[Rule, ...] = (
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
)
