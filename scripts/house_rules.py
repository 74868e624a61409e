#!/usr/bin/env python3
"""The house rules that import-linter cannot see, checked over the source (``make check``).

1. One door: ``audit.record`` is called only in an app's actions (``actions.py`` or a
   module of an ``actions/`` package); ``core/audit.py`` defines it and ``core/access.py``
   records denials.
2. One access idiom: views and API routers fetch domain objects only through
   ``access.get_visible_or_404`` and list them only through ``access.visible`` — no
   ``get_object_or_404``, no ``Model.objects`` outside those calls.
3. Comments say why, not when: no comment or docstring tells the repository's history
   ("issue 3", "a later feature" …); git keeps it.
4. Explicit wiring: no import kept only for its side effects (``# noqa: F401``).

    python scripts/house_rules.py [SRC]      # SRC defaults to src/liuhen; exit 1 on findings
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

DEFAULT_SRC = Path(__file__).resolve().parents[1] / "src" / "liuhen"

AUDIT_DEFINED_OR_DENIED = {"core/audit.py", "core/access.py"}
ACCESS_IDIOM = {"visible", "get_visible_or_404"}
UNRESTRICTED_FETCH = {"get_object_or_404", "get_list_or_404"}
MANAGERS = {"objects", "_default_manager"}
HISTORY = re.compile(
    r"\b(issue|wave|session) ?#?\d+|later feature|foundation (holds|registers)"
    r"|the \w+ (issue|feature) (adds|brings)",
    re.IGNORECASE,
)


def is_actions_module(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] == "actions.py" or "actions" in parts[:-1]


def is_view_module(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    return (
        name == "views.py"
        or name.endswith("_views.py")
        or "views" in parts[:-1]
        or (parts[0] == "api" and "routers" in parts[:-1])
    )


def check_file(path: Path, rel: str) -> Iterator[str]:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    if not is_actions_module(rel) and rel not in AUDIT_DEFINED_OR_DENIED:
        records = ("audit.record", "record") if _imports_record(tree) else ("audit.record",)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _dotted(node.func) in records:
                yield f"{rel}:{node.lineno}: audit.record outside an actions module"
    if is_view_module(rel):
        yield from _fetches(tree, rel)
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if "# noqa: F401" in line:
            yield f"{rel}:{number}: an import kept for its side effects (register it in ready())"
        comment = stripped if stripped.startswith(("#", '"', "'")) else line.partition("#")[2]
        if comment and HISTORY.search(comment):
            yield f"{rel}:{number}: a comment that tells history: {stripped[:80]}"


def _fetches(tree: ast.AST, rel: str) -> Iterator[str]:
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _dotted(node.func).split(".")[-1] in ACCESS_IDIOM:
            for argument in [*node.args, *(k.value for k in node.keywords)]:
                allowed.update(id(inner) for inner in ast.walk(argument))
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        if isinstance(node, ast.Call) and _dotted(node.func).split(".")[-1] in UNRESTRICTED_FETCH:
            name = _dotted(node.func)
            yield f"{rel}:{node.lineno}: {name} (fetch through access.get_visible_or_404)"
        elif isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            yield (
                f"{rel}:{node.lineno}: {_dotted(node)} outside access.visible / "
                "access.get_visible_or_404"
            )


def _imports_record(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "liuhen.core.audit"
        and any(alias.name == "record" for alias in node.names)
        for node in ast.walk(tree)
    )


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def findings(src: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src).as_posix()
        if "/migrations/" in f"/{rel}":
            continue
        found.extend(check_file(path, rel))
    return found


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else DEFAULT_SRC
    found = findings(src)
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} house-rule finding(s); see docs/development/style.md", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
