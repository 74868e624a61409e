"""Service pages (R10.1, R10.2): record the service of an issued document, record the
party's consent to electronic service, a service record with its proofs.

Views parse input, call the service actions and render. Documents, cases and records a
person may not see answer 404 (audited); seeing without working the case is 403 on the
forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liuhen.cases.models import Case
from liuhen.core import access, navigation, panels
from liuhen.delivery.actions import service as service_actions
from liuhen.delivery.forms import ConsentForm, ServiceForm
from liuhen.delivery.models import ElectronicChannel, ServiceConsent, ServiceRecord
from liuhen.delivery.perms import ServicePerms
from liuhen.delivery.service import clock, modes
from liuhen.delivery.views.helpers import acting_user
from liuhen.documents.actions import drafting
from liuhen.documents.models import IssuedDocument
from liuhen.media.playback import serving as playback


def _deadline_context(issued: IssuedDocument) -> dict[str, Any]:
    deadline = clock.service_deadline(issued)
    return {
        "deadline": deadline,
        "overdue": clock.is_overdue(issued),
        "served": clock.first_service_at(issued) is not None,
    }


@login_required
@navigation.belongs_to("cases")
def serve(request: HttpRequest, issued_id: int) -> HttpResponse:
    """Record how an issued document was served (R10.1)."""
    issued = access.get_visible_or_404(
        request.user,
        IssuedDocument.objects.select_related("case", "case__unit", "unit"),
        action=ServicePerms.RECORD,
        request=request,
        pk=issued_id,
    )
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
            record = service_actions.record_service(
                acting_user(request), issued, **form.action_kwargs(), request=request
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
        "no_electronic": modes.DECISION_NOT_ELECTRONIC if form.electronic_barred else "",
        **_deadline_context(issued),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "delivery/serve.html", context, status=status)


@login_required
@require_POST
def draft_receipt(request: HttpRequest, issued_id: int) -> HttpResponse:
    """Draft the service receipt 送达回证 for the document being served, filled with its
    title, 文号 and party and with the mode and recipient chosen on the service form
    (R10.1); the officer then issues it and the recipient signs it."""
    issued = access.get_visible_or_404(
        request.user,
        IssuedDocument.objects.select_related("case"),
        action=ServicePerms.RECORD,
        request=request,
        pk=issued_id,
    )
    initial = {
        "mode": modes.RECEIPT_MODE_TEXT.get(str(request.POST.get("receipt_mode") or ""), ""),
        "party_name": str(request.POST.get("recipient") or "").strip(),
        "place": str(request.POST.get("address") or "").strip(),
    }
    try:
        draft = drafting.create_draft(
            acting_user(request),
            issued.case,
            modes.receipt_form_code(),
            serves=issued,
            initial={key: value for key, value in initial.items() if value},
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("delivery:serve", issued_id=issued.pk)
    messages.success(
        request,
        _(
            "The service receipt was drafted for this document: check it and issue it, then "
            "the recipient signs it on the signing screen."
        ),
    )
    return redirect("documents:draft", pk=draft.pk)


@login_required
@navigation.belongs_to("cases")
def consent(request: HttpRequest, case_id: int) -> HttpResponse:
    """Record the party's consent to electronic service (行政处罚法 Art. 61(2), 民事诉讼法
    Art. 90)."""
    case = access.get_visible_or_404(
        request.user, Case, action=ServicePerms.RECORD, request=request, pk=case_id
    )
    back = _back_to(request, case)
    form = ConsentForm(request.POST if request.method == "POST" else None, case=case)

    def record(data: dict[str, Any]) -> ServiceConsent:
        return service_actions.record_consent(
            acting_user(request),
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

    done = _("The consent to electronic service was recorded.")
    if panels.submit(request, form, record, done) is not None:
        return redirect(back)
    context = {
        "case": case,
        "form": form,
        "back": back,
        "consents": [(item, _channels_text(item)) for item in case.service_consents.all()],
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "delivery/consent.html", context, status=status)


def _channels_text(consent: ServiceConsent) -> str:
    labels = dict(ElectronicChannel.choices)
    return "、".join(str(labels.get(c, c)) for c in consent.channels)


def _back_to(request: HttpRequest, case: Case) -> str:
    """Back to the service form the officer came from (``?issued=``), else the case."""
    issued = str(request.GET.get("issued") or "")
    if issued.isdigit() and case.issued.filter(pk=int(issued)).exists():
        return reverse("delivery:serve", args=[int(issued)])
    return reverse("cases:detail", args=[case.pk])


def _record(request: HttpRequest, pk: int) -> ServiceRecord:
    return access.get_visible_or_404(
        request.user,
        ServiceRecord.objects.select_related("issued", "case", "consent", "receipt", "recorded_by"),
        action=ServicePerms.VIEW,
        request=request,
        pk=pk,
    )


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
        "overdue": clock.is_overdue(record.issued),
    }
    return render(request, "delivery/service.html", context)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponseBase:
    """A proof of service as a download; audited like any view of case data."""
    record = _record(request, pk)
    item = record.attachments.filter(blob__isnull=False, pk=attachment_id).first()
    if item is None or item.blob_id is None:
        raise Http404("no such proof")
    service_actions.open_proof(acting_user(request), record, item, request=request)
    disposition = playback.disposition("attachment", item.name or item.kind)
    # R21.1: a photo of the proof leaves with the viewer's watermark.
    copy = playback.serve_copy(
        item.blob_id,
        content_type=item.content_type,
        disposition_value=disposition,
        user=request.user,
    )
    if copy is not None:
        return copy
    return playback.serve_blob(
        request,
        item.blob_id,
        content_type=item.content_type or "application/octet-stream",
        disposition_value=disposition,
    )
