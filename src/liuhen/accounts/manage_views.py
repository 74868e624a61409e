"""Account administration pages: users, roles, certificates, units, security settings.

Who may do what is the access policy's business (system admin: accounts and units;
security admin: roles, second factors and security settings). Every change goes through
:mod:`liuhen.accounts.actions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import BaseForm, ChoiceField, Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.accounts import actions
from liuhen.accounts.forms import (
    CertificateForm,
    RoleForm,
    SecuritySettingsForm,
    SetPasswordForm,
    UnitForm,
    UserCreateForm,
    UserFilterForm,
    UserProfileForm,
)
from liuhen.accounts.models import Certificate, Role, SecuritySettings, Unit, User
from liuhen.accounts.perms import AccountPerms, RolePerms, SecurityPerms, UnitPerms
from liuhen.core import access

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> User:
    """The signed-in person (every view here is behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


def _apply(form: BaseForm, error: ValidationError) -> None:
    """Show an action's refusal on the form, on the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _visible_user(request: HttpRequest, pk: int) -> User:
    user = get_object_or_404(access.visible(request.user, User.objects.all()), pk=pk)
    access.require(request.user, AccountPerms.VIEW, user, request=request)
    return user


# --- users ------------------------------------------------------------------------------


@login_required
def users_view(request: HttpRequest) -> HttpResponse:
    access.require(request.user, AccountPerms.LIST, request=request)
    people = (
        access.visible(request.user, User.objects.all())
        .select_related("unit", "post")
        .prefetch_related("role_grants")
        .order_by("unit_id", "username")
    )
    filters = UserFilterForm(request.GET or None)
    if filters.is_valid():
        if query := filters.cleaned_data["q"].strip():
            people = people.filter(
                Q(username__icontains=query)
                | Q(full_name__icontains=query)
                | Q(officer_number__icontains=query)
            )
        if unit := filters.cleaned_data["unit"]:
            people = people.filter(unit=unit)
        if role := filters.cleaned_data["role"]:
            people = people.filter(role_grants__role=role)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {
            "person": person,
            "roles": [grant.get_role_display() for grant in person.role_grants.all()],
            "locked": person.is_locked(now),
        }
        for person in page
    ]
    return render(
        request,
        "accounts/users.html",
        {
            "filters": filters,
            "rows": rows,
            "page": page,
            "may_create": access.can(request.user, AccountPerms.MANAGE),
        },
    )


@login_required
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_user(request, pk)
    return _render_detail(request, person)


def _render_detail(request: HttpRequest, person: User, **forms: Form) -> HttpResponse:
    actor = request.user
    held = set(person.role_grants.values_list("role", flat=True))
    role_form = forms.get("role_form") or RoleForm()
    role_field = role_form.fields["role"]
    assert isinstance(role_field, ChoiceField)
    role_field.choices = [(value, label) for value, label in Role.choices if value not in held]
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "roles": [grant for grant in person.role_grants.order_by("role")],
            "certificates": [
                (certificate, certificate.is_valid_on(timezone.localdate()))
                for certificate in person.certificates.order_by("-valid_to")
            ],
            "locked": person.is_locked(),
            "two_factor": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
            "may_manage": access.can(actor, AccountPerms.MANAGE, person),
            "may_grant": access.can(actor, RolePerms.GRANT, person),
            "may_reset_2fa": access.can(actor, AccountPerms.RESET_2FA, person),
            "role_form": role_form,
            "certificate_form": forms.get("certificate_form") or CertificateForm(),
            "password_form": forms.get("password_form") or SetPasswordForm(),
        },
    )


@login_required
def user_create_view(request: HttpRequest) -> HttpResponse:
    access.require(request.user, AccountPerms.MANAGE, request=request)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = actions.create_user(
                _actor(request),
                username=data["username"],
                full_name=data["full_name"],
                password=data["new_password1"],
                unit=data["unit"],
                post=data["post"],
                officer_number=data["officer_number"],
                phone=data["phone"],
                email=data["email"],
                request=request,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The account has been created."))
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": None})


@login_required
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_user(request, pk)
    access.require(request.user, AccountPerms.MANAGE, person, request=request)
    initial = {name: getattr(person, name) for name in actions.PROFILE_FIELDS}
    form = UserProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_user(
                _actor(request),
                person,
                request=request,
                **{name: form.cleaned_data[name] for name in actions.PROFILE_FIELDS},
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The account has been updated."))
            return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": person})


def _user_post(
    run: Callable[[HttpRequest, User], Any], done: Callable[[], str]
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only button on the detail page: run an action, report, return to the page."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = _visible_user(request, pk)
        try:
            run(request, person)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, done())
        return redirect("accounts:user_detail", pk=person.pk)

    return view


user_disable_view = _user_post(
    lambda request, person: actions.disable_user(_actor(request), person, request=request),
    lambda: _("The account has been disabled and its sessions ended."),
)
user_enable_view = _user_post(
    lambda request, person: actions.enable_user(_actor(request), person, request=request),
    lambda: _("The account has been enabled."),
)
user_unlock_view = _user_post(
    lambda request, person: actions.unlock_user(_actor(request), person, request=request),
    lambda: _("The account has been unlocked."),
)
user_reset_2fa_view = _user_post(
    lambda request, person: actions.reset_two_factor(_actor(request), person, request=request),
    lambda: _("Two-factor authentication has been reset; the person enrols again at login."),
)
role_revoke_view = _user_post(
    lambda request, person: actions.revoke_role(
        _actor(request), person, request.POST.get("role", ""), request=request
    ),
    lambda: _("The role has been revoked."),
)


@login_required
@require_POST
def role_grant_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_user(request, pk)
    access.require(request.user, RolePerms.GRANT, person, request=request)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            actions.grant_role(
                _actor(request),
                person,
                form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The role has been granted."))
            return redirect("accounts:user_detail", pk=person.pk)
    return _render_detail(request, person, role_form=form)


@login_required
@require_POST
def user_password_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_user(request, pk)
    access.require(request.user, AccountPerms.MANAGE, person, request=request)
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            actions.set_password(
                _actor(request),
                person,
                form.cleaned_data["new_password1"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            messages.success(
                request, _("The password has been set; the person must change it at next login.")
            )
            return redirect("accounts:user_detail", pk=person.pk)
    return _render_detail(request, person, password_form=form)


@login_required
@require_POST
def certificate_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_user(request, pk)
    access.require(request.user, AccountPerms.MANAGE, person, request=request)
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            actions.add_certificate(
                _actor(request),
                person,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The certificate has been recorded."))
            return redirect("accounts:user_detail", pk=person.pk)
    return _render_detail(request, person, certificate_form=form)


@login_required
@require_POST
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("officer"), pk=pk)
    person = _visible_user(request, certificate.officer_id)
    actions.revoke_certificate(_actor(request), certificate, request=request)
    messages.success(request, _("The certificate has been marked revoked."))
    return redirect("accounts:user_detail", pk=person.pk)


# --- units ------------------------------------------------------------------------------


@login_required
def units_view(request: HttpRequest) -> HttpResponse:
    access.require(request.user, UnitPerms.MANAGE, request=request)
    units = Unit.objects.select_related("bureau").order_by("bureau_id", "name")
    return render(
        request,
        "accounts/units.html",
        {"units": [(unit, unit.members.filter(is_active=True).count()) for unit in units]},
    )


@login_required
def unit_create_view(request: HttpRequest) -> HttpResponse:
    access.require(request.user, UnitPerms.MANAGE, request=request)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_unit(
                _actor(request),
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
                request=request,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The unit has been created."))
            return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, UnitPerms.MANAGE, request=request)
    unit = get_object_or_404(Unit, pk=pk)
    form = UnitForm(
        request.POST or None, initial={"name": unit.name, "code": unit.code, "active": unit.active}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_unit(
                _actor(request),
                unit,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The unit has been updated."))
            return redirect("accounts:units")
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})


# --- security settings ------------------------------------------------------------------


@login_required
def security_settings_view(request: HttpRequest) -> HttpResponse:
    access.require(request.user, SecurityPerms.CONFIGURE, request=request)
    # Its own copy of the row: validating the form writes onto the instance.
    form = SecuritySettingsForm(request.POST or None, instance=SecuritySettings.load())
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SecuritySettingsForm.Meta.fields}
        try:
            actions.update_security_settings(_actor(request), request=request, **values)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The security settings have been saved."))
            return redirect("accounts:security_settings")
    return render(request, "accounts/security_settings.html", {"form": form})
