"""``make check`` keeps the house in its plan: each kind of breach is made on a copy of the
source here, and the tool that ``make check`` runs must fail on it (and pass without it).

- a back-edge between layers, and an import cycle (import-linter, ``.importlinter``);
- ``audit.record`` in a view, a fetch around the access idiom, a history comment and a
  side-effect import (``scripts/house_rules.py``).

The wiring checks of ``liuhen check`` are shown in ``tests/core/test_system_checks.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "liuhen"
HOUSE_RULES = ROOT / "scripts" / "house_rules.py"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("house")
    shutil.copytree(
        SRC,
        root / "src" / "liuhen",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates"),
    )
    shutil.copy(ROOT / ".importlinter", root / ".importlinter")
    return root


@pytest.fixture
def tree(source_copy: Path, tmp_path: Path) -> Path:
    """A fresh copy of the source for one breach."""
    root = tmp_path / "tree"
    shutil.copytree(source_copy, root)
    return root


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True
    )


def _house_rules(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(HOUSE_RULES), str(root / "src" / "liuhen")],
        capture_output=True,
        text=True,
    )


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def test_the_source_as_it_is_keeps_every_contract(source_copy: Path) -> None:
    assert _lint_imports(source_copy).returncode == 0
    result = _house_rules(source_copy)
    assert result.returncode == 0, result.stdout


def test_an_import_against_the_layers_fails(tree: Path) -> None:
    # core is the bottom layer: it may import no app.
    _append(tree / "src/liuhen/core/calendar.py", "from liuhen.cases import models as _cases")
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "liuhen.core is not allowed to import liuhen.cases" in result.stdout


def test_an_import_cycle_inside_a_package_fails(tree: Path) -> None:
    # cases.models is imported by cases.policy; the reverse closes a circle.
    _append(tree / "src/liuhen/cases/models.py", "from liuhen.cases import policy as _policy")
    result = _lint_imports(tree)
    assert result.returncode != 0
    assert "No cycles are allowed in liuhen.cases" in result.stdout


def test_audit_record_in_a_view_fails(tree: Path) -> None:
    view = tree / "src/liuhen/cases/views_extra.py"
    view.write_text(
        "from liuhen.core import audit\n\n\n"
        "def some_view(request):\n"
        '    audit.record("case.view", request=request)\n',
        encoding="utf-8",
    )
    result = _house_rules(tree)
    assert result.returncode == 1
    assert "cases/views_extra.py:5: audit.record outside an actions module" in result.stdout


def test_a_fetch_around_the_access_idiom_fails(tree: Path) -> None:
    view = tree / "src/liuhen/subjects/extra_views.py"
    view.write_text(
        "from django.shortcuts import get_object_or_404\n\n"
        "from liuhen.core import access\n"
        "from liuhen.subjects.models import Subject\n\n\n"
        "def bad(request, pk):\n"
        "    return get_object_or_404(Subject, pk=pk)\n\n\n"
        "def also_bad(request):\n"
        "    return Subject.objects.all()\n\n\n"
        "def good(request):\n"
        "    return access.visible(request.user, Subject.objects.all())\n",
        encoding="utf-8",
    )
    result = _house_rules(tree)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "extra_views.py" in line]
    assert len(lines) == 2, lines
    assert "extra_views.py:8: get_object_or_404" in result.stdout
    assert "extra_views.py:12: Subject.objects outside" in result.stdout


def test_a_history_comment_and_a_side_effect_import_fail(tree: Path) -> None:
    _append(tree / "src/liuhen/cases/law.py", "# issue 3 item 2: added for the filing screen")
    _append(tree / "src/liuhen/cases/law.py", "from liuhen.cases import models  # noqa: F401")
    result = _house_rules(tree)
    assert result.returncode == 1
    assert "a comment that tells history" in result.stdout
    assert "kept for its side effects" in result.stdout
