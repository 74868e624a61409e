"""Login, second factor, logout, password change and the person's own profile (R4.2)."""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.accounts import actions, login, security
from liuhen.accounts.forms import LoginForm, OTPForm, PasswordChangeForm
from liuhen.accounts.models import User

NOTICES = {
    "idle": lambda: _("Your session ended after a period of inactivity. Please log in again."),
    "max_age": lambda: _("Your session reached its maximum duration. Please log in again."),
    "revoked": lambda: _("Your session was ended by an administrator. Please log in again."),
    "logged_out": lambda: _("You have logged out."),
    "pending_expired": lambda: _("The login took too long. Please start again."),
}


def _next_url(request: HttpRequest, default: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default or settings.LOGIN_REDIRECT_URL)


def _with_next(request: HttpRequest, url_name: str) -> HttpResponseRedirect:
    url = resolve_url(url_name)
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        from urllib.parse import urlencode

        url = f"{url}?{urlencode({'next': target})}"
    return HttpResponseRedirect(url)


def locked_message(locked_until: Any) -> str:
    until = formats.time_format(timezone.localtime(locked_until), "H:i")
    return _(
        "This account is locked after too many failed logins. Try again after %(time)s, "
        "or ask the system administrator to unlock it."
    ) % {"time": until}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(_next_url(request))
    notice = request.session.pop(login.NOTICE, None)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = login.password_step(
            request, form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if result.status == "ok":
            return HttpResponseRedirect(_next_url(request))
        if result.status == "otp":
            return _with_next(request, "accounts:otp")
        if result.status == "enrol":
            return _with_next(request, "accounts:otp_setup")
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
    if request.user.is_authenticated:
        return request.user, False
    return None, False


def _after_second_factor(
    request: HttpRequest, user: User, device: TOTPDevice, pending: bool
) -> HttpResponse:
    if pending:
        login.complete_login(request, user, device=device)
    else:
        import django_otp

        request.session.cycle_key()
        django_otp.login(request, device)
    return HttpResponseRedirect(_next_url(request))


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def otp_view(request: HttpRequest) -> HttpResponse:
    user, pending = _second_factor_subject(request)
    if user is None:
        request.session[login.NOTICE] = "pending_expired"
        return redirect("accounts:login")
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return _with_next(request, "accounts:otp_setup")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status, device = login.verify_code(request, user, form.cleaned_data["token"])
        if status == "ok" and device is not None:
            return _after_second_factor(request, user, device, pending)
        if status == "locked":
            login.clear_pending(request)
            user.refresh_from_db(fields=["locked_until"])
            form.add_error(None, locked_message(user.locked_until))
        else:
            form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp.html", {"form": form, "next": request.GET.get("next", "")})


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (the CSP allows data: images, not inline scripts)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    user, pending = _second_factor_subject(request)
    if user is None:
        request.session[login.NOTICE] = "pending_expired"
        return redirect("accounts:login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if pending or not _is_verified(request):
            return _with_next(request, "accounts:otp")
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("accounts:profile")
    # One unconfirmed device per person, kept across page loads so the QR code stays put.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Liuhen", confirmed=False)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status, verified = login.verify_code(
            request, user, form.cleaned_data["token"], device=device
        )
        if status == "ok" and verified is not None:
            login.confirm_enrolment(request, user, verified)
            messages.success(request, _("Two-factor authentication is set up."))
            return _after_second_factor(request, user, verified, pending)
        if status == "locked":
            login.clear_pending(request)
            user.refresh_from_db(fields=["locked_until"])
            form.add_error(None, locked_message(user.locked_until))
        else:
            form.add_error("token", _("The code is wrong or has expired."))
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
        request.session[login.NOTICE] = "logged_out"
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@csrf_protect
@never_cache
def password_change_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(
                user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except ValidationError as error:
            field = "old_password" if error.code == "wrong_password" else "new_password1"
            form.add_error(field, error)
        else:
            # Keeps this session; every other session of the person ends (hash changed).
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return HttpResponseRedirect(_next_url(request))
    policy = security.current(request)
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "expired": security.password_expired(user, policy),
            "must_change": user.must_change_password,
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    certificates = [
        (certificate, certificate.is_valid_on(today))
        for certificate in user.certificates.order_by("-valid_to")
    ]
    return render(
        request,
        "accounts/profile.html",
        {
            "person": user,
            "roles": sorted(user.role_grants.all(), key=lambda grant: grant.role),
            "certificates": certificates,
            "two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "two_factor_required": security.needs_two_factor(user, security.current(request)),
        },
    )
