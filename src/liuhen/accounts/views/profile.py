"""The person's own account: their profile and their password (R4.2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from liuhen.accounts import security
from liuhen.accounts.acting import acting_user
from liuhen.accounts.actions import accounts
from liuhen.accounts.forms import PasswordChangeForm
from liuhen.accounts.views.helpers import next_url


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@csrf_protect
@never_cache
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.change_password(
                user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except ValidationError as error:
            # The validators' refusals come as a list, without one code of their own.
            wrong_old = getattr(error, "code", None) == "wrong_password"
            field = "old_password" if wrong_old else "new_password1"
            form.add_error(field, error)
        else:
            # Keeps this session; every other session of the person ends (hash changed).
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return HttpResponseRedirect(next_url(request))
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
    user = acting_user(request)
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
            "two_factor": security.has_confirmed_device(user),
            "two_factor_required": security.needs_two_factor(user, security.current(request)),
        },
    )
