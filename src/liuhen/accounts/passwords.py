from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PolicyValidator:
    """Password policy: minimum length (placeholder; security settings come later)."""

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < settings.PASSWORD_MIN_LENGTH:
            raise ValidationError(_("The password is too short."), code="password_too_short")

    def get_help_text(self) -> str:
        return _("Your password must meet the password policy.")
