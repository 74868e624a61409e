"""The supervision tables, one module per area; each area's models are imported here."""

from liuhen.supervision.models.findings import ClosedBy, Finding, FindingClosure, Severity

__all__ = ["ClosedBy", "Finding", "FindingClosure", "Severity"]
from liuhen.supervision.models.accountability import AccountabilityRecord
from liuhen.supervision.models.guidance import GuidanceEntry, GuidanceFollowUp, ListedBy
from liuhen.supervision.models.rectification import (
    OrderState,
    RectificationEvidence,
    RectificationOrder,
    RectificationReport,
    RectificationVerification,
    Verdict,
)

__all__ += [
    "AccountabilityRecord",
    "GuidanceEntry",
    "GuidanceFollowUp",
    "ListedBy",
    "OrderState",
    "RectificationEvidence",
    "RectificationOrder",
    "RectificationReport",
    "RectificationVerification",
    "Verdict",
]
