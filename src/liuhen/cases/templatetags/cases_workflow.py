"""Template filters of the case workflow's words: ``{% load cases_workflow %}``."""

from __future__ import annotations

from django import template

from liuhen.cases.approvals import ChainPlace
from liuhen.cases.approvals import chain_places as _chain_places
from liuhen.cases.approvals import step_label as _step_label
from liuhen.cases.decisions import RIGHT_CHOICES
from liuhen.cases.models import ApprovalRequest, PenaltyKind

register = template.Library()


@register.filter
def step_label(step: str) -> str:
    return _step_label(step)


@register.filter
def chain_places(approval_request: ApprovalRequest) -> tuple[ChainPlace, ...]:
    """R7.1: the request's chain place by place, with the signatures given so far."""
    return _chain_places(approval_request)


@register.filter
def penalty_labels(kinds: list[str]) -> str:
    labels = dict(PenaltyKind.choices)
    return "、".join(str(labels.get(kind, kind)) for kind in kinds or ())


@register.filter
def right_labels(rights: list[str]) -> str:
    """R8.1: the rights named in a notice or a waiver, in words."""
    labels = dict(RIGHT_CHOICES)
    return "、".join(str(labels.get(right, right)) for right in rights or ())
