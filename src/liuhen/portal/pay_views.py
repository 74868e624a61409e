"""Public payment pages (R11.1), no login.

- ``pay_page`` (``/pay/<number>/``): what the payment QR on a decision opens. It shows the
  notice number, the amount owed, the decision's number and whether it is paid — nothing
  about the party. With the embedded simulator gateway its button "pays": the page signs a
  callback as the gateway would and hands it to the same action a real callback reaches.
- ``callback`` (``/pay/callback/``): where a gateway posts its signed callback.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from liuhen.cases.models import ApprovalStatus
from liuhen.core.audit import client_ip
from liuhen.delivery import payment_actions, payments
from liuhen.delivery.models import PaymentNotice
from liuhen.delivery.payment_actions import CallbackRefused, UnknownNotice


def _simulated() -> bool:
    return isinstance(payments.gateway(), payments.SimulatorGateway)


@require_http_methods(["GET", "HEAD", "POST"])
def pay_page(request: HttpRequest, number: str) -> HttpResponse:
    notice = get_object_or_404(PaymentNotice.objects.select_related("decision"), number=number)
    if request.method == "POST":
        return _simulate_payment(request, notice)
    status = payment_actions.status(notice)
    instalments = (
        PaymentNotice.objects.filter(
            from_deferral__notice=notice,
            from_deferral__approval__status=ApprovalStatus.APPROVED,
        ).order_by("due_on", "id")
        if status.state == payment_actions.PaymentState.REPLACED
        else PaymentNotice.objects.none()
    )
    return render(
        request,
        "portal/pay.html",
        {
            "notice": notice,
            "decision_number": notice.decision.number,
            "status": status,
            "instalments": instalments,
            "simulator": _simulated(),
        },
    )


def _simulate_payment(request: HttpRequest, notice: PaymentNotice) -> HttpResponse:
    """The simulator's "pay" button (CSRF-protected): a callback signed with the gateway's
    secret, received in-process exactly as the HTTP callback would be."""
    if not _simulated():
        return HttpResponse(status=404)
    status = payment_actions.status(notice)
    if status.open:
        body, headers = payments.sign_callback(
            payments.simulated_payment(notice.number, status.outstanding_fen)
        )
        try:
            payment_actions.receive_callback(
                body, headers, remote_addr=client_ip(request), request=request
            )
        except (payments.ForgedCallback, CallbackRefused):
            messages.error(request, _("The payment could not be recorded."))
        else:
            messages.success(request, _("Payment received. Thank you."))
    return redirect("portal:pay", number=notice.number)


@csrf_exempt  # the gateway signs its callback (HMAC); it has no session or CSRF token
@require_POST
def callback(request: HttpRequest) -> JsonResponse:
    """200 recorded (or recorded before), 400 malformed, 403 forged, 404 unknown notice,
    409 refused (amount, notice paid or replaced)."""
    try:
        payment_actions.receive_callback(
            request.body, request.headers, remote_addr=client_ip(request), request=request
        )
    except payments.MalformedCallback:
        return JsonResponse({"ok": False, "error": "malformed"}, status=400)
    except payments.ForgedCallback:
        return JsonResponse({"ok": False, "error": "forged"}, status=403)
    except UnknownNotice:
        return JsonResponse({"ok": False, "error": "unknown notice"}, status=404)
    except CallbackRefused as refused:
        return JsonResponse({"ok": False, "error": str(refused)}, status=409)
    return JsonResponse({"ok": True})
