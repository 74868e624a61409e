"""The "Checks" section of the case page: each finding with its article (R5.2, R4.2 …)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from liuhen.cases import compliance, sections

if TYPE_CHECKING:
    from django.http import HttpRequest

    from liuhen.cases.models import Case


def _checks(request: HttpRequest, case: Case) -> dict[str, Any]:
    findings = compliance.findings_for_case(case)
    return {"findings": findings, "blocking": sum(1 for f in findings if f.blocking)}


SECTION = sections.Section(
    "checks",
    _("Checks"),
    "supervision/sections/checks.html",
    order=20,
    context=_checks,
)
