from __future__ import annotations

from django import template

from liuhen.accounts.models import Role
from liuhen.cases.approvals import step_label as _step_label

register = template.Library()


@register.filter
def step_label(step: str) -> str:
    return _step_label(step)


@register.filter
def role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))
