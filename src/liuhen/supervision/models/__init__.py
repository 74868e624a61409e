"""The supervision tables, one module per area; each area's models are imported here."""

from liuhen.supervision.models.accountability import AccountabilityRecord
from liuhen.supervision.models.complaints import (
    Complaint,
    ComplaintChannel,
    ComplaintFootage,
    ComplaintReplay,
    ReplayOutcome,
)
from liuhen.supervision.models.findings import ClosedBy, Finding, FindingClosure, Severity
from liuhen.supervision.models.guidance import GuidanceEntry, GuidanceFollowUp, ListedBy
from liuhen.supervision.models.rectification import (
    OrderState,
    RectificationEvidence,
    RectificationOrder,
    RectificationReport,
    RectificationVerification,
    Verdict,
)
from liuhen.supervision.models.reviews import (
    CaseReview,
    CaseReviewMark,
    ReviewAssignment,
    ReviewGrade,
    ReviewPlan,
)
from liuhen.supervision.models.spot_checks import (
    Answer,
    PlanPeriod,
    SpotCheckItem,
    SpotCheckPlan,
    SpotCheckReview,
    SpotCheckSample,
)
from liuhen.supervision.models.statistics import DailyFigure, FiguresRefresh, Metric

__all__ = [
    "AccountabilityRecord",
    "Answer",
    "CaseReview",
    "CaseReviewMark",
    "ClosedBy",
    "Complaint",
    "ComplaintChannel",
    "ComplaintFootage",
    "ComplaintReplay",
    "DailyFigure",
    "FiguresRefresh",
    "Finding",
    "FindingClosure",
    "GuidanceEntry",
    "GuidanceFollowUp",
    "ListedBy",
    "Metric",
    "OrderState",
    "PlanPeriod",
    "RectificationEvidence",
    "RectificationOrder",
    "RectificationReport",
    "RectificationVerification",
    "ReplayOutcome",
    "ReviewAssignment",
    "ReviewGrade",
    "ReviewPlan",
    "Severity",
    "SpotCheckItem",
    "SpotCheckPlan",
    "SpotCheckReview",
    "SpotCheckSample",
    "Verdict",
]
