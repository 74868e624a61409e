"""The security admin's page of the login and password policy (R4.2; 等保 8.1.4.1)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.accounts.acting import acting_user
from liuhen.accounts.actions import security
from liuhen.accounts.forms import SecuritySettingsForm
from liuhen.accounts.models import SecuritySettings
from liuhen.accounts.perms import SecurityPerms
from liuhen.core import access, panels


@login_required
def security_settings_view(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SecurityPerms.CONFIGURE, request=request)
    # Its own copy of the row: validating the form writes onto the instance.
    form = SecuritySettingsForm(request.POST or None, instance=SecuritySettings.load())
    if panels.submit(
        request,
        form,
        lambda data: security.update_security_settings(
            acting_user(request),
            request=request,
            **{name: data[name] for name in SecuritySettingsForm.Meta.fields},
        ),
        _("The security settings have been saved."),
    ):
        return redirect("accounts:security_settings")
    return render(request, "accounts/security_settings.html", {"form": form})
