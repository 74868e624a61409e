"""Service pages (R10.1, R10.2): record the service of an issued document, record the
party's consent to electronic service, a service record with its proofs, and the delivery
register 送达台账 with its exports.

Views parse input, call ``delivery.actions`` and render. Documents, cases and records a
person may not see are 404; seeing without working the case is 403 on the forms.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from liuhen.accounts.models import Unit
from liuhen.cases.models import Case
from liuhen.core import access, audit
from liuhen.delivery import actions, modes, service_register
from liuhen.delivery.events import ServiceEvents
from liuhen.delivery.forms import ConsentForm, ServiceForm
from liuhen.delivery.models import (
    ElectronicChannel,
    ServiceAttachment,
    ServiceMode,
    ServiceRecord,
)
from liuhen.delivery.perms import ServicePerms
from liuhen.documents.models import IssuedDocument


def _issued(request: HttpRequest, issued_id: int) -> IssuedDocument:
    documents = IssuedDocument.objects.select_related("case", "case__unit", "unit")
    return get_object_or_404(access.visible(request.user, documents), pk=issued_id)


def _deadline_context(issued: IssuedDocument) -> dict[str, Any]:
    deadline = actions.service_deadline(issued)
    return {
        "deadline": deadline,
        "overdue": actions.is_overdue(issued),
        "served": actions.first_service_at(issued) is not None,
    }


@login_required
def serve(request: HttpRequest, issued_id: int) -> HttpResponse:
    """Record how an issued document was served (R10.1)."""
    issued = _issued(request, issued_id)
    access.require(request.user, ServicePerms.RECORD, issued, request=request)
    posted = request.method == "POST"
    form = ServiceForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        issued=issued,
        user=request.user,
        # The recipient is usually the party the document names, at its address.
        initial={
            "recipient": issued.data.get("party_name", ""),
            "address": issued.data.get("party_address", ""),
        },
    )
    if posted and form.is_valid():
        try:
            record = actions.record_service(
                request.user, issued, **form.action_kwargs(), request=request
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("The service was recorded."))
            return redirect("delivery:service", pk=record.pk)
    context = {
        "issued": issued,
        "case": issued.case,
        "form": form,
        "sections": form.sections(),
        "channel_time_labels": form.channel_time_labels(),
        "services": issued.services.order_by("served_at", "id"),
        "no_email": issued.form_code in modes.NO_EMAIL_SERVICE_FORMS,
        **_deadline_context(issued),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "delivery/serve.html", context, status=status)


@login_required
def consent(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record the party's consent to electronic service (行政处罚法 Art. 61)."""
    case = get_object_or_404(access.visible(request.user, Case.objects.all()), pk=case_id)
    access.require(request.user, ServicePerms.RECORD, case, request=request)
    back = _back_to(request, case)
    form = ConsentForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_consent(
                request.user,
                case,
                party_name=data["party_name"],
                channels=data["channels"],
                consented_on=data["consented_on"],
                fax_number=data["fax_number"],
                email=data["email"],
                address=data["address"],
                document=data["document"],
                request=request,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("The consent to electronic service was recorded."))
            return redirect(back)
    context = {
        "case": case,
        "form": form,
        "back": back,
        "consents": [(item, _channels_text(item)) for item in case.service_consents.all()],
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "delivery/consent.html", context, status=status)


def _channels_text(consent: Any) -> str:
    labels = dict(ElectronicChannel.choices)
    return "、".join(str(labels.get(c, c)) for c in consent.channels)


def _back_to(request: HttpRequest, case: Case) -> str:
    """Back to the service form the officer came from (``?issued=``), else the case."""
    from django.urls import reverse

    issued = str(request.GET.get("issued") or "")
    if issued.isdigit() and IssuedDocument.objects.filter(pk=int(issued), case=case).exists():
        return reverse("delivery:serve", args=[int(issued)])
    return reverse("cases:detail", args=[case.pk])


def _record(request: HttpRequest, pk: int) -> ServiceRecord:
    records = ServiceRecord.objects.select_related(
        "issued", "case", "consent", "receipt", "recorded_by"
    )
    record = get_object_or_404(access.visible(request.user, records), pk=pk)
    access.require(request.user, ServicePerms.VIEW, record, request=request)
    return record


def _detail_rows(record: ServiceRecord) -> list[tuple[str, str]]:
    rules = modes.MODES.get(record.mode)
    details = record.details or {}
    rows = []
    for spec in rules.fields if rules is not None else ():
        value = details.get(spec.name, "")
        if value:
            shown = dict(spec.choices).get(value, value) if spec.choices else value
            rows.append((str(spec.label), str(shown)))
    if details.get("published_on"):
        rows.append((_("Published on"), details["published_on"]))
    return rows


@login_required
def service(request: HttpRequest, pk: int) -> HttpResponse:
    """One service record with its details and proofs."""
    record = _record(request, pk)
    attachments = record.attachments.select_related("av_record").order_by("id")
    context = {
        "record": record,
        "issued": record.issued,
        "case": record.case,
        "details": _detail_rows(record),
        "time_label": modes.time_label(record.mode, record.channel),
        "files": [a for a in attachments if a.blob_id],
        "av_records": [a.av_record for a in attachments if a.av_record_id],
        "kinds": {kind: str(label) for kind, label in modes.ATTACHMENT_KINDS.items()},
        "overdue": actions.is_overdue(record.issued),
    }
    return render(request, "delivery/service.html", context)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    """A proof of service as a download; audited like any view of case data."""
    from liuhen.media.playback import serving as playback

    record = _record(request, pk)
    item = get_object_or_404(
        ServiceAttachment.objects.filter(blob__isnull=False), pk=attachment_id, service=record
    )
    assert item.blob_id is not None
    with transaction.atomic():
        audit.record(
            ServiceEvents.VIEW,
            actor=request.user,
            request=request,
            obj=record,
            details={"attachment": item.pk, "kind": item.kind, "sha256": item.blob_id},
        )
    return playback.serve_blob(
        request,
        item.blob_id,
        content_type=item.content_type or "application/octet-stream",
        disposition_value=playback.disposition("attachment", item.name or item.kind),
    )


# --- the delivery register ----------------------------------------------------------------


def _query(filters: service_register.Filters) -> str:
    return urlencode(filters.values)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    access.require(request.user, ServicePerms.LIST, request=request)
    records, filters = service_register.filtered(request.user, request.GET)
    page = Paginator(records, service_register.PAGE_SIZE).get_page(request.GET.get("page"))
    visible_cases = access.visible(request.user, Case.objects.all()).values("unit_id")
    return render(
        request,
        "delivery/register.html",
        {
            "page": page,
            "rows": service_register.rows_of(list(page)),
            "filters": filters.values,
            "filter_query": _query(filters),
            "modes": ServiceMode.choices,
            "units": Unit.objects.filter(pk__in=visible_cases).order_by("name"),
        },
    )


@login_required
def register_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The register as CSV or XLSX: the page's filter, visible records only, audited."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    access.require(request.user, ServicePerms.LIST, request=request)
    records, filters = service_register.filtered(request.user, request.GET)
    service_register.record_export(
        request.user, filters=filters, fmt=fmt, rows=records.count(), request=request
    )
    if fmt == "csv":
        return service_register.csv_response(records)
    return service_register.xlsx_response(records)
