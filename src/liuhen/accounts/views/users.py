"""Account administration pages: accounts, their roles, second factor and certificates.

Who may do what is the access policy's business (system admin: accounts; security admin:
roles and second factors). An account the viewer may not see answers 404, audited; every
change goes through :mod:`liuhen.accounts.actions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import ChoiceField, Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liuhen.accounts import security
from liuhen.accounts.acting import acting_user
from liuhen.accounts.actions import accounts, roles
from liuhen.accounts.forms import (
    CertificateForm,
    RoleForm,
    SetPasswordForm,
    UserCreateForm,
    UserFilterForm,
    UserProfileForm,
)
from liuhen.accounts.models import Certificate, Role, User
from liuhen.accounts.perms import AccountPerms, RolePerms
from liuhen.core import access, panels

PAGE_SIZE = 50


def _visible_user(request: HttpRequest, pk: int, action: str = AccountPerms.VIEW) -> User:
    """The account ``pk`` if the viewer sees it and may ``action`` it: else 404 (not seen)
    or 403 (seen, not allowed), both audited."""
    return access.get_visible_or_404(request.user, User, action=action, request=request, pk=pk)


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
            "roles": [
                grant.get_role_display()
                for grant in sorted(person.role_grants.all(), key=lambda grant: grant.role)
            ],
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
            "two_factor": security.has_confirmed_device(person),
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
    person = panels.submit(
        request,
        form,
        lambda data: accounts.create_user(
            acting_user(request),
            password=data["new_password1"],
            request=request,
            **{name: data[name] for name in ("username", *accounts.PROFILE_FIELDS)},
        ),
        _("The account has been created."),
    )
    if person is not None:
        return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": None})


@login_required
def user_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_user(request, pk, AccountPerms.MANAGE)
    initial = {name: getattr(person, name) for name in accounts.PROFILE_FIELDS}
    form = UserProfileForm(request.POST or None, initial=initial)
    if panels.submit(
        request,
        form,
        lambda data: accounts.update_user(
            acting_user(request),
            person,
            request=request,
            **{name: data[name] for name in accounts.PROFILE_FIELDS},
        ),
        _("The account has been updated."),
    ):
        return redirect("accounts:user_detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "person": person})


def _user_post(
    action: str, run: Callable[[HttpRequest, User], Any], done: Callable[[], str]
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only button on the detail page: fetch the account allowed ``action``, run
    the action, report, return to the page."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = _visible_user(request, pk, action)
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
    AccountPerms.MANAGE,
    lambda request, person: accounts.disable_user(acting_user(request), person, request=request),
    lambda: _("The account has been disabled and its sessions ended."),
)
user_enable_view = _user_post(
    AccountPerms.MANAGE,
    lambda request, person: accounts.enable_user(acting_user(request), person, request=request),
    lambda: _("The account has been enabled."),
)
user_unlock_view = _user_post(
    AccountPerms.MANAGE,
    lambda request, person: accounts.unlock_user(acting_user(request), person, request=request),
    lambda: _("The account has been unlocked."),
)
user_reset_2fa_view = _user_post(
    AccountPerms.RESET_2FA,
    lambda request, person: accounts.reset_two_factor(
        acting_user(request), person, request=request
    ),
    lambda: _("Two-factor authentication has been reset; the person enrols again at login."),
)
role_revoke_view = _user_post(
    RolePerms.GRANT,
    lambda request, person: roles.revoke_role(
        acting_user(request), person, request.POST.get("role", ""), request=request
    ),
    lambda: _("The role has been revoked."),
)


def _user_form_post(
    action: str,
    form_class: type[Form],
    form_name: str,
    run: Callable[[HttpRequest, User, dict[str, Any]], Any],
    done: Callable[[], str],
    refuse: Callable[[Form, ValidationError], None] = panels.show_refusal,
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A form on the detail page: fetch the account allowed ``action``, run the action with
    the form's data, report; a refusal shows on the form, on the detail page."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = _visible_user(request, pk, action)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                run(request, person, form.cleaned_data)
            except ValidationError as error:
                refuse(form, error)
            else:
                messages.success(request, done())
                return redirect("accounts:user_detail", pk=person.pk)
        return _render_detail(request, person, **{form_name: form})

    return view


role_grant_view = _user_form_post(
    RolePerms.GRANT,
    RoleForm,
    "role_form",
    lambda request, person, data: roles.grant_role(
        acting_user(request), person, data["role"], request=request
    ),
    lambda: _("The role has been granted."),
)
user_password_view = _user_form_post(
    AccountPerms.MANAGE,
    SetPasswordForm,
    "password_form",
    lambda request, person, data: accounts.set_password(
        acting_user(request), person, data["new_password1"], request=request
    ),
    lambda: _("The password has been set; the person must change it at next login."),
    refuse=lambda form, error: form.add_error("new_password1", error),
)
certificate_add_view = _user_form_post(
    AccountPerms.MANAGE,
    CertificateForm,
    "certificate_form",
    lambda request, person, data: accounts.add_certificate(
        acting_user(request), person, request=request, **data
    ),
    lambda: _("The certificate has been recorded."),
)


@login_required
@require_POST
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_visible_or_404(
        request.user,
        Certificate.objects.select_related("officer"),
        action=AccountPerms.MANAGE,
        request=request,
        pk=pk,
    )
    accounts.revoke_certificate(acting_user(request), certificate, request=request)
    messages.success(request, _("The certificate has been marked revoked."))
    return redirect("accounts:user_detail", pk=certificate.officer_id)
