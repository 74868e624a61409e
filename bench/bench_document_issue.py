"""Issuing a 行政处罚决定书 (issue 5): draft + issue = render (WeasyPrint, CJK font subset),
store (SHA-256 + SM3) and seal (PAdES, pyHanko). Target: p50 < 1 s.

One case with its decision; each round remakes the last issued version before service
(``create_draft(supersedes=…)`` + ``issue``), which runs the whole issue path — render,
store, seal, audit — without a new case and decision per round (a remake keeps its 文号).
A first issue warms up (lean font build, templates, the seal key) and is not counted.
``LIUHEN_BENCH_ISSUES`` sets the rounds (default 50). The render and seal steps are timed on
their own as well.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

NAME = "document_issue"
DESCRIPTION = "issue a 行政处罚决定书: draft + render + store + seal (ms, p50/p95)"

ISSUES = int(os.environ.get("LIUHEN_BENCH_ISSUES", "50"))
BUREAU = "盘锦市大洼区农业农村局"


def _setup() -> tuple[Any, Any]:
    from liuhen.accounts.models import Bureau, Role, RoleGrant, Unit, User
    from liuhen.cases.models import Case, Decision, Stage
    from liuhen.documents.actions.seal import install_demo_seal
    from liuhen.subjects.models import CaseParty, Subject

    bureau, _ = Bureau.objects.get_or_create(name=BUREAU, defaults={"short_name": "洼农"})
    unit, _ = Unit.objects.get_or_create(bureau=bureau, name="种植业执法科")
    officer, created = User.objects.get_or_create(
        username="bench_issue_officer", defaults={"full_name": "王明", "unit": unit}
    )
    if created:
        RoleGrant.objects.create(user=officer, role=Role.OFFICER)
    admin, created = User.objects.get_or_create(
        username="bench_issue_secadmin", defaults={"full_name": "钱进"}
    )
    if created:
        RoleGrant.objects.create(user=admin, role=Role.SECURITY_ADMIN)
    install_demo_seal(admin, BUREAU)
    case = Case.objects.create(
        number=f"洼农（农药）立〔2026〕B{time.time_ns()}号",
        title="某农资经营部销售未登记农药案",
        unit=unit,
        field="农药",
        stage=Stage.DECISION,
    )
    case.officers.add(officer)
    party = Subject.objects.create(
        kind="unit", name="盘锦市大洼区丰收农资经营部", address="大洼区田家街道1号"
    )
    CaseParty.objects.create(case=case, subject=party)
    Decision.objects.create(
        case=case,
        number=f"洼农（农药）罚〔2026〕B{time.time_ns()}号",
        penalty_kinds=["fine"],
        fine_fen=5000_00,
        facts="当事人销售未取得农药登记证的农药，货值金额2000元。",
        basis="《农药管理条例》第五十五条第一款第（二）项",
        decided_by=officer,
    )
    return officer, case


@contextmanager
def _timed(module: Any, name: str, into: list[float]) -> Iterator[None]:
    """Time every call of ``module.name`` (looked up at call time by the issuing code)."""
    original: Callable[..., Any] = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into.append((time.perf_counter() - start) * 1000)

    setattr(module, name, timed)
    try:
        yield
    finally:
        setattr(module, name, original)


def _row(step: str, samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    return {
        "step": step,
        "n": len(ordered),
        "p50_ms": statistics.median(ordered),
        "p95_ms": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max_ms": ordered[-1],
    }


def run() -> list[dict[str, Any]]:
    from liuhen.documents.actions import drafting, issuing
    from liuhen.documents.issuing import rendering

    officer, case = _setup()
    draft = drafting.create_draft(officer, case, "penalty_decision")
    last = issuing.issue(officer, draft)  # warm-up, not counted
    totals: list[float] = []
    renders: list[float] = []
    seals: list[float] = []
    # The renderer and the sealer as the issuing code calls them.
    with _timed(rendering, "render_pdf", renders), _timed(rendering, "seal_pdf", seals):
        for _round in range(ISSUES):
            start = time.perf_counter()
            draft = drafting.create_draft(officer, case, "penalty_decision", supersedes=last)
            last = issuing.issue(officer, draft)
            totals.append((time.perf_counter() - start) * 1000)
    assert last.version == ISSUES + 1 and last.files.get().sealed
    return [
        _row("draft + issue (total)", totals),
        _row("render_pdf", renders),
        _row("seal_pdf", seals),
    ]
