"""The public pages of 执法公示 (R12.1; 国办发〔2018〕118号) at ``/disclosure/``: no login,
server-rendered, readable without JavaScript. They read only through
``liuhen.disclosure.public``: what was published, and the bureau's public facts.

- 事前公示: units and duties, officers with certificates, enforcement bases, procedures,
  supervision and complaint channels;
- 事后公示: decisions published, withdrawal and correction notices (newest first, paged by
  key);
- the annual enforcement data per year;
- the feed every publication is pulled from (JSON, CSV, Atom), oldest first from ``after``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from liuhen.cases.models import PenaltyKind
from liuhen.disclosure import public
from liuhen.disclosure.models import Category, PartyKind, PublicationKind

FEED_VERSION = 1
CSV_COLUMNS = (
    "id",
    "kind",
    "category",
    "decision_number",
    "decided_on",
    "title",
    "party_kind",
    "party",
    "party_identifier",
    "penalty",
    "fine_fen",
    "unit",
    "agency",
    "published_at",
    "replaces",
    "ground",
    "ground_on",
    "reason",
    "facts",
    "basis",
)


def _key(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _public(response: HttpResponse) -> HttpResponse:
    # Published records: any cache may keep them a few minutes.
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    page = public.publications(size=5)
    return _public(render(request, "portal/disclosure/index.html", {"latest": page.rows}))


@require_safe
def decisions(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in PublicationKind.values else ""
    page = public.publications(before=_key(request, "before"), kind=kind)
    context = {
        "page": page,
        "kind": kind,
        "kinds": PublicationKind.choices,
        "first_page": _key(request, "before") is None,
    }
    return _public(render(request, "portal/disclosure/decisions.html", context))


@require_safe
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    row = public.publication(pk)
    if row is None:
        raise Http404("no such publication")
    context = {"row": row, "replaced_by": public.replacement(row)}
    return _public(render(request, "portal/disclosure/publication.html", context))


@require_safe
def units(request: HttpRequest) -> HttpResponse:
    context = {
        "units": public.units(),
        "officers": public.officers(),
        "texts": public.texts(),
        "today": timezone.localdate(),
    }
    return _public(render(request, "portal/disclosure/units.html", context))


@require_safe
def bases(request: HttpRequest) -> HttpResponse:
    return _public(render(request, "portal/disclosure/bases.html", {"rules": public.bases()}))


@require_safe
def procedures(request: HttpRequest) -> HttpResponse:
    context = {"texts": public.texts()}
    return _public(render(request, "portal/disclosure/procedures.html", context))


@require_safe
def channels(request: HttpRequest) -> HttpResponse:
    context = {"texts": public.texts()}
    return _public(render(request, "portal/disclosure/channels.html", context))


@require_safe
def annual(request: HttpRequest) -> HttpResponse:
    context = {"years": public.annual_years()}
    return _public(render(request, "portal/disclosure/annual.html", context))


@require_safe
def annual_year(request: HttpRequest, year: int) -> HttpResponse:
    data = public.annual(year)
    if data is None:
        raise Http404("no data for that year")
    counts = data.figures.get("penalty_kinds", {})
    kinds = [(label, counts.get(code, 0)) for code, label in PenaltyKind.choices]
    context = {"data": data, "figures": data.figures, "kinds": kinds}
    return _public(render(request, "portal/disclosure/annual_year.html", context))


# --- the feed --------------------------------------------------------------------------


def _feed_rows(request: HttpRequest) -> tuple[list[Any], int | None]:
    limit = _key(request, "limit") or public.FEED_LIMIT
    rows = public.feed(after=_key(request, "after"), limit=limit)
    more = len(rows) == min(max(limit, 1), public.FEED_MAX)
    return rows, rows[-1].pk if rows and more else None


def _next_url(request: HttpRequest, name: str, after: int | None) -> str | None:
    if after is None:
        return None
    return request.build_absolute_uri(f"{reverse(name)}?after={after}")


@require_safe
def feed_json(request: HttpRequest) -> HttpResponse:
    rows, after = _feed_rows(request)
    body = {
        "version": FEED_VERSION,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "items": [public.feed_item(row) for row in rows],
        "next": _next_url(request, "portal:disclosure_feed_json", after),
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    return _public(response)


@require_safe
def feed_csv(request: HttpRequest) -> HttpResponse:
    rows, after = _feed_rows(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        item = public.feed_item(row)
        writer.writerow(["" if item[c] is None else item[c] for c in CSV_COLUMNS])
    # A BOM so that spreadsheet programs read the Chinese text as UTF-8.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="disclosure.csv"'
    next_url = _next_url(request, "portal:disclosure_feed_csv", after)
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return _public(response)


class _PagedAtom(feedgenerator.Atom1Feed):
    """Atom with a ``next`` link (RFC 5005 paging)."""

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        if self.feed.get("next"):
            handler.addQuickElement("link", "", {"rel": "next", "href": self.feed["next"]})


def _entry_title(item: dict[str, Any]) -> str:
    kind = str(PublicationKind(item["kind"]).label)
    return f"{kind}：{item['decision_number']} {item['party']}"


@require_safe
def feed_atom(request: HttpRequest) -> HttpResponse:
    rows, after = _feed_rows(request)
    feed = _PagedAtom(
        title=_("Enforcement disclosure"),
        link=request.build_absolute_uri(reverse("portal:disclosure_decisions")),
        description=_("Published enforcement decisions, withdrawals and corrections"),
        language="zh-hans",
        feed_url=request.build_absolute_uri(request.get_full_path()),
        next=_next_url(request, "portal:disclosure_feed_atom", after),
    )
    # One absolute prefix for every entry: reversing per row costs more than the entry.
    prefix = request.build_absolute_uri(reverse("portal:disclosure_decisions"))
    for row in rows:
        item = public.feed_item(row)
        url = f"{prefix}{row.pk}/"
        kind_label = str(PartyKind(item["party_kind"]).label)
        category = str(Category(item["category"]).label)
        feed.add_item(
            title=_entry_title(item),
            link=url,
            unique_id=url,
            description=f"{category} · {kind_label} · {item['penalty']}",
            pubdate=row.published_at,
            updateddate=row.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return _public(response)
