"""The page 完整性检查 (R16.1, R23.1 (四)): fixity findings, the latest run and the files
quarantined because they are no recording (R5.2).

The custodian, supervisors and the security admin see it (``media.integrity``). Which AV
records a finding concerns is shown only to those who may list AV records — the security
admin, an administrator, reads no case data (R21.2).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liuhen.core import access
from liuhen.media import integrity
from liuhen.media.models import IntegrityFinding
from liuhen.media.perms import MediaPerms

PAGE_SIZE = 50
QUARANTINE_SHOWN = 100


@login_required
def findings(request: HttpRequest) -> HttpResponse:
    access.require(request.user, MediaPerms.INTEGRITY, request=request)
    problem = request.GET.get("problem", "")
    found = access.visible(request.user, IntegrityFinding.objects.all())
    if problem in IntegrityFinding.Problem.values:
        found = found.filter(problem=problem)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    shown_records = access.can(request.user, MediaPerms.LIST)
    if shown_records:
        records = integrity.records_by_blob(request.user, (f.sha256 for f in page))
        for finding in page:
            finding.record_ids = records.get(finding.sha256, [])  # type: ignore[attr-defined]
    quarantined, quarantined_count = integrity.quarantined(request.user)
    context = {
        "quarantined": quarantined[:QUARANTINE_SHOWN] if shown_records else [],
        "quarantined_count": quarantined_count,
        "page": page,
        "problem": problem,
        "problems": IntegrityFinding.Problem.choices,
        "latest": integrity.latest_run(),
        "shown_records": shown_records,
    }
    return render(request, "media/integrity.html", context)
