"""The supervision tables, one module per area; each area's models are imported here."""

from liuhen.supervision.models.findings import ClosedBy, Finding, FindingClosure, Severity

__all__ = ["ClosedBy", "Finding", "FindingClosure", "Severity"]

from liuhen.supervision.models.spot_checks import (
    Answer,
    PlanPeriod,
    SpotCheckItem,
    SpotCheckPlan,
    SpotCheckReview,
    SpotCheckSample,
)

__all__ += [
    "Answer",
    "PlanPeriod",
    "SpotCheckItem",
    "SpotCheckPlan",
    "SpotCheckReview",
    "SpotCheckSample",
]
