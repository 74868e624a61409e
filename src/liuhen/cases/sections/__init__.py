"""Sections of the case page, in order: what a section is, and the page's list of them.

A section is a template and a function that gives its context; it shows when the
viewer may see it. Each app that brings one defines a :class:`Section` and registers it
in its ``AppConfig.ready()`` (``registry.case_sections``); the cases app's own are the
modules of this package (and the subject page's "Cases" section, ``sections.subject``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from liuhen.cases.perms import CasePerms
from liuhen.core import access, registry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case

ContextFn = Callable[["HttpRequest", "Case"], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str
    order: int
    context: ContextFn
    action: str = CasePerms.VIEW  # the access the viewer needs to see the section


def all_sections() -> list[Section]:
    return sorted(registry.case_sections.values(), key=lambda s: (s.order, s.key))


@dataclass(frozen=True)
class Rendered:
    key: str
    title: str | Promise
    template: str
    context: dict[str, Any]


def for_case(request: HttpRequest, case: Case) -> list[Rendered]:
    return [
        Rendered(s.key, s.title, s.template, s.context(request, case))
        for s in all_sections()
        if access.can(request.user, s.action, case)
    ]
