from __future__ import annotations

from typing import Any

from django import template

from liuhen.accounts.models import Role
from liuhen.cases.approvals import step_label as _step_label
from liuhen.core import access

register = template.Library()


@register.filter
def step_label(step: str) -> str:
    return _step_label(step)


@register.filter
def role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))


@register.simple_tag(takes_context=True)
def may(context: template.Context, action: str, obj: Any = None) -> bool:
    """Whether the viewer may do ``action`` (to hide buttons; the actions still check)."""
    request = context.get("request")
    return request is not None and access.can(request.user, action, obj)


@register.filter
def penalty_labels(kinds: list[str]) -> str:
    from liuhen.cases.models import PenaltyKind

    labels = dict(PenaltyKind.choices)
    return "、".join(str(labels.get(kind, kind)) for kind in kinds or ())


@register.filter
def yuan(fen: int | None) -> str:
    """Amounts are kept in fen; shown in yuan."""
    return f"¥{(fen or 0) / 100:,.2f}"


@register.filter
def right_labels(rights: list[str]) -> str:
    """R8.1: the rights named in a notice or a waiver, in words."""
    from liuhen.cases.forms import RIGHT_CHOICES

    labels = dict(RIGHT_CHOICES)
    return "、".join(str(labels.get(right, right)) for right in rights or ())
