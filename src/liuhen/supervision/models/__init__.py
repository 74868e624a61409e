"""The supervision tables, one module per area; each area's models are imported here."""

from liuhen.supervision.models.findings import ClosedBy, Finding, FindingClosure, Severity

__all__ = ["ClosedBy", "Finding", "FindingClosure", "Severity"]

from liuhen.supervision.models.complaints import (
    Complaint,
    ComplaintChannel,
    ComplaintFootage,
    ComplaintReplay,
    ReplayOutcome,
)
from liuhen.supervision.models.reviews import (
    CaseReview,
    CaseReviewMark,
    ReviewAssignment,
    ReviewGrade,
    ReviewPlan,
)

__all__ += [
    "CaseReview",
    "CaseReviewMark",
    "Complaint",
    "ComplaintChannel",
    "ComplaintFootage",
    "ComplaintReplay",
    "ReplayOutcome",
    "ReviewAssignment",
    "ReviewGrade",
    "ReviewPlan",
]
