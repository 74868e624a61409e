"""Public pages without login (R11.1, R18.2); they fetch nothing themselves, the owning apps'
actions look up by the public code and record what is audited.

- ``verify`` (``/verify/<code>/``): anyone holding a document checks it against the archive:
  what the document itself prints and the digests of its files, never the party; an
  uploaded PDF is compared with every version, its seal checked (``documents``).
- ``pay_page`` (``/pay/<number>/``): what the payment QR on a decision opens — the notice
  number, the amount owed, the decision's number and whether it is paid, nothing about the
  party. With the embedded simulator gateway its button "pays": a callback signed as the
  gateway would, handed to the same action a real callback reaches (``delivery``).
- ``callback`` (``/pay/callback/``): where a gateway posts its signed callback.
- ``case_query`` (``/query/``): the party's case query with the case number and the query
  code printed on the documents served on the party (R19.1); ``case_query_answer``
  (``/query/case/``) its answer, ``case_query_document`` the download of a served
  document's sealed PDF. A wrong number and a wrong code give the same
  page; the limits answer 429 (``delivery``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.core.audit import client_ip
from liuhen.delivery.actions import payments, query
from liuhen.delivery.actions.payments import CallbackRefused, UnknownNotice
from liuhen.delivery.payment.gateway import (
    ForgedCallback,
    MalformedCallback,
    is_simulated,
    simulator_takes_payments,
)
from liuhen.documents.actions.verification import TooManyLookups, verify_document
from liuhen.media.playback import serving as playback
from liuhen.portal.forms import CaseDocumentForm, CaseQueryForm, VerifyUploadForm

# --- verification (R18.2) --------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = _(
        "Too many documents were checked from this address. Please try again in "
        "%(minutes)s minutes."
    ) % {"minutes": max(1, retry_after // 60)}
    context = {"message": message, "status": 429, "heading": _("Too many requests")}
    response = render(request, "web/400.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    posted = request.method == "POST"
    valid = posted and form.is_valid()
    try:
        found = verify_document(
            code,
            upload=form.cleaned_data["file"] if valid else None,
            upload_refused=posted and not valid,
            request=request,
        )
    except TooManyLookups as refused:
        return _private(_too_many(request, refused.retry_after))
    if found is None:
        return _private(render(request, "portal/not_found.html", status=404))
    document = found.document
    context = {
        "issued": document,
        "issued_on": document.issued_on,
        "newer": document.newer,
        "latest": document.newer,
        "corrections": document.corrections,
        "files": document.files,
        "form": form,
        "check": found.check,
    }
    status = 400 if posted and found.check is None else 200
    return _private(render(request, "portal/verify.html", context, status=status))


# --- payment (R11.1) -------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def pay_page(request: HttpRequest, number: str) -> HttpResponse:
    if request.method == "POST":
        return _simulate_payment(request, number)
    notice = payments.look_up_notice(number)
    if notice is None:
        raise Http404("no such payment notice")
    return render(
        request,
        "portal/pay.html",
        {
            "notice": notice,
            "decision_number": notice.decision_number,
            "status": notice.status,
            "instalments": notice.instalments,
            # Whether the simulator is configured (the page says so) and whether its
            # button pays (not on a TLS deployment that did not allow it).
            "simulated": is_simulated(),
            "simulator": simulator_takes_payments(),
        },
    )


def _simulate_payment(request: HttpRequest, number: str) -> HttpResponse:
    """The simulator's "pay" button (CSRF-protected)."""
    try:
        paid = payments.pay_with_simulator(number, remote_addr=client_ip(request), request=request)
    except LookupError:
        return HttpResponse(status=404)
    except (ForgedCallback, CallbackRefused):
        messages.error(request, _("The payment could not be recorded."))
    else:
        if paid is not None:
            messages.success(request, _("Payment received. Thank you."))
    return redirect("portal:pay", number=number)


@csrf_exempt  # the gateway signs its callback (HMAC); it has no session or CSRF token
@require_POST
def callback(request: HttpRequest) -> JsonResponse:
    """200 recorded (or recorded before), 400 malformed, 403 forged, 404 unknown notice,
    409 refused (amount, notice paid or replaced)."""
    try:
        payments.receive_callback(
            request.body, request.headers, remote_addr=client_ip(request), request=request
        )
    except MalformedCallback:
        return JsonResponse({"ok": False, "error": "malformed"}, status=400)
    except ForgedCallback:
        return JsonResponse({"ok": False, "error": "forged"}, status=403)
    except UnknownNotice:
        return JsonResponse({"ok": False, "error": "unknown notice"}, status=404)
    except CallbackRefused as refused:
        return JsonResponse({"ok": False, "error": str(refused)}, status=409)
    return JsonResponse({"ok": True})


# --- the party's case query (R19.1) -----------------------------------------------------


def _too_many_queries(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = _(
        "Too many queries were made from this address or for this case number. Please try "
        "again in %(minutes)s minutes."
    ) % {"minutes": max(1, retry_after // 60)}
    context = {"message": message, "status": 429, "heading": _("Too many requests")}
    response = render(request, "web/400.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return _private(response)


def _query_form(request: HttpRequest, form: CaseQueryForm, *, unmatched: bool) -> HttpResponse:
    return _private(render(request, "portal/query.html", {"form": form, "unmatched": unmatched}))


@require_http_methods(["GET", "HEAD"])
def case_query(request: HttpRequest) -> HttpResponse:
    """The form; it posts to :func:`case_query_answer`, so the code never goes into a URL."""
    return _query_form(request, CaseQueryForm(), unmatched=False)


@require_POST
def case_query_answer(request: HttpRequest) -> HttpResponse:
    """The answer to the party, or the form again: the same for a wrong number or code."""
    form = CaseQueryForm(request.POST)
    if not form.is_valid():
        return _query_form(request, form, unmatched=False)
    number, code = form.cleaned_data["number"], form.cleaned_data["code"]
    try:
        answer = query.query_case(number, code, request=request)
    except query.TooManyQueries as refused:
        return _too_many_queries(request, refused.retry_after)
    if answer is None:
        return _query_form(request, CaseQueryForm(initial={"number": number}), unmatched=True)
    context = {"answer": answer, "number": number, "code": query.normalise_code(code)}
    return _private(render(request, "portal/query_answer.html", context))


@require_POST
def case_query_document(request: HttpRequest) -> HttpResponseBase:
    """A served document's sealed PDF, asked with the number and code again (audited)."""
    form = CaseDocumentForm(request.POST)
    if not form.is_valid():
        raise Http404("no such document")
    data = form.cleaned_data
    try:
        found = query.open_served_document(
            data["number"], data["code"], data["document"], request=request
        )
    except query.TooManyQueries as refused:
        return _too_many_queries(request, refused.retry_after)
    if found is None:
        raise Http404("no such document")
    issued, pdf = found
    name = "_".join(part for part in (issued.title, issued.number) if part) + ".pdf"
    response = playback.serve_blob(
        request,
        pdf.blob_id,
        content_type=pdf.content_type,
        disposition_value=playback.disposition("attachment", name),
    )
    response["Cache-Control"] = "no-store"
    return response
