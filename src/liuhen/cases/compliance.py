"""Compliance is computed, not typed (architecture rule 4): the checks on a case.

A check is a function ``(case) -> findings``, tagged with the article it enforces and
whether it blocks the stage its findings belong to. Apps define theirs with
:func:`check` and register them in ``AppConfig.ready()`` (``registry.case_checks``).
The workflow asks :func:`blocking_findings` before a stage closes; the case page,
dashboards and ledgers show :func:`findings_for_case`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from liuhen.cases.models import Stage
from liuhen.core import registry

if TYPE_CHECKING:
    from liuhen.cases.models import Case

STAGE_ORDER = list(Stage.values)


@dataclass(frozen=True)
class Finding:
    code: str
    article: str  # the requirement it enforces, e.g. "R5.2"
    message: str | Promise  # for people, zh-Hans on screen
    blocking: bool
    object: Any  # the activity or case the finding is about
    stage: str  # the stage it belongs to: a blocking finding stops this stage closing

    @property
    def stage_label(self) -> str:
        return str(dict(Stage.choices).get(self.stage, self.stage))


CheckFn = Callable[["Case"], Iterator[Finding]]


@dataclass(frozen=True)
class Check:
    code: str
    article: str
    blocking: bool
    func: CheckFn

    @property
    def key(self) -> str:
        return self.code

    def __call__(self, case: Case) -> Iterator[Finding]:
        return self.func(case)


def check(code: str, *, article: str, blocking: bool) -> Callable[[CheckFn], Check]:
    """Make ``func(case)`` a check (registering it is the app's ``ready()``'s job)."""

    def make(func: CheckFn) -> Check:
        return Check(code, article, blocking, func)

    return make


def finding(code: str, message: str | Promise, obj: Any, stage: str) -> Finding:
    """A finding of the registered check ``code`` (its article and whether it blocks)."""
    item = registry.case_checks[code]
    return Finding(code, item.article, message, item.blocking, obj, stage)


def all_checks() -> list[Check]:
    return list(registry.case_checks.values())


def findings_for_case(case: Case) -> list[Finding]:
    """Every finding about ``case``, blocking ones first, in stage order."""
    found = [item for check_ in all_checks() for item in check_(case)]
    imported = _imported_stage(case)
    if imported is not None:
        found = [f for f in found if _recorded_here(f, case, imported)]
    return sorted(found, key=lambda f: (not f.blocking, stage_index(f.stage), f.code))


def _imported_stage(case: Case) -> str | None:
    """The stage an imported case had reached in the earlier records, if it was imported."""
    imported = getattr(case, "imported", None) if case.pk else None
    return imported.stage if imported is not None else None


def _recorded_here(item: Finding, case: Case, imported_stage: str) -> bool:
    """Whether a finding is about what the system could have recorded: the earlier
    records of an imported case hold no whole-process record of the stages before the
    import, nor of the case itself in the stage it was imported at."""
    if stage_index(item.stage) < stage_index(imported_stage):
        return False
    return not (item.stage == imported_stage and item.object == case)


def blocking_findings(case: Case, stage: str) -> list[Finding]:
    """The findings that stop ``stage`` of ``case`` from closing, with their reasons."""
    return [f for f in findings_for_case(case) if f.blocking and f.stage == stage]


def stage_index(stage: str) -> int:
    return STAGE_ORDER.index(stage) if stage in STAGE_ORDER else len(STAGE_ORDER)


def at_or_after(case: Case, stage: str) -> bool:
    return stage_index(case.stage) >= stage_index(stage)
