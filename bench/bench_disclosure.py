"""The public disclosure pages with many publications (R12.1): the decision list (first
page, deep pages by key, filtered by kind), a publication's page, and the feed (JSON, CSV,
Atom; first page and deep pages by ``after``), anonymous, through Django's test client.

Generates ``LIUHEN_BENCH_PUBLICATIONS`` publications (default 100,000; bulk insert, one
decided case per 100 publications — the rows are copies, as published). Target: p95 <
100 ms. The reference, in the same run: the static procedures page, which reads nothing
from the database — what a page costs before any query.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from typing import Any

from bench.harness import timer

NAME = "disclosure"
DESCRIPTION = "public decision list and feed (p50/p95 ms) with many publications"

REPEAT = int(os.environ.get("LIUHEN_BENCH_REPEAT", "40"))
BATCH = 5000
TARGET_MS = 100.0
PER_CASE = 100
LIST = "/disclosure/decisions/"


def _count() -> int:
    return int(os.environ.get("LIUHEN_BENCH_PUBLICATIONS", "100000"))


def _case_number(index: int) -> str:
    return f"洼农（农药）立〔P{index // 10000}〕{index + 1}号"


def _base() -> tuple[Any, Any]:
    from liuhen.accounts.models import Bureau, Role, RoleGrant, Unit, User

    bureau, _ = Bureau.objects.get_or_create(
        name="大洼区农业农村局", defaults={"short_name": "洼农"}
    )
    unit, _ = Unit.objects.get_or_create(bureau=bureau, name="种植业执法科")
    reviewer, created = User.objects.get_or_create(
        username="bench_reviewer", defaults={"full_name": "孙丽", "unit": unit}
    )
    if created:
        RoleGrant.objects.create(user=reviewer, role=Role.LEGAL_REVIEWER)
    return unit, reviewer


def _make(count: int, unit: Any, reviewer: Any) -> None:
    from django.db import transaction
    from django.utils import timezone

    from liuhen.cases.models import Case, Decision
    from liuhen.disclosure.models import Publication

    now = timezone.now()
    start = now - dt.timedelta(days=4 * 365)
    step = (now - start) / max(count, 1)
    have = Publication.objects.count()
    for first in range(have, count, BATCH):
        last = min(first + BATCH, count)
        with transaction.atomic():
            cases = Case.objects.bulk_create(
                Case(
                    number=_case_number(i),
                    title=f"{i + 1}号农资店涉嫌销售假农药案",
                    unit=unit,
                    stage="service",
                )
                for i in range(first, last, PER_CASE)
            )
            if cases and cases[0].pk is None:
                numbers = [
                    f"洼农（农药）立〔P{i // 10000}〕{i + 1}号"
                    for i in range(first, last, PER_CASE)
                ]
                cases = list(Case.objects.filter(number__in=numbers).order_by("pk"))
            decisions = Decision.objects.bulk_create(
                Decision(
                    case=case,
                    number=f"洼农（农药）罚〔P〕{case.pk}号",
                    penalty_kinds=["warning", "fine"],
                    fine_fen=5000_00,
                    facts="销售未取得农药登记证的农药",
                    basis="《农药管理条例》第五十五条",
                    decided_by=reviewer,
                    decided_at=start + step * first,
                )
                for case in cases
            )
            if decisions and decisions[0].pk is None:
                decisions = list(Decision.objects.filter(case__in=cases).order_by("case_id"))
            rows = []
            for i in range(first, last):
                decision = decisions[(i - first) // PER_CASE]
                moment = start + step * i
                rows.append(
                    Publication(
                        kind="withdrawal" if i % 50 == 49 else "decision",
                        category="penalty",
                        case_id=decision.case_id,
                        decision=decision,
                        decision_number=f"洼农（农药）罚〔2026〕{i + 1}号",
                        decided_on=moment.date(),
                        title="行政处罚决定",
                        party_kind="person" if i % 10 == 0 else "organisation",
                        party="张某某" if i % 10 == 0 else f"第{i}农资经营部",
                        facts="2026年9月1日销售未取得农药登记证的农药10瓶。" * 3,
                        basis="《农药管理条例》第五十五条",
                        penalty="警告；罚款5,000.00元",
                        fine_fen=5000_00,
                        unit_name=unit.name,
                        bureau_name=unit.bureau.name,
                        due=moment.date() + dt.timedelta(days=9),
                        published_by=reviewer,
                        published_at=moment,
                    )
                )
            Publication.objects.bulk_create(rows)


def _measure(client: Any, label: str, urls: list[str]) -> dict[str, Any]:
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return {
        "measurement": label,
        "requests": len(times),
        "p50_ms": statistics.median(times),
        "p95_ms": p95,
        "ok": "yes" if p95 < TARGET_MS else "NO",
    }


def run() -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client

    from liuhen.disclosure.models import Publication

    want = _count()
    unit, reviewer = _base()
    with timer() as made:
        _make(want, unit, reviewer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    ids = list(Publication.objects.order_by("pk").values_list("pk", flat=True))
    total = len(ids)
    print(f"generated: {total} publications in {made['seconds']:.1f}s")

    client = Client(HTTP_HOST="localhost")
    client.get("/disclosure/decisions/")  # warm-up
    rng = random.Random(3)
    deep = [rng.choice(ids) for _ in range(REPEAT)]
    reference = _measure(
        client, "reference: procedures page (no query)", ["/disclosure/procedures/"] * REPEAT
    )
    plan = [
        ("decision list, first page", ["/disclosure/decisions/"] * REPEAT),
        ("decision list, deep page (before=id)", [f"{LIST}?before={pk}" for pk in deep]),
        ("decision list, withdrawals only", [f"{LIST}?kind=withdrawal"] * REPEAT),
        ("publication page", [f"{LIST}{pk}/" for pk in deep]),
        ("feed.json, first 100", ["/disclosure/feed.json"] * REPEAT),
        ("feed.json, deep (after=id)", [f"/disclosure/feed.json?after={pk}" for pk in deep]),
        ("feed.csv, deep (after=id)", [f"/disclosure/feed.csv?after={pk}" for pk in deep]),
        ("feed.atom, deep (after=id)", [f"/disclosure/feed.atom?after={pk}" for pk in deep]),
    ]
    measured = [reference, *(_measure(client, label, urls) for label, urls in plan)]
    ref_p95 = reference["p95_ms"]
    return [
        {
            **row,
            "x_reference": row["p95_ms"] / ref_p95 if ref_p95 else 0.0,
            "publications": total,
            "database": connection.vendor,
        }
        for row in measured
    ]
