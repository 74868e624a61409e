"""The sections of a subject's page: everything held about one subject (R18.3).

Each app that keeps records about subjects (cases, activities, documents, AV records,
payments) defines a :class:`Section` and registers it in its ``AppConfig.ready()``
(``registry.subject_sections``); the subject page shows them in order. A section's
``context`` must read through ``access.visible``, so a section shows only what the
viewer may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from liuhen.core import registry

# The most rows a section shows on the page; the section's own list page has the rest.
ROWS_SHOWN = 50


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str  # rendered with ``ctx`` (the context) and ``subject``
    context: Callable[[Any, Any], dict[str, Any]]  # (user, subject) -> what the user may see
    order: int = 100


def sections_for(user: Any, subject: Any) -> list[dict[str, Any]]:
    return [
        {
            "key": s.key,
            "title": s.title,
            "template": s.template,
            "context": s.context(user, subject),
        }
        for s in sorted(registry.subject_sections.values(), key=lambda s: (s.order, s.key))
    ]
