"""The supervision tables, one module per area; each area's models are imported here."""

from liuhen.supervision.models.findings import ClosedBy, Finding, FindingClosure, Severity

__all__ = ["ClosedBy", "Finding", "FindingClosure", "Severity"]

from liuhen.supervision.models.statistics import DailyFigure, FiguresRefresh, Metric

__all__ += ["DailyFigure", "FiguresRefresh", "Metric"]
