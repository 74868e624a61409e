"""The statistics dashboard (R22.1) over many cases, events and recordings.

Generates ``LIUHEN_BENCH_CASES`` cases (default 100,000), ``LIUHEN_BENCH_EVENTS`` audit
events (default 1,000,000) and ``LIUHEN_BENCH_RECORDINGS`` AV records (default 200,000),
each multiplied by ``LIUHEN_BENCH_SCALE`` (default 1; 0.1 for a quick run), counts the daily
figures once as the scheduler does, then measures the dashboard through Django's test client
as the supervisor (every unit), for a unit and for an officer, and its XLSX export.
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
DESCRIPTION = "statistics dashboard (p50/p95 ms) over daily figures of many cases and recordings"

REPEAT = int(os.environ.get("LIUHEN_BENCH_REPEAT", "40"))
TARGET_MS = 300.0
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
