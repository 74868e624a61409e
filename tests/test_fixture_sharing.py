"""The suite shares its fixtures from one place: ``tests/fixtures/``, loaded by the root
``conftest.py``. A fixture name is defined in one file only, so a test's ``case`` or
``notice`` means the same thing wherever it is read; and no conftest.py below the root
defines a fixture, so none is overridden by directory.

The check walks a tree with ``ast``; it is shown failing on a made-up tree with each breach,
and passing on ``tests/``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_fixture(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in {"pytest.fixture", "fixture"}


def _fixture_name(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    for decorator in function.decorator_list:
        if not _is_fixture(decorator):
            continue
        if isinstance(decorator, ast.Call):
            for keyword in decorator.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
        return function.name
    return None


def fixtures_by_name(root: Path) -> dict[str, list[Path]]:
    """Every fixture defined under ``root``: its name and the files that define it."""
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                name = _fixture_name(node)
                if name is not None:
                    found[name].append(path.relative_to(root))
    return found


def breaches(root: Path) -> list[str]:
    """What keeps ``root`` from sharing its fixtures from one place."""
    found = fixtures_by_name(root)
    problems = [
        f"fixture {name!r} is defined in {', '.join(map(str, files))}"
        for name, files in sorted(found.items())
        if len(files) > 1
    ]
    problems += [
        f"fixture {name!r} is defined in {file}: below the root, a conftest.py holds hooks only"
        for name, files in sorted(found.items())
        for file in files
        if file.name == "conftest.py" and file.parent != Path(".")
    ]
    return problems


FIXTURE = """import pytest


@pytest.fixture
def {name}():
    return 1
"""


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_a_fixture_defined_in_two_files_is_a_breach(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "fixtures/cases.py": FIXTURE.format(name="case"),
            "cases/test_hearings.py": FIXTURE.format(name="case") + "\n\ndef test_x(case): ...\n",
            "cases/test_leads.py": FIXTURE.format(name="lead"),
        },
    )
    assert breaches(root) == [
        "fixture 'case' is defined in cases/test_hearings.py, fixtures/cases.py"
    ]
    (root / "cases" / "test_hearings.py").write_text("def test_x(case): ...\n", encoding="utf-8")
    assert breaches(root) == []


def test_a_name_given_in_the_decorator_counts(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "fixtures/cases.py": FIXTURE.format(name="case"),
            "cases/test_hearings.py": FIXTURE.replace(
                "@pytest.fixture", '@pytest.fixture(scope="module", name="case")'
            ).format(name="hearing_case"),
        },
    )
    assert breaches(root) == [
        "fixture 'case' is defined in cases/test_hearings.py, fixtures/cases.py"
    ]


def test_a_fixture_in_a_directory_conftest_is_a_breach(tmp_path: Path) -> None:
    hook_only = "def pytest_collection_modifyitems(items):\n    pass\n"
    root = _tree(
        tmp_path,
        {
            "conftest.py": "pytest_plugins = ['fixtures.cases']\n" + FIXTURE.format(name="x"),
            "fixtures/cases.py": FIXTURE.format(name="case"),
            "e2e/conftest.py": hook_only,
            "media/conftest.py": FIXTURE.format(name="recorder"),
        },
    )
    assert breaches(root) == [
        "fixture 'recorder' is defined in media/conftest.py: "
        "below the root, a conftest.py holds hooks only"
    ]
    (root / "media" / "conftest.py").unlink()
    assert breaches(root) == []


def test_the_suite_shares_its_fixtures_from_one_place() -> None:
    assert breaches(TESTS) == []
    assert "case_a" in fixtures_by_name(TESTS)  # the walk does see the fixtures
