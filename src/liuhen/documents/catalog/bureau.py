"""Bureau forms as the system administrator types them (R6.1).

A form's fields are typed as lines ``name|label|type|required|prefill`` (a sixth part lists
the choices of a ``choice`` field or the columns of an ``items`` table, separated by ";").
They are checked strictly, every wrong line named by its number, because a form that cannot
be filled or printed is found only when an officer needs it. The action that saves a form
is ``documents.actions.bureau_forms``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from liuhen.documents.catalog.prefill import KEYS
from liuhen.documents.spec import FieldType

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
FIELD_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 100
MAX_SIGNERS = 10
MAX_LABEL = 100
MAX_SIGNER = 30
MAX_NUMBER_KIND = 10
YES = frozenset({"yes", "y", "true", "1", "是", "必填"})
NO = frozenset({"", "no", "n", "false", "0", "否", "选填"})
LIST_SEPARATORS = re.compile(r"[;；]")


@dataclass(frozen=True)
class FormInput:
    """A bureau form as typed on the page; ``signers`` and ``fields`` one item per line."""

    title: str
    kind: str
    fields: str
    number_kind: str = ""
    stage: str = ""
    signature: bool = False
    signers: str = ""
    paginated: bool = False
    sealed: bool = False
    approval_step: str = ""
    # R10.1, regulation Art. 10(四): an enforcement decision, never served electronically.
    enforcement_decision: bool = False
    active: bool = True


def fields_as_lines(fields: list[dict[str, Any]]) -> str:
    """The stored fields written back as the lines the page edits."""
    lines = []
    for item in fields:
        parts = [
            str(item["name"]),
            str(item["label"]),
            str(item.get("type", FieldType.TEXT)),
            "yes" if item.get("required") else "no",
            str(item.get("prefill", "")),
        ]
        if item.get("choices"):
            parts.append(";".join(str(c) for c in item["choices"]))
        lines.append("|".join(parts))
    return "\n".join(lines)


def parse_fields(text: str) -> list[dict[str, Any]]:
    """The field lines as stored field dicts; ValidationError listing each wrong line."""
    fields: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if not 2 <= len(parts) <= 6:
            errors.append(
                _("Line %(line)d: write name|label|type|required|prefill.") % {"line": number}
            )
            continue
        name, label, kind, required, prefill, choices = (parts + [""] * 4)[:6]
        problems = _field_problems(name, label, kind or FieldType.TEXT, required, prefill, KEYS)
        if name in seen:
            problems.append(
                _("the name “%(name)s” is used on line %(other)d already")
                % {"name": name, "other": seen[name]}
            )
        items = [c.strip() for c in LIST_SEPARATORS.split(choices) if c.strip()]
        listing = kind in (FieldType.CHOICE, FieldType.ITEMS)
        if listing and not items:
            problems.append(
                _("a choice field lists its choices, an items table its columns, after a sixth |")
            )
        elif items and not listing:
            problems.append(_("only a choice or items field has a list after a sixth |"))
        if problems:
            errors.append(
                _("Line %(line)d: %(problems)s.")
                % {"line": number, "problems": "; ".join(problems)}
            )
            continue
        seen[name] = number
        fields.append(
            {
                "name": name,
                "label": label,
                "type": kind or FieldType.TEXT.value,
                "required": required.lower() in YES,
                "prefill": prefill,
                "choices": items,
            }
        )
    if not errors and not fields:
        errors.append(_("A form has at least one field."))
    if len(fields) > MAX_FIELDS:
        errors.append(_("A form has at most %(count)d fields.") % {"count": MAX_FIELDS})
    if errors:
        raise ValidationError({"fields": errors})
    return fields


def _field_problems(
    name: str, label: str, kind: str, required: str, prefill: str, keys: frozenset[str]
) -> list[str]:
    problems = []
    if not FIELD_NAME_PATTERN.match(name):
        problems.append(
            _(
                "the name “%(name)s” must be lower-case letters, digits and _, starting with a "
                "letter"
            )
            % {"name": name}
        )
    if not label:
        problems.append(_("the label is missing"))
    elif len(label) > MAX_LABEL:
        problems.append(_("the label is longer than %(count)d characters") % {"count": MAX_LABEL})
    if kind not in {t.value for t in FieldType}:
        problems.append(
            _("unknown type “%(type)s” (use one of %(types)s)")
            % {"type": kind, "types": ", ".join(t.value for t in FieldType)}
        )
    if required.lower() not in YES | NO:
        problems.append(_("required is “yes” or “no”, not “%(value)s”") % {"value": required})
    if prefill and prefill not in keys:
        problems.append(_("unknown prefill “%(key)s”") % {"key": prefill})
    return problems


def parse_signers(text: str, errors: dict[str, list[str]]) -> list[str]:
    signers: list[str] = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        role = line.strip()
        if not role:
            continue
        if len(role) > MAX_SIGNER:
            errors.setdefault("signers", []).append(
                _("Line %(line)d: a signature line is at most %(count)d characters.")
                % {"line": number, "count": MAX_SIGNER}
            )
        elif role in signers:
            errors.setdefault("signers", []).append(
                _("Line %(line)d: “%(role)s” is listed twice.") % {"line": number, "role": role}
            )
        else:
            signers.append(role)
    if len(signers) > MAX_SIGNERS:
        errors.setdefault("signers", []).append(
            _("A form has at most %(count)d signature lines.") % {"count": MAX_SIGNERS}
        )
    return signers
