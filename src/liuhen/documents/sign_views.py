"""The signing screen on the tablet (R9.1, R9.2, R8.2).

- ``sign``: the party (or witness) reads the issued document, signs on the pad (signature_pad)
  with opinion, name and date; the principal signer's signature makes it final;
- ``refuse``: the officer records a refusal to sign, linked to AV records of that time;
- ``finalise``: final with the principal line done and another line left empty;
- ``read``: the document as printed, in HTML for the frame of the signing screen (a PDF does
  not show inline in a tablet's browser).

Views parse input and call :mod:`liuhen.documents.actions`, which decide what may happen.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from typing import Any

from csp.decorators import csp
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from liuhen.core import access
from liuhen.documents import actions, catalog, issuing
from liuhen.documents.models import FilePurpose, Finalisation, IssuedDocument
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.spec import FormSpec
from liuhen.media.models import AvRecord
from liuhen.media.registers import format_duration

# R9.1: the sentence a party writes under a transcript, and under any other document.
TRANSCRIPT_OPINION = "以上笔录我已看过，与我所说的相符"
DEFAULT_OPINION = "以上内容我已看过，无异议"
# R8.2: the statements a party signs to waive statement and defence, or a hearing, on the
# advance notice or its service receipt.
WAIVE_STATEMENT = "statement"
WAIVE_HEARING = "hearing"
WAIVER_TEXTS = {
    WAIVE_STATEMENT: "本人放弃陈述、申辩的权利。",
    WAIVE_HEARING: "本人放弃要求听证的权利。",
}
WAIVER_LABELS = {WAIVE_STATEMENT: "放弃陈述、申辩", WAIVE_HEARING: "放弃听证"}
WAIVERS_OF_FORM = {
    "advance_notice": (WAIVE_STATEMENT,),
    "advance_notice_hearing": (WAIVE_STATEMENT, WAIVE_HEARING),
    "service_receipt": (WAIVE_STATEMENT, WAIVE_HEARING),
}
# The signer's name on the line of this role comes from this value of the document.
NAME_FIELD_OF_ROLE = {"被询问人": "interviewee_name", "见证人": "witness_name"}
PNG_DATA_URL = "data:image/png;base64,"
SIGNATURE_MAX_BYTES = 2 * 1024 * 1024  # as issuing.is_signature_image accepts
# R9.2: the AV records offered for a refusal were captured this close to its time.
AV_PICKER_WINDOW = dt.timedelta(hours=12)
AV_PICKER_LIMIT = 50
_INPUT = {"class": "form-control form-control-lg"}


class SignForm(forms.Form):
    # Required-ness is the action's (one set of messages, R9.1); the form only parses.
    role = forms.CharField(label=gettext_lazy("Signs as"), required=False, max_length=30)
    name = forms.CharField(
        label=gettext_lazy("Full name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(_INPUT),
    )
    opinion = forms.CharField(
        label=gettext_lazy("Opinion"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({**_INPUT, "rows": 2}),
    )
    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    waivers = forms.MultipleChoiceField(
        label=gettext_lazy("Waiver of rights"),
        required=False,
        choices=list(WAIVER_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )


class RefuseForm(forms.Form):
    role = forms.CharField(label=gettext_lazy("Who refused"), required=False, max_length=30)
    refused = forms.CharField(
        label=gettext_lazy("What was refused"),
        required=False,
        max_length=500,
        widget=forms.TextInput(_INPUT),
    )
    circumstances = forms.CharField(
        label=gettext_lazy("Circumstances"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({**_INPUT, "rows": 3}),
    )
    refused_at = forms.DateTimeField(
        label=gettext_lazy("Refused at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput({**_INPUT, "type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


# --- what the screen shows ----------------------------------------------------------------


def standard_opinion(spec: FormSpec) -> str:
    """R9.1: a transcript is confirmed as what was said; any other document as read."""
    is_transcript = spec.code.endswith("_transcript") or "笔录" in spec.title
    return TRANSCRIPT_OPINION if is_transcript else DEFAULT_OPINION


def waivers_of(spec: FormSpec) -> tuple[str, ...]:
    """R8.2: the waivers a party may sign on this form."""
    return WAIVERS_OF_FORM.get(spec.code, ())


def default_name(issued: IssuedDocument, role: str) -> str:
    data = issued.data or {}
    field = NAME_FIELD_OF_ROLE.get(role, "")
    return str(data.get(field) or ("" if field == "witness_name" else data.get("party_name", "")))


def with_waivers(opinion: str, waivers: Sequence[str]) -> str:
    """The opinion as signed: the waiver statements chosen are part of it (R8.2)."""
    text = opinion.strip()
    for waiver in waivers:
        statement = WAIVER_TEXTS[waiver]
        if statement not in text:
            text = f"{text}{statement}" if text else statement
    return text


def decode_signature(data_url: str) -> bytes:
    """The PNG of the pad (a data: URL); b"" when there is none (the action says so)."""
    if not data_url.startswith(PNG_DATA_URL):
        return b""
    encoded = data_url[len(PNG_DATA_URL) :]
    if len(encoded) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise ValidationError({"signature": [_("The signature image is too large.")]})
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return b""


def av_candidates(user: Any, issued: IssuedDocument, around: dt.datetime) -> QuerySet[AvRecord]:
    """R9.2: AV records this officer may see, captured near ``around``, of this case or
    the officer's own (made with a recorder the officer held or holds, or uploaded)."""
    case = issued.case
    of_case = Q(links__unlink__isnull=True) & (Q(links__case=case) | Q(links__activity__case=case))
    own = Q(officer=user) | Q(device__holder=user) | Q(uploaded_by=user)
    near = AvRecord.objects.filter(
        captured_at__gte=around - AV_PICKER_WINDOW, captured_at__lte=around + AV_PICKER_WINDOW
    ).filter(of_case | own)
    ids = near.values("pk")
    records = AvRecord.objects.filter(pk__in=ids).select_related("device", "officer", "probe")
    return access.visible(user, records).order_by("-captured_at", "-pk")


def _av_rows(records: Sequence[AvRecord]) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        probe = record.probe_or_none()
        rows.append(
            {
                "record": record,
                "duration": format_duration(probe.duration if probe is not None else None),
            }
        )
    return rows


def file_url(issued: IssuedDocument, purpose: str) -> str:
    """The download of one of the document's files (the issued document pages' view)."""
    return reverse("documents:issued_file", args=[issued.pk, purpose])


def _apply_error(form: forms.Form, error: ValidationError, renamed: dict[str, str]) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            name = renamed.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _issued_or_404(request: HttpRequest, pk: int) -> IssuedDocument:
    return get_object_or_404(
        IssuedDocument.objects.select_related("case", "case__unit", "unit"), pk=pk
    )


def _local_now() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _screen(
    request: HttpRequest,
    issued: IssuedDocument,
    *,
    sign_form: SignForm | None = None,
    refuse_form: RefuseForm | None = None,
    chosen_av: Sequence[int] = (),
) -> HttpResponse:
    spec = catalog.spec_of_issued(issued)
    roles = issuing.party_roles(spec)
    done = {s.role for s in issued.signatures.all()} | {r.role for r in issued.refusals.all()}
    open_roles = [role for role in roles if role not in done]
    first = open_roles[0] if open_roles else roles[0]
    opinion = standard_opinion(spec)
    if sign_form is None:
        sign_form = SignForm(
            initial={"role": first, "name": default_name(issued, first), "opinion": opinion}
        )
    now = _local_now()
    if refuse_form is None:
        refuse_form = RefuseForm(
            initial={
                "role": roles[0],
                "refused": f"拒绝在《{spec.title}》上签名",
                "refused_at": now,
            }
        )
    around = now
    if refuse_form.is_bound and refuse_form.is_valid():
        around = refuse_form.cleaned_data["refused_at"]
    finalisation = Finalisation.objects.filter(issued=issued).first()
    context = {
        "issued": issued,
        "spec": spec,
        "roles": [
            {"role": role, "name": default_name(issued, role), "done": role in done}
            for role in roles
        ],
        "principal": roles[0],
        # R9.2: the principal line is done, another (a witness, say) may stay empty.
        "may_finalise": finalisation is None and roles[0] in done and bool(open_roles),
        "sign_form": sign_form,
        "refuse_form": refuse_form,
        "waivers": [
            {"value": w, "label": WAIVER_LABELS[w], "text": WAIVER_TEXTS[w]}
            for w in waivers_of(spec)
        ],
        "chosen_waivers": set(sign_form["waivers"].value() or ()),
        "today": timezone.localdate(),
        "signatures": issued.signatures.order_by("signed_at", "id"),
        "refusals": issued.refusals.prefetch_related("recordings__record").order_by(
            "recorded_at", "id"
        ),
        "finalisation": finalisation,
        "final_url": file_url(issued, FilePurpose.SIGNED) if finalisation is not None else "",
        "issued_url": file_url(issued, FilePurpose.ISSUED)
        if issued.files.filter(purpose=FilePurpose.ISSUED).exists()
        else "",
        "read_url": reverse("documents:sign_read", args=[issued.pk]),
        "needs_signature": issued.needs_signature,
        "av_rows": _av_rows(list(av_candidates(request.user, issued, around)[:AV_PICKER_LIMIT])),
        "chosen_av": {str(pk) for pk in chosen_av},
    }
    bound = (sign_form.is_bound and sign_form.errors) or (
        refuse_form.is_bound and refuse_form.errors
    )
    return render(request, "documents/sign.html", context, status=422 if bound else 200)


# --- views ------------------------------------------------------------------------------


@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The signing screen; POST records the signature (R9.1)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    issued = _issued_or_404(request, pk)
    access.require(request.user, DocumentPerms.SIGN, issued, request=request)
    if request.method != "POST":
        return _screen(request, issued)
    form = SignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.sign(
                request.user,
                issued,
                role=data["role"],
                name=data["name"],
                opinion=with_waivers(data["opinion"], data["waivers"]),
                image_png=decode_signature(data["signature"]),
                request=request,
            )
        except ValidationError as exc:
            _apply_error(form, exc, {"image": "signature"})
        else:
            if Finalisation.objects.filter(issued=issued).exists():
                messages.success(request, _("Signed: the document is final."))
            else:
                messages.success(request, _("The signature was recorded."))
            return redirect("documents:sign", pk=issued.pk)
    return _screen(request, issued, sign_form=form)


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer records a refusal to sign, backed by AV of that time (R9.2)."""
    issued = _issued_or_404(request, pk)
    access.require(request.user, DocumentPerms.SIGN, issued, request=request)
    form = RefuseForm(request.POST)
    # Which records may be linked is the action's to decide; here they are only numbers.
    record_ids = [int(v) for v in request.POST.getlist("av_records") if v.isascii() and v.isdigit()]
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.refuse(
                request.user,
                issued,
                role=data["role"],
                refused=data["refused"],
                circumstances=data["circumstances"],
                refused_at=data["refused_at"],
                av_record_ids=record_ids,
                request=request,
            )
        except ValidationError as exc:
            _apply_error(form, exc, {})
        else:
            messages.success(request, _("The refusal to sign was recorded with its AV records."))
            return redirect("documents:sign", pk=issued.pk)
    return _screen(request, issued, refuse_form=form, chosen_av=record_ids)


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """Final once the principal signer signed or refused, the other lines left empty (R9.2)."""
    issued = _issued_or_404(request, pk)
    access.require(request.user, DocumentPerms.SIGN, issued, request=request)
    try:
        actions.finalise(request.user, issued, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The document is final."))
    return redirect("documents:sign", pk=issued.pk)


# The printed form's own styles are inline and its images data: URLs; nothing else loads and
# nothing runs. Only the signing screen of this site may frame it.
_READ_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "font-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'self'"],
}


@login_required
@xframe_options_sameorigin
@csp(_READ_CSP)  # type: ignore[arg-type]  # django-csp types views without URL arguments
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """The document as it prints now (with the signatures so far), for reading before signing."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    issued = _issued_or_404(request, pk)
    actions.view_issued(request.user, issued, request=request)
    from liuhen.documents.pdf import render_html

    spec = catalog.spec_of_issued(issued)
    return HttpResponse(render_html(issuing.print_context(issued, spec)))
