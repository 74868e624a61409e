"""Login, second factor (check and enrolment) and logout (R4.2)."""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.accounts import security
from liuhen.accounts.actions import login
from liuhen.accounts.forms import LoginForm, OTPForm
from liuhen.accounts.models import User
from liuhen.accounts.session_keys import NOTICE
from liuhen.accounts.views.helpers import next_url, redirect_keeping_next

NOTICES = {
    "idle": lambda: _("Your session ended after a period of inactivity. Please log in again."),
    "max_age": lambda: _("Your session reached its maximum duration. Please log in again."),
    "revoked": lambda: _("Your session was ended by an administrator. Please log in again."),
    "logged_out": lambda: _("You have logged out."),
    "pending_expired": lambda: _("The login took too long. Please start again."),
}


def locked_message(locked_until: Any) -> str:
    until = formats.time_format(timezone.localtime(locked_until), "H:i")
    # The same words whether the name is an account or not, and they say the lock is for
    # this device: another workstation may still log in.
    return _(
        "Logging in with this user name is locked on this device after too many failed "
        "attempts. Try again after %(time)s, or ask the system administrator to unlock it."
    ) % {"time": until}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(next_url(request))
    notice = request.session.pop(NOTICE, None)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = login.password_step(
            request, form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if result.status == "ok":
            return HttpResponseRedirect(next_url(request))
        if result.status == "otp":
            return redirect_keeping_next(request, "accounts:otp")
        if result.status == "enrol":
            return redirect_keeping_next(request, "accounts:otp_setup")
        if result.status == "locked":
            form.add_error(None, locked_message(result.locked_until))
        elif result.status == "disabled":
            form.add_error(
                None, _("This account is disabled. Ask the system administrator for help.")
            )
        else:
            form.add_error(None, _("Wrong user name or password."))
    message = NOTICES[notice]() if notice in NOTICES else None
    return render(
        request,
        "accounts/login.html",
        {"form": form, "notice": message, "next": request.GET.get("next", "")},
    )


def _second_factor_subject(request: HttpRequest) -> tuple[User | None, bool]:
    """Whose code is checked: the pending person, or a signed-in one not yet verified."""
    pending = login.pending_user(request)
    if pending is not None:
        return pending, True
    if isinstance(request.user, User):
        return request.user, False
    return None, False


_SecondFactorView = Callable[[HttpRequest, User, bool], HttpResponse]


def _second_factor_page(view: _SecondFactorView) -> Callable[[HttpRequest], HttpResponse]:
    """A page of the second factor: called with whose code it checks and whether that
    person is still between the password and the code; nobody there → back to login."""

    @sensitive_post_parameters("token")
    @csrf_protect
    @never_cache
    @functools.wraps(view)
    def page(request: HttpRequest) -> HttpResponse:
        user, pending = _second_factor_subject(request)
        if user is None:
            request.session[NOTICE] = "pending_expired"
            return redirect("accounts:login")
        return view(request, user, pending)

    return page


def _code_refused(request: HttpRequest, form: OTPForm, user: User, status: str) -> None:
    """Say why a code did not pass: a wrong one, or the lockout it led to (which also ends
    a pending login)."""
    if status == "locked":
        login.clear_pending(request)
        user.refresh_from_db(fields=["locked_until"])
        form.add_error(None, locked_message(user.locked_until))
    else:
        form.add_error("token", _("The code is wrong or has expired."))


def _after_second_factor(
    request: HttpRequest, user: User, device: TOTPDevice, pending: bool
) -> HttpResponse:
    if pending:
        login.complete_login(request, user, device=device)
    else:
        login.verify_session(request, device)
    return HttpResponseRedirect(next_url(request))


@_second_factor_page
def otp_view(request: HttpRequest, user: User, pending: bool) -> HttpResponse:
    if not security.has_confirmed_device(user):
        return redirect_keeping_next(request, "accounts:otp_setup")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status, device = login.verify_code(request, user, form.cleaned_data["token"])
        if status == "ok" and device is not None:
            return _after_second_factor(request, user, device, pending)
        _code_refused(request, form, user, status)
    return render(request, "accounts/otp.html", {"form": form, "next": request.GET.get("next", "")})


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows data: images, not inline scripts)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@_second_factor_page
def otp_setup_view(request: HttpRequest, user: User, pending: bool) -> HttpResponse:
    if security.has_confirmed_device(user):
        if pending or not _is_verified(request):
            return redirect_keeping_next(request, "accounts:otp")
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("accounts:profile")
    device = login.start_enrolment(user)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status, verified = login.verify_code(
            request, user, form.cleaned_data["token"], device=device
        )
        if status == "ok" and verified is not None:
            login.confirm_enrolment(request, user, verified)
            messages.success(request, _("Two-factor authentication is set up."))
            return _after_second_factor(request, user, verified, pending)
        _code_refused(request, form, user, status)
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": qr_data_uri(device.config_url),
            "secret": secret,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "mandatory": user.is_admin_role or security.needs_two_factor(user),
            "next": request.GET.get("next", ""),
        },
    )


def _is_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    was_signed_in = request.user.is_authenticated
    login.logout(request)
    if was_signed_in:
        request.session[NOTICE] = "logged_out"
    return redirect(settings.LOGOUT_REDIRECT_URL)
