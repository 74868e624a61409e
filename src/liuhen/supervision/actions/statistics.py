"""The one door of statistics (R22.1): refreshing the daily figures, exporting the
dashboard (an audited read) and making the sealed annual report."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import Context, Engine
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liuhen.accounts.models import Bureau
from liuhen.core import access, audit
from liuhen.core.actions.exports import record_export
from liuhen.documents.printing.pdf import render_bound_pages_pdf
from liuhen.documents.seal.certificate import active_seal, seal_credentials
from liuhen.documents.seal.sealing import seal_pdf
from liuhen.supervision.events import StatisticsEvents
from liuhen.supervision.models import FiguresRefresh
from liuhen.supervision.perms import StatisticsPerms
from liuhen.supervision.statistics import dashboard, refresh
from liuhen.supervision.statistics.annual import annual_figures

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.accounts.models import User


def refresh_figures(actor: audit.Actor | User) -> FiguresRefresh:
    """Count the daily figures afresh (the scheduler's job, hourly)."""
    access.require(actor, StatisticsPerms.VIEW)
    started = time.perf_counter()
    # Counting reads only: outside the transaction that swaps the figures in.
    figures = refresh.count_figures()
    with transaction.atomic(durable=True):
        refresh.replace_figures(figures)
        done = FiguresRefresh.objects.create(
            seconds=time.perf_counter() - started, rows=len(figures)
        )
        audit.record(
            StatisticsEvents.REFRESH,
            actor=actor,
            obj=done,
            details={"rows": len(figures), "seconds": round(done.seconds, 2)},
        )
    return done


def export_dashboard(
    actor: User, filters: dashboard.Filters, *, request: HttpRequest | None = None
) -> bytes:
    """The dashboard's tables as an XLSX workbook, one sheet per chart (R4.3: audited)."""
    from openpyxl import Workbook

    charts = dashboard.charts(actor, filters)
    book = Workbook(write_only=True)
    rows = 0
    for chart in charts:
        sheet = book.create_sheet(title=chart.title[:31])
        sheet.append([chart.title])
        sheet.append([_("Item"), _("Count"), _("Share (%)")])
        for row in chart.rows:
            sheet.append([row.label, row.value, row.share])
            rows += 1
        sheet.append([_("Total"), chart.total, 100.0 if chart.total else 0.0])
    out = io.BytesIO()
    book.save(out)
    record_export(
        actor,
        permission=StatisticsPerms.EXPORT,
        event=StatisticsEvents.EXPORT,
        object_type="supervision.dailyfigure",
        filters=filters.as_dict(),
        fmt="xlsx",
        rows=rows,
        request=request,
    )
    return out.getvalue()


# Printed pages are the bureau's Chinese record whatever the reader's language: a private
# engine, like the printed forms', so no site template setting reaches them.
_ENGINE = Engine(
    dirs=[str(Path(__file__).resolve().parent.parent / "print_templates")], autoescape=True
)


def annual_report_html(year: int, bureau: str) -> str:
    with translation.override("zh-hans"):
        figures = annual_figures(year)
    context = {"year": year, "f": figures, "bureau": bureau, "made_on": timezone.localdate()}
    return _ENGINE.get_template("supervision/annual_report.html").render(Context(context))


def _bureau(actor: User) -> str:
    unit = actor.unit
    if unit is not None:
        return str(unit.bureau.name)
    bureau = Bureau.objects.order_by("pk").first()
    return str(bureau.name) if bureau is not None else ""


def make_annual_report(actor: User, year: int, *, request: HttpRequest | None = None) -> bytes:
    """年度执法全过程记录工作情况 of ``year`` as a PDF sealed with the bureau's seal."""
    access.require(actor, StatisticsPerms.ANNUAL_REPORT, request=request)
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError(_("Choose a year up to the current one."), code="year")
    row = active_seal()
    if row is None:
        raise ValidationError(
            _(
                "No seal certificate is installed: the security administrator must install "
                "the bureau's seal before the annual report can be made."
            ),
            code="no_seal",
        )
    # Rendering and sealing are slow and write nothing: outside any transaction.
    pdf, _pages = render_bound_pages_pdf(annual_report_html(year, _bureau(actor)))
    sealed = seal_pdf(
        pdf,
        seal_credentials(row),
        box=None,
        field_name="BureauSeal",
        reason=_("Annual report on whole-process enforcement records, %(year)d") % {"year": year},
    )
    details: dict[str, Any] = {"year": year, "bytes": len(sealed)}
    with transaction.atomic(durable=True):
        audit.record(
            StatisticsEvents.ANNUAL_REPORT,
            actor=actor,
            request=request,
            object_type="supervision.annual_report",
            object_id=str(year),
            details=details,
        )
    return sealed
