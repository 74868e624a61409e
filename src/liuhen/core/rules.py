"""Law as configuration (R2.1): every legal parameter, its default, its unit and its source.

Code never writes a legal number: it asks ``rules.value("payment_days")`` or
``rules.get("decision_deadline")`` (a :class:`Rule` with ``.value``, ``.kind``,
``.citation``, ``.label``). The system administrator may override a value with a reason
(``core.actions.configuration.set_rule``, audited); floors and ceilings cannot be
crossed — e.g. raw AV is kept at least six months whatever is configured (R18.4).

Each app declares the rules it applies in its ``law.py`` and registers them in
``AppConfig.ready()`` (``registry.rules``); a key nobody declared is :class:`UnknownRule`.

Rules marked ``needs_check`` could not be confirmed from the text of the rule (law.md
*[check]*) and must be confirmed by the bureau's legal staff.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from liuhen.core import confcache, registry
from liuhen.core.rule_types import (
    CODE_PATTERN,
    INTEGER_KINDS,
    LAW_ZH,
    PERIOD_KINDS,
    ROLLING_KINDS,
    Citation,
    Kind,
    Law,
    Rule,
    Serves,
)

logger = logging.getLogger(__name__)

__all__ = [
    "LAW_ZH",
    "PERIOD_KINDS",
    "Citation",
    "Kind",
    "Law",
    "Rule",
    "Serves",
    "all_rules",
    "get",
    "value",
]


class UnknownRule(KeyError):
    pass


def definition(key: str) -> Rule:
    found = registry.rules.get(key)
    if found is None:
        raise UnknownRule(key)
    return found


def validate(rule: Rule, value: Any) -> Any:
    """``value`` made canonical, or ValidationError saying why it is not allowed."""
    if rule.kind in INTEGER_KINDS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(gettext("Enter a whole number."), code="invalid")
        if rule.minimum is not None and value < rule.minimum:
            raise ValidationError(
                gettext("The value cannot be less than %(minimum)s (the legal floor).")
                % {"minimum": rule.display(rule.minimum)},
                code="min_value",
            )
        if rule.maximum is not None and value > rule.maximum:
            raise ValidationError(
                gettext("The value cannot be more than %(maximum)s (the legal ceiling).")
                % {"maximum": rule.display(rule.maximum)},
                code="max_value",
            )
        return value
    if rule.kind == Kind.CODES:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValidationError(gettext("Enter a list of codes."), code="invalid")
        codes = list(dict.fromkeys(v.strip() for v in value if v.strip()))
        bad = [code for code in codes if not CODE_PATTERN.match(code)]
        if bad:
            raise ValidationError(
                gettext("Codes use lower-case letters, digits and underscores: %(codes)s")
                % {"codes": ", ".join(bad)},
                code="invalid",
            )
        unknown = [code for code in codes if rule.choices and code not in rule.choices]
        if unknown:
            raise ValidationError(
                gettext("Unknown codes: %(codes)s. Allowed: %(choices)s")
                % {"codes": ", ".join(unknown), "choices": ", ".join(rule.choices)},
                code="invalid_choice",
            )
        if len(codes) < rule.min_items:
            raise ValidationError(
                gettext("Enter at least %(count)s code(s).") % {"count": rule.min_items},
                code="min_items",
            )
        missing = [code for code in rule.default if code not in codes]
        if rule.minimum is not None and missing:
            # The defaults of such a list come from the regulation itself: they can be
            # added to ("anything a higher rule lists"), never removed.
            raise ValidationError(
                gettext("These codes are required by law and cannot be removed: %(codes)s")
                % {"codes": ", ".join(missing)},
                code="min_value",
            )
        return codes
    if rule.kind == Kind.CHOICE:
        if value not in rule.choices:
            raise ValidationError(
                gettext("Choose one of: %(choices)s") % {"choices": ", ".join(rule.choices)},
                code="invalid_choice",
            )
        return value
    raise ValidationError(gettext("This rule cannot be changed."), code="invalid")


def _load_overrides() -> dict[str, Any]:
    from liuhen.core.models import RuleOverride

    current: dict[str, Any] = {}
    for key, value in RuleOverride.objects.order_by("id").values_list("key", "value"):
        current[key] = value
    result: dict[str, Any] = {}
    for key, value in current.items():
        rule = registry.rules.get(key)
        if rule is None or value is None:
            continue
        try:
            checked = validate(rule, value)
            result[key] = tuple(checked) if rule.kind == Kind.CODES else checked
        except ValidationError:
            # A floor raised in code after the override was stored: the floor wins.
            logger.warning("ignoring rule override %s=%r: no longer allowed", key, value)
    return result


def overrides() -> dict[str, Any]:
    """The administrator's current values, by key (cached per process)."""
    return confcache.cached("rules.overrides", _load_overrides)


def get(key: str) -> Rule:
    """The rule ``key`` with its current value."""
    rule = definition(key)
    found = overrides()
    if key in found:
        return dataclasses.replace(rule, value=found[key], overridden=True)
    return dataclasses.replace(rule, value=rule.default)


def value(key: str) -> Any:
    """The current value of rule ``key``."""
    rule = definition(key)
    return overrides().get(key, rule.default)


def all_rules() -> list[Rule]:
    return [get(key) for key in registry.rules]


def can_roll(rule: Rule) -> bool:
    """A period whose last day can fall on a rest day (calendar days, months, years)."""
    return rule.kind in ROLLING_KINDS


def roll_forward_display(rule: Rule) -> str:
    """Whether the last day moves off a rest day: yes / no for calendar-day, month and
    year periods; "—" where it cannot fall on one (working days) or there is no day."""
    if not can_roll(rule):
        return "—"
    return gettext("yes") if rule.rolls_forward else gettext("no")


def as_markdown() -> str:
    """docs/rules.md: every rule with default, unit, whose period it is, roll-forward,
    floor and ceiling, whether it is applied, and citation (checked in; a test keeps it
    in step with the catalog)."""
    from django.utils import translation

    lines = [
        "# Legal rules (R2.1)",
        "",
        "Generated from the apps' `law.py` by `liuhen.core.rules.as_markdown()`;",
        "a test fails when this file is out of date. The system administrator can change a value",
        "at /config/rules/ (with a reason, audited); floors and ceilings cannot be crossed.",
        "*[check]* marks a value that could not be confirmed from the text of the rule.",
        "",
        "- **serves**: whose time a period is. *the party*: time the law gives the party to act",
        "  or prepare; the law's figure is a floor (the bureau may give more, never less).",
        "  *the agency*: time the law allows the agency for its own act; the law's figure is a",
        "  ceiling (the bureau may be quicker, never slower), or a floor where the law sets a",
        "  least time (不少于). *the bureau*: an internal control no law gives a figure for.",
        "- **rolls forward**: a calendar-day, month or year period whose last day is a rest day",
        "  ends on the next working day (民事诉讼法 Art. 85): the party's periods only; the",
        "  agency's end on their last day. — : a working-day period always ends on a working",
        "  day, and hours or amounts have no last day.",
        "- **applied**: *not yet applied* marks a rule listed with its citation that no part",
        "  of the system applies yet; it is not in force here.",
        "",
        "| key | rule | 规则 | default | counting / unit | serves | rolls forward | floor "
        "| ceiling | applied | citation |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rule in registry.rules.values():
        with translation.override("en"):
            label_en = str(rule.label)
            shown = rule.display(rule.default)
            floor = rule.minimum_display
            ceiling = rule.maximum_display
            kind = rule.kind_label
            serves = rule.serves_label
            rolls = roll_forward_display(rule)
            applied = "yes" if rule.applied else "**not yet applied**"
            cites = "<br>".join(f"{c.zh} — {c.en}" for c in rule.citations)
        with translation.override("zh-hans"):
            label_zh = str(rule.label)
        check = " *[check]*" if rule.needs_check else ""
        lines.append(
            f"| `{rule.key}` | {label_en}{check} | {label_zh} | {shown} | {kind} | {serves} | "
            f"{rolls} | {floor} | {ceiling} | {applied} | {cites} |"
        )
    lines.append("")
    return "\n".join(lines)
