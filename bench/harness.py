"""The benchmark harness: each ``bench/bench_*.py`` has ``NAME``, ``DESCRIPTION`` and ``run()``.

``run()`` returns rows (dicts with the same keys); the harness prints them as a table and
writes ``bench/results/NAME.json`` with the machine's core count and the date.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import platform
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"


def discover() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def setup_django() -> None:
    """A throw-away data dir (unless LIUHEN_DATA_DIR is set) with a migrated database."""
    if "LIUHEN_DATA_DIR" not in os.environ:
        os.environ["LIUHEN_DATA_DIR"] = tempfile.mkdtemp(prefix="liuhen-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    result: dict[str, float] = {}
    start = time.perf_counter()
    yield result
    result["seconds"] = time.perf_counter() - start


def table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no rows)"
    headers = list(rows[0])
    cells = [[_fmt(row.get(h)) for h in headers] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.0f}"
    return str(value)


def run(name: str) -> dict[str, Any]:
    module = importlib.import_module(f"bench.bench_{name}")
    rows = module.run()
    from django.db import connection

    result = {
        "name": name,
        "description": module.DESCRIPTION,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "database": connection.vendor,
        "rows": rows,
    }
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"\n## {name} — {module.DESCRIPTION}")
    print(f"{result['cores']} cores, {result['database']}, {result['date']}\n")
    print(table(rows))
    return result
