"""The signing screen on the tablet (R9.1, R9.2, R8.2).

- ``sign``: the party (or witness) reads the issued document, signs on the pad (signature_pad)
  with opinion, name and date; the principal signer's signature makes it final;
- ``refuse``: the officer records a refusal to sign, linked to AV records of that time;
- ``officer_sign``: an officer of the case signs the officer line that names them, on the pad
  or with their enrolled signature and password;
- ``finalise``: final with the principal line done and another line left empty;
- ``read``: the document as printed, in HTML for the frame of the signing screen (a PDF does
  not show inline in a tablet's browser).

Views parse input and call the signing actions, which decide what may happen. A document
the person may not see answers 404.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from typing import Any

from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from liuhen.core import access, panels
from liuhen.documents.actions import officer_signing, reading, signing
from liuhen.documents.catalog import catalog
from liuhen.documents.forms import OfficerSignForm, RefuseForm, SignForm
from liuhen.documents.issuing import rendering
from liuhen.documents.issuing.signatures import (
    SIGNATURE_MAX_BYTES,
    WAIVER_LABELS,
    WAIVER_TEXTS,
    av_candidates,
    current_enrolment,
    default_name,
    finalisation_of,
    is_final,
    may_sign_line,
    officer_line_done,
    officer_roles,
    party_roles,
    standard_opinion,
)
from liuhen.documents.models import FilePurpose, IssuedDocument, SignatureRefusal
from liuhen.documents.perms import DocumentPerms
from liuhen.documents.printing.pdf import render_html
from liuhen.documents.views.helpers import acting_user
from liuhen.media.models import AvRecord
from liuhen.media.registers import format_duration

PNG_DATA_URL = "data:image/png;base64,"
AV_PICKER_LIMIT = 50


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


def _issued_or_404(request: HttpRequest, pk: int, action: str) -> IssuedDocument:
    return access.get_visible_or_404(
        request.user,
        IssuedDocument.objects.select_related("case", "case__unit", "unit"),
        action=action,
        request=request,
        pk=pk,
    )


def _issued_for_screen(request: HttpRequest, pk: int) -> IssuedDocument:
    """The signing screen is for whoever works the case, and for a hearing's chair and clerk
    who are no officers of it: they come to sign their own lines."""
    user = acting_user(request)
    found = access.visible(user, IssuedDocument.objects.select_related("case")).filter(pk=pk)
    issued = found.first()
    if issued is not None and access.can(user, DocumentPerms.OFFICER_SIGN, issued):
        return _issued_or_404(request, pk, DocumentPerms.OFFICER_SIGN)
    # Anyone else is let in, or refused and audited, as the case's workers are.
    return _issued_or_404(request, pk, DocumentPerms.SIGN)


def _local_now() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _officer_lines(request: HttpRequest, issued: IssuedDocument) -> list[dict[str, Any]]:
    """Each officer line: who signed it, whether it is done, and whether the person looking
    may sign it now (named on it, not signed yet)."""
    user = acting_user(request)
    may_sign = access.can(user, DocumentPerms.OFFICER_SIGN, issued)
    signed = list(issued.officer_signatures.order_by("signed_at", "id"))
    lines = []
    for role in officer_roles(catalog.spec_of_issued(issued)):
        on_line = [s for s in signed if s.role == role]
        lines.append(
            {
                "role": role,
                "signatures": on_line,
                "done": officer_line_done(issued, role),
                "mine": may_sign
                and all(s.officer_id != user.pk for s in on_line)
                and may_sign_line(user, issued, role),
            }
        )
    return lines


def _screen(
    request: HttpRequest,
    issued: IssuedDocument,
    *,
    sign_form: SignForm | None = None,
    refuse_form: RefuseForm | None = None,
    officer_form: OfficerSignForm | None = None,
    chosen_av: Sequence[int] = (),
) -> HttpResponse:
    spec = catalog.spec_of_issued(issued)
    roles = party_roles(spec)
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
    finalisation = finalisation_of(issued)
    final = finalisation is not None
    officer_lines = _officer_lines(request, issued)
    mine = [line["role"] for line in officer_lines if line["mine"]]
    if officer_form is None:
        officer_form = OfficerSignForm(initial={"role": mine[0] if mine else ""})
    context = {
        "issued": issued,
        "spec": spec,
        "roles": [
            {"role": role, "name": default_name(issued, role), "done": role in done}
            for role in roles
        ],
        "principal": roles[0],
        # R9.2: the principal line is done, another (a witness, say) may stay empty.
        "may_finalise": not final
        and roles[0] in done
        and (bool(open_roles) or not all(line["done"] for line in officer_lines)),
        # The party's lines, the refusal and making final are the case workers' to record.
        "may_record_party": access.can(acting_user(request), DocumentPerms.SIGN, issued),
        "officer_lines": officer_lines,
        "my_lines": mine,
        "officer_form": officer_form,
        "enrolment": current_enrolment(request.user),
        "sign_form": sign_form,
        "refuse_form": refuse_form,
        # R8.2: the waivers the form offers, as the catalogue defines the form now.
        "waivers": [
            {"value": w.value, "label": WAIVER_LABELS[w], "text": WAIVER_TEXTS[w]}
            for w in catalog.rules_of(issued).waivable_rights
        ],
        "chosen_waivers": set(sign_form["waivers"].value() or ()),
        "today": timezone.localdate(),
        "signatures": issued.signatures.order_by("signed_at", "id"),
        "refusals": issued.refusals.prefetch_related("recordings__record").order_by(
            "recorded_at", "id"
        ),
        "finalisation": finalisation,
        "final_url": file_url(issued, FilePurpose.SIGNED) if final else "",
        "issued_url": file_url(issued, FilePurpose.ISSUED)
        if issued.files.filter(purpose=FilePurpose.ISSUED).exists()
        else "",
        "read_url": reverse("documents:sign_read", args=[issued.pk]),
        "needs_signature": issued.needs_signature,
        "av_rows": _av_rows(list(av_candidates(request.user, issued, around)[:AV_PICKER_LIMIT])),
        "chosen_av": {str(pk) for pk in chosen_av},
    }
    bound = (
        (sign_form.is_bound and sign_form.errors)
        or (refuse_form.is_bound and refuse_form.errors)
        or (officer_form.is_bound and officer_form.errors)
    )
    return render(request, "documents/sign.html", context, status=422 if bound else 200)


# --- views ------------------------------------------------------------------------------


@login_required
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The signing screen; POST records the signature (R9.1)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method != "POST":
        return _screen(request, _issued_for_screen(request, pk))
    issued = _issued_or_404(request, pk, DocumentPerms.SIGN)
    form = SignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            signing.sign(
                acting_user(request),
                issued,
                role=data["role"],
                name=data["name"],
                opinion=data["opinion"],
                image_png=decode_signature(data["signature"]),
                waivers=data["waivers"],
                request=request,
            )
        except ValidationError as exc:
            panels.show_refusal(form, exc, {"image": "signature"})
        else:
            if is_final(issued):
                messages.success(request, _("Signed: the document is final."))
            else:
                messages.success(request, _("The signature was recorded."))
            return redirect("documents:sign", pk=issued.pk)
    return _screen(request, issued, sign_form=form)


@login_required
@require_POST
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer records a refusal to sign, backed by AV of that time (R9.2)."""
    issued = _issued_or_404(request, pk, DocumentPerms.SIGN)
    form = RefuseForm(request.POST)
    # Which records may be linked is the action's to decide; here they are only numbers.
    record_ids = [int(v) for v in request.POST.getlist("av_records") if v.isascii() and v.isdigit()]

    def record(data: dict[str, Any]) -> SignatureRefusal:
        return signing.refuse(
            acting_user(request),
            issued,
            role=data["role"],
            refused=data["refused"],
            circumstances=data["circumstances"],
            refused_at=data["refused_at"],
            av_record_ids=record_ids,
            request=request,
        )

    done = _("The refusal to sign was recorded with its AV records.")
    if panels.submit(request, form, record, done) is not None:
        return redirect("documents:sign", pk=issued.pk)
    return _screen(request, issued, refuse_form=form, chosen_av=record_ids)


@login_required
@require_POST
def officer_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer of the case signs the officer line naming them (R9.1): on the pad, or with
    the enrolled signature and the password."""
    issued = _issued_or_404(request, pk, DocumentPerms.OFFICER_SIGN)
    form = OfficerSignForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        enrolled = data["method"] == OfficerSignForm.ENROLLED
        try:
            officer_signing.sign_as_officer(
                acting_user(request),
                issued,
                role=data["role"],
                image_png=b"" if enrolled else decode_signature(data["signature"]),
                password=data["password"] if enrolled else None,
                request=request,
            )
        except ValidationError as exc:
            panels.show_refusal(form, exc, {"image": "signature"})
        else:
            if is_final(issued):
                messages.success(request, _("Signed: the document is final."))
            else:
                messages.success(request, _("Your signature was recorded."))
            return redirect("documents:sign", pk=issued.pk)
    return _screen(request, issued, officer_form=form)


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """Final once the principal signer signed or refused, the other lines left empty (R9.2)."""
    issued = _issued_or_404(request, pk, DocumentPerms.SIGN)
    try:
        signing.finalise(acting_user(request), issued, request=request)
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
    issued = _issued_or_404(request, pk, DocumentPerms.VIEW)
    reading.view_issued(acting_user(request), issued, request=request)
    spec = catalog.spec_of_issued(issued)
    return HttpResponse(render_html(rendering.print_context(issued, spec)))
