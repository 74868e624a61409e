"""A paper record scanned in (R3.2): PDF, JPEG or PNG, kept as a text record of its form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liuhen.cases.models import Case
from liuhen.core import access, panels
from liuhen.documents.actions import scans
from liuhen.documents.forms import ScanForm, sniff_content_type
from liuhen.documents.models import IssuedDocument
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.sections import forms_by_stage
from liuhen.documents.views.helpers import acting_user


@login_required
@require_http_methods(["GET", "POST"])
def scan(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access.get_visible_or_404(
        request.user,
        Case.objects.select_related("unit"),
        action=DocumentPerms.SCAN,
        request=request,
        pk=case_id,
    )
    groups = [(group.label, group.forms) for group in forms_by_stage(case.stage)]
    form = ScanForm(
        groups,
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"form_code": request.GET.get("form", "")},
    )

    def store(data: dict[str, Any]) -> IssuedDocument:
        upload = data["file"]
        # One byte over the limit is enough for the action to refuse a file too large.
        content = upload.read(scans.SCAN_MAX_BYTES + 1)
        return scans.upload_scan(
            acting_user(request),
            case,
            data["form_code"],
            content=content,
            content_type=sniff_content_type(content[:8], upload.content_type or ""),
            number=data["number"],
            issued_on=data["issued_on"],
            note=data["note"],
            request=request,
        )

    issued_scan = panels.submit(request, form, store, _("The scan has been stored."))
    if issued_scan is not None:
        return redirect("documents:issued", pk=issued_scan.pk)
    return render(
        request,
        "documents/scan.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )
