"""Django system checks of the wiring: ``liuhen check`` and ``liuhen serve`` refuse to go on
when what the apps registered (``core.registry``) does not hold together.

- every navigation entry names a page that exists and a declared permission;
- every access rule is for a declared permission, and every declared permission has one;
- every legal rule the code asks for by name (``rules.value("…")``, ``calendar.deadline``,
  a deadline clock) is declared in an app's ``law.py``.

Registered by ``CoreConfig.ready()``; the apps add checks of their own wiring (approval
steps, document forms) in theirs.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import checks
from django.urls import NoReverseMatch, reverse

from liuhen.core import registry

# Calls that name a legal rule: function name → the position of the key (0-based), and
# the keyword that may carry it.
_RULE_CALLS: dict[tuple[str | None, str], tuple[int, str]] = {
    ("rules", "value"): (0, "key"),
    ("rules", "get"): (0, "key"),
    ("rules", "definition"): (0, "key"),
    ("calendar", "deadline"): (1, "rule_key"),
    (None, "make_clock"): (2, "rule_key"),
}


def navigation_entries(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for entry in registry.navigation.values():
        try:
            reverse(entry.url_name)
        except NoReverseMatch:
            errors.append(
                checks.Error(
                    f"navigation entry {entry.key!r} names the page {entry.url_name!r}, "
                    "which does not exist",
                    id="liuhen.E001",
                )
            )
        if entry.permission is not None and entry.permission not in registry.permissions:
            errors.append(
                checks.Error(
                    f"navigation entry {entry.key!r} needs the undeclared permission "
                    f"{entry.permission!r}",
                    id="liuhen.E002",
                )
            )
    return errors


def access_rules(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = [
        checks.Error(
            f"an access rule is registered for the undeclared permission {code!r}",
            id="liuhen.E003",
        )
        for code in registry.access_rules
        if code not in registry.permissions
    ]
    errors += [
        checks.Error(
            f"the permission {code!r} has no access rule (it would deny everyone)",
            hint="Add its rule to the policy.py of the app that declares it.",
            id="liuhen.E004",
        )
        for code in registry.permissions
        if code not in registry.access_rules
    ]
    return errors


def legal_rules_in_use(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for path, line, key in rule_keys_in_source():
        if key not in registry.rules:
            errors.append(
                checks.Error(
                    f"{path}:{line} asks for the legal rule {key!r}, which no app declares",
                    hint="Declare it in the law.py of the app that applies it.",
                    id="liuhen.E005",
                )
            )
    return errors


def rule_keys_in_source() -> Iterator[tuple[str, int, str]]:
    """Every literal rule key in a rule look-up of the project's apps: (file, line, key)."""
    for config in apps.get_app_configs():
        if config.name.startswith("liuhen."):
            root = Path(config.path)
            for path in sorted(root.rglob("*.py")):
                if "migrations" not in path.parts:
                    for line, key in _rule_keys(str(path), path.stat().st_mtime_ns):
                        yield str(path.relative_to(root.parent)), line, key


@functools.cache
def _rule_keys(path: str, _mtime: int) -> tuple[tuple[int, str], ...]:
    found = []
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and (key := _rule_key(node)) is not None:
            found.append((node.lineno, key))
    return tuple(found)


def _rule_key(call: ast.Call) -> str | None:
    func = call.func
    named: tuple[str | None, str]
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        named = (func.value.id, func.attr)
    elif isinstance(func, ast.Name):
        named = (None, func.id)
    else:
        return None
    where = _RULE_CALLS.get(named)
    if where is None:
        return None
    position, keyword = where
    argument: ast.expr | None = call.args[position] if len(call.args) > position else None
    for item in call.keywords:
        if item.arg == keyword:
            argument = item.value
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value
    return None


SYSTEM_CHECKS = (navigation_entries, access_rules, legal_rules_in_use)
