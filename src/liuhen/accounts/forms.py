"""Forms of the account pages. They parse input; the actions decide and change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from liuhen.accounts.models import Post, Role, SecuritySettings, Unit


class BootstrapMixin:
    """Gives widgets Bootstrap classes (no inline styles: the CSP forbids them)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class LoginForm(BootstrapMixin, forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OTPForm(BootstrapMixin, forms.Form):
    token = forms.CharField(
        label=_("Verification code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class _NewPasswordMixin(BootstrapMixin, forms.Form):
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "new_password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two passwords differ."))
        return data


class PasswordChangeForm(_NewPasswordMixin):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]


class SetPasswordForm(_NewPasswordMixin):
    pass


class UserProfileForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.filter(active=True), required=False
    )
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.all(), required=False)
    officer_number = forms.CharField(label=_("Officer number"), max_length=30, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class UserCreateForm(UserProfileForm, _NewPasswordMixin):
    username = forms.CharField(label=_("User name"), max_length=150)
    field_order = [
        "username",
        "full_name",
        "unit",
        "post",
        "officer_number",
        "phone",
        "email",
        "new_password1",
        "new_password2",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Initial password")
        self.fields["new_password2"].label = _("Initial password again")


class CertificateForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=40)
    issuing_authority = forms.CharField(label=_("Issuing authority"), max_length=200)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(label=_("Valid to"), widget=forms.DateInput(attrs={"type": "date"}))


class RoleForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class UnitForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class UserFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.all(), required=False, empty_label=_("All units")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )


class SecuritySettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SecuritySettings
        fields = [
            "login_max_failures",
            "lockout_seconds",
            "session_idle_seconds",
            "session_max_age_seconds",
            "password_min_length",
            "password_require_complexity",
            "password_max_age_days",
            "require_2fa_for_all",
        ]
        help_texts = {
            "password_min_length": _("At least 8 (等保 and OWASP ASVS agree)."),
            "password_require_complexity": _(
                "等保 asks for it; OWASP ASVS 5.0 advises against composition rules."
            ),
            "password_max_age_days": _(
                "等保 asks for periodic change; OWASP ASVS 5.0 advises against it. 0 turns "
                "rotation off."
            ),
            "require_2fa_for_all": _("The three administrators always need it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password_min_length"].widget.attrs["min"] = 8
        self.fields["session_max_age_seconds"].widget.attrs["min"] = 60
        for name in ("login_max_failures", "lockout_seconds", "session_idle_seconds"):
            self.fields[name].widget.attrs["min"] = 1
