"""The sections of a subject's page: everything held about one subject (R18.3).

Each app that keeps records about subjects (cases, activities, documents, AV records,
payments) defines a :class:`Section` and registers it in its ``AppConfig.ready()``
(``registry.subject_sections``); the subject page shows them in order, each a page at a
time. A section's ``rows`` must read through ``access.visible``, so a section shows only
what the viewer may open; its ``entry`` says how one row reads in the timeline, the API
and the export of the subject's file.

The order leaves room for what is still to come: licences held 60, findings and
rectifications 70, publications 80.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.functional import Promise

from liuhen.core import registry

# The rows a section shows on one page of the subject's page; the rest are paged.
ROWS_SHOWN = 10
TIMELINE_PAGE = 20


@dataclass(frozen=True)
class Entry:
    """One row of a section as a dated line: the timeline, the API and the export read it."""

    at: dt.datetime | None
    title: str
    detail: str = ""
    url: str = ""
    case: str = ""  # the case number it belongs to, if any
    facts: dict[str, Any] = field(default_factory=dict)  # the section's own columns


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    template: str  # rendered with ``ctx`` (the page of rows and the context) and ``subject``
    context: Callable[[Any, Any], dict[str, Any]] | None = None  # (user, subject) -> extra
    order: int = 100
    # (user, subject) -> the rows the user may see, newest first (a queryset or a list).
    rows: Callable[[Any, Any], Any] | None = None
    entry: Callable[[Any], Entry] | None = None


def registered() -> list[Section]:
    return sorted(registry.subject_sections.values(), key=lambda s: (s.order, s.key))


def page_parameter(section: Section) -> str:
    return f"{section.key}-page"


def section_page(user: Any, subject: Any, section: Section, number: Any = 1) -> Page[Any]:
    rows = section.rows(user, subject) if section.rows is not None else []
    return Paginator(rows, ROWS_SHOWN).get_page(number)


def render_context(user: Any, subject: Any, section: Section, number: Any = 1) -> dict[str, Any]:
    """What a section's template reads: its page of rows, and its own context."""
    ctx: dict[str, Any] = {"subject": subject, "section_key": section.key}
    if section.rows is not None:
        page = section_page(user, subject, section, number)
        ctx.update(page=page, rows=list(page.object_list))
    if section.context is not None:
        ctx.update(section.context(user, subject))
    return ctx


def sections_for(
    user: Any, subject: Any, pages: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    pages = pages or {}
    return [
        {
            "key": s.key,
            "title": s.title,
            "template": s.template,
            "context": render_context(user, subject, s, pages.get(page_parameter(s), 1)),
        }
        for s in registered()
    ]


def entries(user: Any, subject: Any, section: Section) -> Iterable[Entry]:
    """All rows of ``section`` the user may see, as entries, newest first."""
    if section.rows is None or section.entry is None:
        return iter(())
    return (section.entry(row) for row in section.rows(user, subject))


@dataclass(frozen=True)
class TimelineItem:
    section: str
    section_title: str | Promise
    entry: Entry


def _newest_first(item: TimelineItem) -> tuple[bool, dt.datetime]:
    at = item.entry.at
    return (at is not None, at or dt.datetime.min.replace(tzinfo=dt.UTC))


def timeline(user: Any, subject: Any, number: Any = 1) -> tuple[Page[Any], list[TimelineItem]]:
    """The sections' entries merged, newest first, a page at a time: each section is read
    only as far as the page reaches, since each is already newest first."""
    sections = [s for s in registered() if s.rows is not None and s.entry is not None]
    total = sum(_count(s.rows(user, subject)) for s in sections if s.rows is not None)
    page = Paginator(range(total), TIMELINE_PAGE).get_page(number)
    reach = page.number * TIMELINE_PAGE
    streams = [
        [TimelineItem(s.key, s.title, e) for e in islice(entries(user, subject, s), reach)]
        for s in sections
    ]
    merged = heapq.merge(*streams, key=_newest_first, reverse=True)
    items = list(islice(merged, reach))[(page.number - 1) * TIMELINE_PAGE :]
    return page, items


def _count(rows: Any) -> int:
    return rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
