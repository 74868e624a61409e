"""The supervisor's pages (R22.1–R23.2) over many cases, events and recordings.

Generates ``LIUHEN_BENCH_CASES`` cases (default 100,000), ``LIUHEN_BENCH_EVENTS`` audit
events (default 1,000,000) and ``LIUHEN_BENCH_RECORDINGS`` AV records (default 200,000),
each multiplied by ``LIUHEN_BENCH_SCALE`` (default 1; 0.1 for a quick run), counts the daily
figures once as the scheduler does, then measures the dashboard through Django's test client
as the supervisor (every unit), for a unit and for an officer, and its XLSX export. Then it
raises the daily findings over that data as the scheduler does (target < 60 s), orders the
rectification of some of them, records complaints, draws a quarterly spot check, and measures
the supervisor's home and each ledger (findings, rectification, spot checks, complaints,
案卷评查, coverage, 督办, accountability), unfiltered and with their filters.
Target: p95 < 300 ms. Same-run references: the case register's first page, and the raw
GROUP BY over the cases that the daily figures spare the page.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from typing import Any

from bench.harness import timer

NAME = "supervision"
DESCRIPTION = "supervision dashboard and ledgers (p50/p95 ms) over many cases and recordings"

REPEAT = int(os.environ.get("LIUHEN_BENCH_REPEAT", "40"))
TARGET_MS = 300.0
RAISE_TARGET_S = 60.0
BATCH = 5000


def _scaled(name: str, default: int) -> int:
    scale = float(os.environ.get("LIUHEN_BENCH_SCALE", "1"))
    return max(1, int(int(os.environ.get(name, str(default))) * scale))


def _counts() -> tuple[int, int, int]:
    return (
        _scaled("LIUHEN_BENCH_CASES", 100_000),
        _scaled("LIUHEN_BENCH_EVENTS", 1_000_000),
        _scaled("LIUHEN_BENCH_RECORDINGS", 200_000),
    )


def _supervisor() -> Any:
    from liuhen.accounts.models import Role, RoleGrant, User

    user, created = User.objects.get_or_create(
        username="bench_supervisor", defaults={"full_name": "郑磊"}
    )
    if created:
        RoleGrant.objects.create(user=user, role=Role.SUPERVISOR)
    return user


def _make_recordings(count: int, units: list[Any], officers: list[Any]) -> None:
    """``count`` AV records over four years, uploaded a few hours to a week after capture."""
    from django.db import transaction
    from django.utils import timezone

    from liuhen.core.models import Blob
    from liuhen.media.models import AvRecord

    blob, _ = Blob.objects.get_or_create(
        sha256="0" * 64, defaults={"sm3": "0" * 64, "size": 0, "backend": "bench"}
    )
    now = timezone.now()
    start = now - dt.timedelta(days=4 * 365)
    step = (now - start) / count
    rng = random.Random(3)
    for first in range(0, count, BATCH):
        batch = []
        for i in range(first, min(first + BATCH, count)):
            officer = officers[i % len(officers)]
            captured = start + step * i
            batch.append(
                AvRecord(
                    blob=blob,
                    kind="video",
                    source="recorder",
                    original_name=f"DSJ_{i:07d}.mp4",
                    unit_id=officer.unit_id,
                    officer=officer,
                    captured_at=captured,
                    uploaded_at=captured + dt.timedelta(hours=rng.choice((2, 20, 50, 170))),
                )
            )
        with transaction.atomic():
            AvRecord.objects.bulk_create(batch)


def _measure(client: Any, label: str, urls: list[str], **row: Any) -> dict[str, Any]:
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return _row(label, times, **row)


def _row(label: str, times: list[float], *, target: bool = True) -> dict[str, Any]:
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return {
        "measurement": label,
        "requests": len(times),
        "p50_ms": times[len(times) // 2],
        "p95_ms": p95,
        "target_ms": TARGET_MS if target else "",
        "ok": ("yes" if p95 < TARGET_MS else "NO") if target else "reference",
    }


def _raw_group_by() -> list[float]:
    """The reference: counting the cases by stage, procedure and field on the raw table."""
    from django.db.models import Count

    from liuhen.cases.models import Case

    times = []
    for _ in range(max(REPEAT // 4, 3)):
        start = time.perf_counter()
        for field in ("stage", "procedure", "field"):
            list(Case.objects.values("unit_id", field).annotate(n=Count("id")).order_by())
        times.append((time.perf_counter() - start) * 1000)
    return times


def _make_orders(supervisor: Any, findings: list[Any], officers: list[Any]) -> None:
    """Rectification orders for one finding in ten: a third reported, a third of those
    verified, so that every state of the ledger's filter has rows."""
    from django.db import transaction
    from django.utils import timezone

    from liuhen.supervision.models import (
        RectificationOrder,
        RectificationReport,
        RectificationVerification,
        Verdict,
    )

    by_unit: dict[int, Any] = {}
    for officer in officers:
        by_unit.setdefault(officer.unit_id, officer)
    now = timezone.now()
    chosen = [f for f in findings[::10] if f.unit_id in by_unit]
    for first in range(0, len(chosen), BATCH):
        part = chosen[first : first + BATCH]
        with transaction.atomic():
            orders = RectificationOrder.objects.bulk_create(
                RectificationOrder(
                    unit_id=f.unit_id,
                    responsible=by_unit[f.unit_id],
                    requirement=f.summary,
                    deadline=(now + dt.timedelta(days=(i % 60) - 30)).date(),
                    ordered_by=supervisor,
                    ordered_at=now - dt.timedelta(days=i % 60, minutes=i),
                )
                for i, f in enumerate(part, start=first)
            )
            links = RectificationOrder.findings.through
            links.objects.bulk_create(
                links(rectificationorder_id=o.pk, finding_id=f.pk)
                for o, f in zip(orders, part, strict=True)
            )
            reported = orders[::3]
            RectificationReport.objects.bulk_create(
                RectificationReport(
                    order=o,
                    text="已整改",
                    submitted_by=o.responsible,
                    submitted_at=o.ordered_at + dt.timedelta(days=2),
                )
                for o in reported
            )
            RectificationVerification.objects.bulk_create(
                RectificationVerification(
                    order=o,
                    verdict=Verdict.ACCEPTED,
                    note="核查属实",
                    verified_by=supervisor,
                    verified_at=o.ordered_at + dt.timedelta(days=3),
                )
                for o in reported[::3]
            )


def _make_complaints(count: int, supervisor: Any, officers: list[Any]) -> None:
    from django.db import transaction
    from django.utils import timezone

    from liuhen.supervision.models import Complaint, ComplaintChannel

    now = timezone.now()
    for first in range(0, count, BATCH):
        batch = []
        for i in range(first, min(first + BATCH, count)):
            officer = officers[i % len(officers)]
            at = now - dt.timedelta(hours=7 * i)
            batch.append(
                Complaint(
                    channel=ComplaintChannel.values[i % len(ComplaintChannel.values)],
                    complainant=f"投诉人{i}",
                    received_at=at,
                    occurred_from=at - dt.timedelta(days=1),
                    occurred_to=at - dt.timedelta(days=1) + dt.timedelta(hours=1),
                    place="某镇农资店",
                    unit_id=officer.unit_id,
                    summary="执法人员态度问题",
                    recorded_by=supervisor,
                )
            )
        with transaction.atomic():
            made = Complaint.objects.bulk_create(batch)
            links = Complaint.officers.through
            links.objects.bulk_create(
                links(complaint_id=c.pk, user_id=officers[(first + k) % len(officers)].pk)
                for k, c in enumerate(made)
            )


def _make_spot_check(supervisor: Any, units: list[Any]) -> None:
    from django.utils import timezone

    from liuhen.supervision.actions import spot_checks
    from liuhen.supervision.models import SpotCheckPlan

    if SpotCheckPlan.objects.exists():
        return
    today = timezone.localdate()
    plan = spot_checks.create_plan(
        supervisor,
        title="季度抽查",
        period="quarterly",
        period_start=spot_checks.period_start_of("quarterly", today),
        units=units,
        sample_percent=10,
    )
    spot_checks.draw_sample(supervisor, plan)


def _ledgers(units: list[Any]) -> list[tuple[str, list[str]]]:
    from liuhen.supervision.models import OrderState

    rng = random.Random(5)

    def unit() -> int:
        return int(rng.choice(units).pk)

    return [
        ("supervision home", ["/supervision/"]),
        ("findings register, page 1", ["/supervision/findings/"]),
        ("findings register, open, one unit", [f"/supervision/findings/?state=open&unit={unit()}"]),
        ("findings register, closed", ["/supervision/findings/?state=closed"]),
        ("findings register, page 50", ["/supervision/findings/?page=50"]),
        ("rectification ledger, page 1", ["/supervision/rectifications/"]),
        (
            "rectification ledger, awaiting verification",
            [f"/supervision/rectifications/?state={OrderState.AWAITING_VERIFICATION}"],
        ),
        (
            "rectification ledger, closed, one unit",
            [f"/supervision/rectifications/?state={OrderState.CLOSED}&unit={unit()}"],
        ),
        ("spot checks and ledger", ["/supervision/spot-checks/"]),
        ("complaint ledger, page 1", ["/supervision/complaints/"]),
        ("complaint ledger, not replayed", ["/supervision/complaints/?outcome=pending"]),
        ("case-file review 评查", ["/supervision/reviews/"]),
        ("AV coverage", ["/supervision/coverage/"]),
        ("guidance 督办", ["/supervision/guidance/"]),
        ("accountability ledger", ["/supervision/accountability/"]),
    ]


def _raise_findings() -> tuple[float, int]:
    """The daily run as the scheduler starts it (a second run on the same day checks the
    same cases and raises nothing new, in about the same time)."""
    from liuhen.supervision.actions.catalogue import raise_daily_findings

    with timer() as took:
        raised = sum(raise_daily_findings().values())
    return took["seconds"], raised


def run() -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bench import bench_case_list
    from liuhen.cases.models import Case
    from liuhen.core import audit
    from liuhen.core.models import AuditEvent
    from liuhen.media.models import AvRecord
    from liuhen.supervision.actions.statistics import refresh_figures
    from liuhen.supervision.models import DailyFigure

    want_cases, want_events, want_recordings = _counts()
    # The case bench spreads its cases over four years by this count.
    os.environ["LIUHEN_BENCH_CASES"] = str(want_cases)
    _head, units, officers = bench_case_list._people()
    supervisor = _supervisor()
    with timer() as made:
        have = Case.objects.count()
        if have < want_cases:
            bench_case_list._make_cases(want_cases - have, units, officers)
        have = AvRecord.objects.count()
        if have < want_recordings:
            _make_recordings(want_recordings - have, units, officers)
        have = AuditEvent.objects.count()
        if have < want_events:
            case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
            bench_case_list._make_events(want_events - have, case_ids, officers)
    with timer() as counted:
        refresh_figures(audit.SYSTEM)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cases, events, recordings = (
        Case.objects.count(),
        AuditEvent.objects.count(),
        AvRecord.objects.count(),
    )
    figures = DailyFigure.objects.count()
    print(
        f"generated: {cases} cases, {events} events, {recordings} recordings in "
        f"{made['seconds']:.1f}s; {figures} daily figures counted in {counted['seconds']:.1f}s"
    )

    client = Client(HTTP_HOST="localhost")
    client.force_login(supervisor)
    client.get("/statistics/")  # warm-up
    today = timezone.localdate()
    four_years = f"from={today - dt.timedelta(days=4 * 365):%Y-%m-%d}&to={today:%Y-%m-%d}"
    rng = random.Random(4)
    measured = [
        _measure(client, "dashboard, this year, all units", ["/statistics/"] * REPEAT),
        _measure(
            client, "dashboard, four years, all units", [f"/statistics/?{four_years}"] * REPEAT
        ),
        _measure(
            client,
            "dashboard, four years, one unit",
            [f"/statistics/?{four_years}&unit={rng.choice(units).pk}" for _ in range(REPEAT)],
        ),
        _measure(
            client,
            "dashboard, four years, one officer",
            [f"/statistics/?{four_years}&officer={rng.choice(officers).pk}" for _ in range(REPEAT)],
        ),
        _measure(
            client,
            "XLSX export, four years",
            [f"/statistics/export.xlsx?{four_years}"] * max(REPEAT // 4, 3),
        ),
        _measure(client, "reference: case register, page 1", ["/cases/"] * REPEAT, target=False),
        _row("reference: raw GROUP BY over the cases", _raw_group_by(), target=False),
    ]

    from liuhen.supervision.models import Complaint, Finding, RectificationOrder

    raise_s, raised = _raise_findings()
    print(f"daily findings: {raised} raised in {raise_s:.1f}s")
    with timer() as ledger_data:
        if not RectificationOrder.objects.exists():
            findings = list(Finding.objects.order_by("pk").only("pk", "unit_id", "summary"))
            _make_orders(supervisor, findings, officers)
        have = Complaint.objects.count()
        if have < want_cases // 50:
            _make_complaints(want_cases // 50 - have, supervisor, officers)
        _make_spot_check(supervisor, units)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"ledgers: {Finding.objects.count()} findings, {RectificationOrder.objects.count()} "
        f"orders, {Complaint.objects.count()} complaints; made in {ledger_data['seconds']:.1f}s"
    )
    for label, urls in _ledgers(units):
        client.get(urls[0])  # warm-up
        measured.append(_measure(client, label, urls * REPEAT))
    measured.append(
        {
            "measurement": "raise the daily findings (seconds, not ms)",
            "requests": 1,
            "p50_ms": raise_s,
            "p95_ms": raise_s,
            "target_ms": RAISE_TARGET_S,
            "ok": "yes" if raise_s < RAISE_TARGET_S else "NO",
        }
    )
    return [
        {
            **row,
            "cases": cases,
            "events": events,
            "recordings": recordings,
            "refresh_s": round(counted["seconds"], 1),
            "database": connection.vendor,
        }
        for row in measured
    ]
