"""A paper record scanned in (R3.2): PDF, JPEG or PNG, kept as a text record of its form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from liuhen.cases.models import Case
from liuhen.core import access
from liuhen.documents.actions import scans
from liuhen.documents.forms import ScanForm, show_errors, sniff_content_type
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
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte over the limit is enough for the action to refuse a file too large.
        content = upload.read(scans.SCAN_MAX_BYTES + 1)
        try:
            issued_scan = scans.upload_scan(
                acting_user(request),
                case,
                form.cleaned_data["form_code"],
                content=content,
                content_type=sniff_content_type(content[:8], upload.content_type or ""),
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("The scan has been stored."))
            return redirect("documents:issued", pk=issued_scan.pk)
    return render(
        request,
        "documents/scan.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )
