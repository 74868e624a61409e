"""The system admin's pages of the bureau's units (R4.1)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.accounts.acting import acting_user
from liuhen.accounts.actions import units
from liuhen.accounts.forms import UnitForm
from liuhen.accounts.models import Unit
from liuhen.accounts.perms import UnitPerms
from liuhen.core import access, panels


@login_required
def units_view(request: HttpRequest) -> HttpResponse:
    access.require(request.user, UnitPerms.MANAGE, request=request)
    shown = access.visible(request.user, Unit.objects.select_related("bureau")).order_by(
        "bureau_id", "name"
    )
    return render(
        request,
        "accounts/units.html",
        {"units": [(unit, unit.members.filter(is_active=True).count()) for unit in shown]},
    )


@login_required
def unit_create_view(request: HttpRequest) -> HttpResponse:
    access.require(request.user, UnitPerms.MANAGE, request=request)
    form = UnitForm(request.POST or None)
    if panels.submit(
        request,
        form,
        lambda data: units.create_unit(
            acting_user(request), name=data["name"], code=data["code"], request=request
        ),
        _("The unit has been created."),
    ):
        return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_visible_or_404(
        request.user, Unit, action=UnitPerms.MANAGE, request=request, pk=pk
    )
    form = UnitForm(
        request.POST or None, initial={"name": unit.name, "code": unit.code, "active": unit.active}
    )
    if panels.submit(
        request,
        form,
        lambda data: units.update_unit(acting_user(request), unit, request=request, **data),
        _("The unit has been updated."),
    ):
        return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})
