"""Statistics of enforcement records (R22.1): daily figures refreshed by the scheduler, the
dashboard at /statistics/, its exports, and the annual report and figures."""

from __future__ import annotations

from liuhen.supervision.statistics.annual import annual_figures

__all__ = ["annual_figures"]
