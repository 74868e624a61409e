"""Device pages (R13.1): the device register (the list with the overdue flag, and its
exports), a device with its ledger, and the forms to register, change, check out 领取,
return 归还 and record maintenance 保养.

Views parse input, fetch through the access idiom (a device one may not see is 404, the
attempt audited), call the actions and render.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liuhen.accounts.models import Role, Unit, User
from liuhen.core import access, panels
from liuhen.devices import actions, ledger, registers
from liuhen.devices.forms import CheckoutForm, DeviceForm, MaintenanceForm, ReturnForm
from liuhen.devices.models import Device, DeviceStatus
from liuhen.devices.perms import DevicePerms


def _device(request: HttpRequest, pk: int, action: str = DevicePerms.VIEW) -> Device:
    """The device, if the user may see it (else 404) and may do ``action`` to it (else
    403); either refusal is audited."""
    return access.get_visible_or_404(
        request.user,
        Device.objects.select_related("unit", "holder"),
        action=action,
        request=request,
        pk=pk,
    )


def _acting_user(request: HttpRequest) -> User:
    """The signed-in person (every page here is behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


def _keeper_units(request: HttpRequest) -> QuerySet[Unit]:
    """The units whose devices the user keeps (custodian: all; unit head: their own)."""
    user = _acting_user(request)
    units = access.visible(user, Unit.objects.order_by("name"))
    if user.has_role(Role.CUSTODIAN):
        return units
    return units.filter(pk=user.unit_id) if user.unit_id is not None else units.none()


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, DevicePerms.LIST, request=request)
    devices, filters = registers.filtered(request.user, request.GET)
    page = Paginator(devices, registers.PAGE_SIZE).get_page(request.GET.get("page"))
    cutoff = ledger.overdue_cutoff()
    for device in page:
        device.overdue = (  # type: ignore[attr-defined]
            device.status == DeviceStatus.CHECKED_OUT
            and device.out_since is not None
            and device.out_since < cutoff
        )
    units_seen = access.visible(request.user, Device.objects.all()).values("unit_id")
    context = {
        "page": page,
        "unit": filters.get("unit", ""),
        "status": filters.get("status", ""),
        "overdue": bool(filters.get("overdue")),
        "filter_query": urlencode(filters),
        "units": access.visible(
            request.user, Unit.objects.filter(pk__in=units_seen).order_by("name")
        ),
        "statuses": DeviceStatus.choices,
        "can_register": access.can(request.user, DevicePerms.MANAGE),
        "limit_hours": int(ledger.checkout_limit().total_seconds() // 3600),
    }
    return render(request, "devices/list.html", context)


@login_required
def device_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The device register as CSV or XLSX: the list's filter, visible devices, audited."""
    access.require(request.user, DevicePerms.LIST, request=request)
    devices, filters = registers.filtered(request.user, request.GET)
    return registers.REGISTER.export(
        request.user, devices, filters=filters, fmt=fmt, request=request
    )


@login_required
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    user = request.user
    available = device.status == DeviceStatus.IN_SERVICE and device.is_carried
    context = {
        "device": device,
        "overdue": ledger.is_overdue(device),
        "ledger": device.ledger.select_related("holder", "handled_by"),
        "can_change": access.can(user, DevicePerms.MANAGE, device),
        "can_checkout": available and access.can(user, DevicePerms.CHECKOUT, device),
        "can_return": device.status == DeviceStatus.CHECKED_OUT
        and access.can(user, DevicePerms.RETURN, device),
        "can_maintain": device.status != DeviceStatus.CHECKED_OUT
        and access.can(user, DevicePerms.MANAGE, device),
    }
    return render(request, "devices/detail.html", context)


def _submit(
    request: HttpRequest, form: forms.Form, run: Callable[[dict[str, Any]], Device], done: str
) -> HttpResponse | None:
    """On a valid POST run the action: its device's page on success; None shows the form
    again, with the action's refusal on it."""
    device = panels.submit(request, form, run, done)
    return redirect("devices:detail", pk=device.pk) if device is not None else None


def _form_page(
    request: HttpRequest, form: forms.Form, title: str, device: Device | None, testid: str
) -> HttpResponse:
    status = 422 if form.is_bound and form.errors else 200
    context = {"form": form, "title": title, "device": device, "testid": testid}
    return render(request, "devices/form.html", context, status=status)


@login_required
def device_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, DevicePerms.MANAGE, request=request)
    units = _keeper_units(request)
    form = DeviceForm(
        request.POST if request.method == "POST" else None,
        units=units,
        initial={"unit": getattr(request.user, "unit_id", None)},
    )

    def run(data: dict[str, Any]) -> Device:
        return actions.enrol_device(
            _acting_user(request),
            serial=data["serial"],
            kind=data["kind"],
            unit=data["unit"],
            model=data["model"],
            storage_place=data["storage_place"],
            notes=data["notes"],
            request=request,
        )

    done = _submit(request, form, run, _("The device was registered."))
    return done or _form_page(request, form, _("Register a device"), None, "device-save")


@login_required
def device_edit(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk, DevicePerms.MANAGE)
    initial = {field: getattr(device, field) for field in actions.CHANGEABLE_FIELDS}
    units = _keeper_units(request)
    form = DeviceForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        units=units,
        editing=True,
    )

    def run(data: dict[str, Any]) -> Device:
        values = {k: v for k, v in data.items() if k in actions.CHANGEABLE_FIELDS}
        if not values.get("status"):
            values.pop("status", None)
        actions.change_device(_acting_user(request), device, request=request, **values)
        return device

    done = _submit(request, form, run, _("The changes were saved."))
    return done or _form_page(request, form, _("Change device"), device, "device-save")


def _holders(request: HttpRequest, device: Device) -> QuerySet[User] | None:
    """Officers a keeper may issue the device to; None when one takes it oneself."""
    if not access.can(request.user, DevicePerms.MANAGE, device):
        return None
    return ledger.issuable_holders(device)


@login_required
def device_checkout(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk, DevicePerms.CHECKOUT)
    form = CheckoutForm(
        request.POST if request.method == "POST" else None, holders=_holders(request, device)
    )

    def run(data: dict[str, Any]) -> Device:
        actions.check_out(
            _acting_user(request),
            device,
            holder=data.get("holder"),
            at=data["at"],
            condition=data["condition"],
            request=request,
        )
        return device

    done = _submit(request, form, run, _("The checkout was recorded."))
    return done or _form_page(
        request,
        form,
        _("Check out %(serial)s") % {"serial": device.serial},
        device,
        "checkout-save",
    )


@login_required
def device_return(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk, DevicePerms.RETURN)
    form = ReturnForm(request.POST if request.method == "POST" else None)

    def run(data: dict[str, Any]) -> Device:
        actions.return_device(
            _acting_user(request),
            device,
            at=data["at"],
            condition=data["condition"],
            request=request,
        )
        return device

    done = _submit(request, form, run, _("The return was recorded."))
    return done or _form_page(
        request, form, _("Return %(serial)s") % {"serial": device.serial}, device, "return-save"
    )


@login_required
def device_maintenance(request: HttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk, DevicePerms.MANAGE)
    form = MaintenanceForm(request.POST if request.method == "POST" else None)

    def run(data: dict[str, Any]) -> Device:
        actions.record_maintenance(
            _acting_user(request),
            device,
            start=data["start"],
            end=data["end"],
            work_done=data["work_done"],
            request=request,
        )
        return device

    done = _submit(request, form, run, _("The maintenance was recorded."))
    return done or _form_page(
        request,
        form,
        _("Maintenance of %(serial)s") % {"serial": device.serial},
        device,
        "maintenance-save",
    )
