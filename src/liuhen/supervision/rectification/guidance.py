"""Which units need focused guidance 重点指导督办 (制度第二十二条): weak practice of the
spot-check system, many complaints, or many open findings, each against its threshold in
``law.py``.

One function per metric, ``(since) -> {unit_id: value}``: the spot-check and complaint
figures count the findings those areas raise (their kinds are listed in
``SPOT_CHECK_KINDS`` and ``COMPLAINT_KINDS``), so an area with its own tables plugs in by
replacing its function in ``METRICS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuhen.core import rules
from liuhen.supervision.models import Finding, FindingClosure, GuidanceEntry, GuidanceFollowUp

# Kinds of finding raised by spot checks of recorders and footage, and by complaint replay.
SPOT_CHECK_KINDS: tuple[str, ...] = ("spot_check",)
COMPLAINT_KINDS: tuple[str, ...] = ("complaint",)


def _count_findings(
    since: dt.datetime, *, kinds: tuple[str, ...] | None, open_only: bool
) -> dict[int, int]:
    findings = Finding.objects.filter(raised_at__gte=since, unit__isnull=False)
    if kinds is not None:
        findings = findings.filter(kind__in=kinds)
    if open_only:
        findings = findings.exclude(pk__in=FindingClosure.objects.values("finding_id"))
    rows = findings.values("unit_id").annotate(n=Count("id"))
    return {row["unit_id"]: row["n"] for row in rows}


def open_findings(since: dt.datetime) -> dict[int, int]:
    return _count_findings(since, kinds=None, open_only=True)


def complaints(since: dt.datetime) -> dict[int, int]:
    return _count_findings(since, kinds=COMPLAINT_KINDS, open_only=False)


def spot_check_problems(since: dt.datetime) -> dict[int, int]:
    return _count_findings(since, kinds=SPOT_CHECK_KINDS, open_only=False)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    rule_key: str
    values: Callable[[dt.datetime], dict[int, int]]


METRICS: list[Metric] = [
    Metric(
        "spot_check_problems",
        gettext_lazy("Spot-check problems"),
        "guidance_spot_check_problems",
        spot_check_problems,
    ),
    Metric("complaints", gettext_lazy("Complaints"), "guidance_complaints", complaints),
    Metric("open_findings", gettext_lazy("Open findings"), "guidance_open_findings", open_findings),
]


@dataclass(frozen=True)
class Crossed:
    metric: Metric
    value: int
    threshold: int

    def describe(self) -> str:
        return _("%(metric)s: %(value)d (threshold %(threshold)d)") % {
            "metric": self.metric.label,
            "value": self.value,
            "threshold": self.threshold,
        }


def period_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=int(rules.value("guidance_period_days")))


def crossing() -> dict[int, list[Crossed]]:
    """Every unit that crosses at least one threshold, with what it crossed."""
    since = period_start()
    found: dict[int, list[Crossed]] = {}
    for metric in METRICS:
        threshold = int(rules.value(metric.rule_key))
        for unit_id, value in metric.values(since).items():
            if value >= threshold:
                found.setdefault(unit_id, []).append(Crossed(metric, value, threshold))
    return found


def crossed_for(unit: object) -> list[Crossed]:
    return crossing().get(getattr(unit, "pk", 0), [])


def active_entries() -> QuerySet[GuidanceEntry]:
    """Entries whose guidance is not concluded."""
    concluded = GuidanceFollowUp.objects.filter(concludes=True).values("entry_id")
    return GuidanceEntry.objects.exclude(pk__in=concluded)


def under_guidance(unit: object) -> bool:
    return active_entries().filter(unit_id=getattr(unit, "pk", 0)).exists()
