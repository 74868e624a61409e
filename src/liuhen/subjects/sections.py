"""The sections of a subject's page: everything held about one subject (R18.3).

Each feature that keeps records about subjects (activities, documents, AV records,
payments) registers a section here, from its AppConfig.ready(); the subject page shows
them in order. A section's ``rows`` must read through ``access.visible``, so a section
shows only what the viewer may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liuhen.core import access

# The most rows a section shows on the page; the section's own list page has the rest.
ROWS_SHOWN = 50


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str  # rendered with ``rows`` and ``subject`` in its context
    rows: Callable[[Any, Any], list[Any]]  # (user, subject) -> rows the user may see
    order: int = 100


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    if section.key in _SECTIONS:
        raise RuntimeError(f"subject page section {section.key!r} registered twice")
    _SECTIONS[section.key] = section
    return section


def sections_for(user: Any, subject: Any) -> list[dict[str, Any]]:
    return [
        {"key": s.key, "title": s.title, "template": s.template, "rows": s.rows(user, subject)}
        for s in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
    ]


def case_url(case: Any) -> str | None:
    """The case page, once the cases feature has one."""
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return None


def _case_rows(user: Any, subject: Any) -> list[dict[str, Any]]:
    from liuhen.cases.models import Case
    from liuhen.subjects.models import CaseParty

    cases = access.visible(user, Case.objects.all())
    links = (
        CaseParty.objects.filter(subject=subject, case__in=cases)
        .select_related("case", "case__unit")
        .order_by("-case__opened_at", "-case_id")[:ROWS_SHOWN]
    )
    return [{"case": link.case, "link": link, "url": case_url(link.case)} for link in links]


register(Section("cases", _("Cases"), "subjects/sections/_cases.html", _case_rows, order=10))
